using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Engine;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Bench;

/// <summary>
/// <c>related</c>: in process on a cctv index, one thread: the cost of Related for a sample of articles (with and
/// without explain), and of the query mix's searches with explain against without.
/// </summary>
public static class RelatedBench
{
    public static Report? Run(BenchContext ctx)
    {
        if (!ctx.CorpusPresent(BenchContext.CctvFile, "related")) return null;
        var sources = ctx.Int("articles", 40);
        var rounds = ctx.Int("rounds", 3);
        var warmUpFor = WarmUp.Duration(ctx);
        using var tmp = new TempDir("related", ctx.Flag("keep"));
        var corpus = ctx.CorpusFile(BenchContext.CctvFile);
        // The bench measures cost, not the service's limit: on a busy machine a call must not be cut short.
        // --index DIR reuses an index (as --reindex or an earlier run left it) instead of building one.
        var existing = ctx.Get("index");
        var options = new SearchEngineOptions
        {
            SeedsPath = existing is null ? Corpus.LinkedSeeds(tmp, corpus) : tmp.Sub("no-seeds"),
            IndexPath = existing ?? tmp.Sub("index"), SearchTimeout = TimeSpan.FromMinutes(5),
        };
        if (existing is null)
        {
            Console.Error.WriteLine("[related] building the cctv index …");
            NewsSearchEngine.Rebuild(options, NullLoggerFactory.Instance);
        }
        else Proc.ReadIntoPageCache(existing, "related");
        using var engine = new NewsSearchEngine(options, NullLoggerFactory.Instance);
        engine.Open();
        engine.Ranking = ctx.Ranking();

        var articles = Corpus.Read(corpus).ToList();
        var rnd = new Random(42);
        // With --index the sources are the index's own articles (the 1 M corpus has ids of its own), spread evenly over
        // an export of the whole index in date order.
        var ids = existing is null
            ? articles.Select(a => a.Id).OrderBy(_ => rnd.Next()).Take(sources).ToList()
            : IndexIds(engine, sources, (int)Math.Max(1, engine.GetStats().ArticleCount / Math.Max(1, sources)));
        var segmenter = new TextSegmenter(UserDictionary.Of());
        var titles = articles.Select(a => a.Title).ToList();
        var searches = new List<SearchRequest>();
        while (searches.Count < 300)
            if (QueryMix.PickWords(titles[rnd.Next(titles.Count)], rnd, segmenter) is { } words) searches.Add(new SearchRequest(words, PageSize: 10));

        var cases = new (string Name, int Count, Func<int, SearchResult> Run)[]
        {
            ($"Related, {ids.Count} articles, 10 hits", ids.Count, i => engine.Related(new RelatedRequest(ids[i], PageSize: 10))),
            ("Related with explain", ids.Count, i => engine.Related(new RelatedRequest(ids[i], PageSize: 10) { Explain = true })),
            ($"Search, {searches.Count} queries of 1-3 title words, 10 hits", searches.Count, i => engine.Search(searches[i])),
            ("Search with explain", searches.Count, i => engine.Search(searches[i] with { Explain = true })),
        };
        var rows = new List<string[]>();
        var report = new Report();
        var means = new Dictionary<string, double>();
        foreach (var (name, count, run) in cases)
        {
            WarmUp.For(warmUpFor, () => { for (var i = 0; i < count; i++) run(i); });
            var latencies = new List<double>();
            long hits = 0;
            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            for (var round = 0; round < rounds; round++)
                for (var i = 0; i < count; i++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    hits += run(i).Hits.Count;
                    latencies.Add(Stats.Ms(t0));
                }
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            process.Refresh();
            // CPU time per call (one thread, so it is the call's own work plus the GC's): steadier than wall time on a shared machine.
            var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds / latencies.Count;
            latencies.Sort();
            means[name] = cpuMs;
            rows.Add([name, Report.N(latencies.Count), Report.N(Stats.Pct(latencies, 0.5), 2), Report.N(Stats.Pct(latencies, 0.99), 2),
                Report.N(latencies.Average(), 2), Report.N(cpuMs, 2), Report.N(allocated / 1024.0 / latencies.Count, 1), Report.N((double)hits / latencies.Count, 1)]);
            report.Add("related", $"{name}: p50 / p99 ms", $"{Report.N(Stats.Pct(latencies, 0.5), 2)} / {Report.N(Stats.Pct(latencies, 0.99), 2)}");
        }
        Report.Table($"Related and explain in process on {(existing is null ? $"cctv ({articles.Count:N0} articles)" : existing)} (1 thread, {rounds} rounds after warming each call up for {warmUpFor.TotalSeconds:0.#} s, snippets included)",
            ["call", "calls", "p50 ms", "p99 ms", "mean ms", "CPU ms per call", "KB allocated per call", "hits per call"], rows);
        var names = means.Keys.ToList();
        Console.WriteLine($"explain costs {Report.N(means[names[1]] / means[names[0]], 2)}× on Related and {Report.N(means[names[3]] / means[names[2]], 2)}× on Search (CPU per call).");
        return report;
    }

    /// <summary>Every <paramref name="step"/>th article id of the index, in export order, up to <paramref name="count"/>.</summary>
    private static List<string> IndexIds(NewsSearchEngine engine, int count, int step)
    {
        var ids = new List<string>();
        using var export = engine.Export(new ExportRequest("", PublishedFrom: "1000-01-01"));
        var seen = 0;
        for (var batch = export.NextBatch(); batch.Count > 0 && ids.Count < count; batch = export.NextBatch())
            foreach (var item in batch)
                if (seen++ % step == 0 && ids.Count < count) ids.Add(item.Id);
        return ids;
    }
}
