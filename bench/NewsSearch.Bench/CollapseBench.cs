using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Engine;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Bench;

/// <summary>
/// <c>collapse</c>: what near-duplicate detection and collapse cost on cctv, in process. Indexing: MinHash signatures
/// alone on one thread, and a from-scratch build (detection included). Searching: a few common queries with collapse
/// on (the default) and off, one thread, page size 10, snippets included; p50 and mean of each.
/// </summary>
public static class CollapseBench
{
    private static readonly (string Name, SearchRequest Request)[] Queries =
    [
        ("习近平", new SearchRequest("习近平")),
        ("经济", new SearchRequest("经济")),
        ("全国人大 会议", new SearchRequest("全国人大 会议")),
        ("疫情防控", new SearchRequest("疫情防控")),
        ("直播 newest first", new SearchRequest("直播", Sort: SortOrder.NewestFirst)),
        ("2024-03 (date filter only)", new SearchRequest("", "2024-03-01", "2024-03-31")),
    ];

    public static Report? Run(BenchContext ctx)
    {
        if (!ctx.CorpusPresent(BenchContext.CctvFile, "collapse")) return null;
        var file = ctx.CorpusFile(BenchContext.CctvFile);
        var reps = ctx.Int("reps", 200);
        using var tmp = new TempDir("collapse", ctx.Flag("keep"));
        var options = new SearchEngineOptions { SeedsPath = Corpus.LinkedSeeds(tmp, file), IndexPath = tmp.Sub("index") };

        var articles = Corpus.Read(file).ToList();
        var signing = TimeSpan.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var w = Stopwatch.StartNew();
            foreach (var a in articles) NearDuplicateSignature.Of(a.Title, a.Body);
            signing = w.Elapsed < signing ? w.Elapsed : signing;
        }
        Console.Error.WriteLine("[collapse] building the cctv index …");
        var watch = Stopwatch.StartNew();
        var (sync, stats) = NewsSearchEngine.Rebuild(options, NullLoggerFactory.Instance);
        var build = watch.Elapsed;
        using var engine = new NewsSearchEngine(options, NullLoggerFactory.Instance);
        engine.Open();
        var clusters = engine.NearDuplicateClusters();

        var rows = new List<string[]>();
        var report = new Report();
        foreach (var (name, request) in Queries)
        {
            var off = Measure(engine, request with { Collapse = false }, reps);
            var on = Measure(engine, request, reps);
            var result = engine.Search(request);
            var withCopies = result.Hits.Count(h => h.CollapsedCount > 0);
            rows.Add([name, Report.N(result.TotalHits), Report.N(result.TotalClusters ?? 0), withCopies.ToString(),
                Ms(off.P50), Ms(on.P50), Ms(off.Mean), Ms(on.Mean), Report.N(on.Mean / off.Mean, 2) + "×"]);
            report.Add("collapse", $"{name}: mean collapsed / collapse false", $"{Ms(on.Mean)} / {Ms(off.Mean)}");
        }

        Report.Table($"Near-duplicate detection while indexing cctv ({Environment.ProcessorCount} cores; engine Rebuild, detection included)",
            ["articles", "clusters of ≥ 2 (articles)", "build time", "articles/s", "signatures alone, 1 thread", "signatures ÷ (build time × cores)"],
            [[Report.N(sync.ArticlesIndexed), $"{clusters.Count} ({clusters.Sum(c => c.Ids.Count)})", Report.N(build.TotalSeconds, 1) + " s",
                Report.N(sync.ArticlesIndexed / build.TotalSeconds), $"{Report.N(signing.TotalSeconds, 2)} s ({Report.N(signing.TotalMilliseconds * 1000 / articles.Count, 1)} µs/article)",
                Report.N(100 * signing.TotalSeconds / (build.TotalSeconds * Environment.ProcessorCount), 1) + "%"]]);
        Report.Table($"Collapsed search vs collapse false on cctv (in process, 1 thread, page size 10, snippets; {reps} runs each)",
            ["query", "total_hits", "total_clusters", "page-1 hits with copies", "p50 off", "p50 collapsed", "mean off", "mean collapsed", "mean ratio"],
            rows);
        report.Add("collapse", "cctv build with detection (articles/s)", $"{Report.N(build.TotalSeconds, 1)} s ({Report.N(sync.ArticlesIndexed / build.TotalSeconds)})");
        report.Add("collapse", "signatures alone, 1 thread", $"{Report.N(signing.TotalMilliseconds * 1000 / articles.Count, 1)} µs/article");
        report.Add("collapse", "index size", Report.Mb(stats.IndexSizeBytes));
        return report;
    }

    private static (double P50, double Mean) Measure(NewsSearchEngine engine, SearchRequest request, int reps)
    {
        for (var i = 0; i < Math.Min(20, reps); i++) engine.Search(request);
        var ms = new List<double>(reps);
        for (var i = 0; i < reps; i++)
        {
            var t = Stopwatch.GetTimestamp();
            engine.Search(request);
            ms.Add(Stats.Ms(t));
        }
        ms.Sort();
        return (Stats.Pct(ms, 0.5), ms.Average());
    }

    private static string Ms(double ms) => Report.N(ms, 2) + " ms";
}
