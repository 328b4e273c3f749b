using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Engine;
using EngineRequest = NewsSearch.Engine.Querying.SearchRequest;
using EngineSort = NewsSearch.Engine.Querying.SortOrder;

namespace NewsSearch.Bench;

/// <summary>
/// <c>inprocess</c>: the reader mix through <see cref="NewsSearchEngine.Search"/> on one thread, no gRPC: the engine's
/// own cost per search by kind. On an existing index folder (<c>--index</c>, as <c>--reindex</c> left it) or on a cctv
/// index built for the run. This is the loop to profile (<c>dotnet-trace collect -- dotnet NewsSearch.Bench.dll inprocess …</c>).
/// </summary>
public static class InProcessBench
{
    public static Report? Run(BenchContext ctx)
    {
        if (!ctx.CorpusPresent(BenchContext.CctvFile, "inprocess")) return null;
        var kinds = ReaderMix.ParseKinds(ctx.Get("kinds"));
        using var tmp = new TempDir("inprocess", ctx.Flag("keep"));
        var index = ctx.Get("index");
        var seeds = ctx.Get("seeds");
        if (index is null)
        {
            seeds = Corpus.LinkedSeeds(tmp, ctx.CorpusFile(BenchContext.CctvFile));
            index = tmp.Sub("index");
            var reindex = ServerProcess.Reindex(ctx, seeds, index, TimeSpan.FromMinutes(30));
            if (reindex.ExitCode != 0) throw new InvalidOperationException("--reindex failed:\n" + string.Join('\n', reindex.Output.TakeLast(20)));
        }
        var articles = Corpus.Read(ctx.CorpusFile(BenchContext.CctvFile)).ToList();
        var first = DateOnly.Parse(ctx.Get("from") ?? "2022-01-01");
        var last = DateOnly.Parse(ctx.Get("to") ?? "2026-12-31");
        var specs = ReaderMix.OfKinds(ReaderMix.Build(articles, ctx.Int("queries", 1000), 42, first, last), kinds);

        if (ctx.Get("index") is not null) Proc.ReadIntoPageCache(index, "inprocess");
        var options = new SearchEngineOptions { IndexPath = index, SeedsPath = seeds ?? tmp.Sub("no-seeds") };
        using var engine = new NewsSearchEngine(options, NullLoggerFactory.Instance);
        engine.Open();
        engine.Ranking = ctx.Ranking();
        var requests = specs.Select(s => Resolve(engine, s)).ToList();
        var rounds = ctx.Int("rounds", 3);
        using var sampler = ctx.Flag("allocations") ? new AllocationSampler() : null;
        var allocated = 0L;
        var (gcs, gen2, paused) = (0, 0, TimeSpan.Zero);
        var (latencies, warmUpPasses) = TimeRounds(engine, requests, rounds, WarmUp.Duration(ctx), _ => (allocated, gcs, gen2, paused) =
            (GC.GetAllocatedBytesForCurrentThread(), GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalPauseDuration()));
        var searches = (double)rounds * requests.Count;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        (gcs, gen2, paused) = (GC.CollectionCount(0) - gcs, GC.CollectionCount(2) - gen2, GC.GetTotalPauseDuration() - paused);
        var all = new List<(QuerySpec Spec, double Ms)>();
        for (var r = 0; r < rounds; r++)
            for (var i = 0; i < requests.Count; i++) all.Add((specs[i], latencies[r, i]));
        var sorted = all.Select(x => x.Ms).Order().ToList();
        var rows = new List<string[]> { Row("all", sorted) };
        rows.AddRange(all.SelectMany(x => x.Spec.Traits().Select(t => (t, x.Ms))).GroupBy(x => x.t).OrderBy(g => g.Key)
            .Select(g => Row(g.Key, g.Select(x => x.Ms).Order().ToList())));
        Report.Table($"In-process reader mix ({requests.Count} queries × {rounds} rounds after {warmUpPasses} warm-up {(warmUpPasses == 1 ? "round" : "rounds")}, 1 thread, {engine.GetStats().ArticleCount:N0} articles)",
            ["kind or trait", "searches", "p50", "p99", "mean", "searches/s"], rows);
        if (ctx.Int("slowest", 0) is > 0 and var slowest)
            Report.Table($"The {slowest} slowest queries (median over the rounds)", ["ms", "kind", "query", "dates", "sort", "page", "hits", "total"],
                Enumerable.Range(0, requests.Count)
                    .Select(i => (Spec: specs[i], Request: requests[i], Ms: Enumerable.Range(0, rounds).Select(r => latencies[r, i]).Order().ElementAt(rounds / 2)))
                    .OrderByDescending(x => x.Ms).Take(slowest)
                    .Select(x => new[]
                    {
                        QueryBench.Ms(x.Ms), x.Spec.Kind?.ToString() ?? "", x.Spec.Query.Length > 40 ? x.Spec.Query[..40] + "…" : x.Spec.Query,
                        $"{x.Spec.From}..{x.Spec.To}", x.Spec.Sort.ToString(), x.Spec.Page.ToString(), x.Spec.PageSize.ToString(),
                        engine.Search(x.Request) is var r && r.TotalIsLowerBound ? $"≥ {r.TotalHits:N0}" : $"{r.TotalHits:N0}",
                    }));
        Console.WriteLine($"Allocated {Report.N(allocated / searches / 1024, 1)} KB per search; {gcs} gen-0 collections ({Report.N(gcs / searches * 1000, 1)} per 1,000 searches), " +
            $"{gen2} of them gen-2; the GC paused the process {Report.N(paused.TotalMilliseconds / searches * 1000, 1)} µs per search.");
        if (sampler is not null)
            Report.Table("Allocations by type (sampled every ~100 KB, warm-up included)", ["type", "share"],
                sampler.Top(15).Select(t => new[] { t.Type, Report.N(t.Share * 100, 1) + "%" }));
        var fetch = ArticleFetchMicros(engine, requests);
        Console.WriteLine($"GetArticle of the mix's hits ({fetch.Articles:N0} articles in search order, 3 rounds): {Report.N(fetch.Micros, 1)} µs per article (best round).");
        var report = new Report();
        report.Add("inprocess", "GetArticle of a hit (term lookup and stored fields)", $"{Report.N(fetch.Micros, 1)} µs");
        report.Add("inprocess", "reader mix p50 / p99 / mean (1 thread)", $"{QueryBench.Ms(Stats.Pct(sorted, 0.5))} / {QueryBench.Ms(Stats.Pct(sorted, 0.99))} / {QueryBench.Ms(sorted.Average())}");
        return report;
    }

    /// <summary>
    /// What fetching one hit's article costs: every hit of the mix read by id, in the order searches returned them.
    /// Isolates the per-hit stored-field read that pages of 50 hits repeat (issue 11).
    /// </summary>
    private static (int Articles, double Micros) ArticleFetchMicros(NewsSearchEngine engine, IReadOnlyList<EngineRequest> requests)
    {
        var ids = requests.SelectMany(r => engine.Search(r).Hits.Select(h => h.Id)).ToList();
        var best = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var id in ids) engine.GetArticle(id);
            best = Math.Min(best, watch.Elapsed.TotalMicroseconds / ids.Count);
        }
        return (ids.Count, best);
    }

    /// <summary>
    /// Runs <paramref name="requests"/> on this thread to warm up, then <paramref name="rounds"/> times timing each
    /// search; returns the milliseconds as [round, request] and how many warm-up passes ran. The warm-up repeats the
    /// whole list until <paramref name="warmUpFor"/> has passed (one pass at least; see <see cref="WarmUp"/>). <paramref name="warmedUp"/> sees the
    /// last warm-up pass's results and runs just before the first timed round.
    /// </summary>
    public static (double[,] Latencies, int WarmUpPasses) TimeRounds(NewsSearchEngine engine, IReadOnlyList<EngineRequest> requests,
        int rounds, TimeSpan warmUpFor, Action<IReadOnlyList<NewsSearch.Engine.Querying.SearchResult>>? warmedUp = null)
    {
        List<NewsSearch.Engine.Querying.SearchResult> warmUp = [];
        var passes = WarmUp.For(warmUpFor, () => warmUp = requests.Select(r => engine.Search(r)).ToList());
        warmedUp?.Invoke(warmUp);
        var latencies = new double[rounds, requests.Count];
        for (var round = 0; round < rounds; round++)
            for (var i = 0; i < requests.Count; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                engine.Search(requests[i]);
                latencies[round, i] = Stats.Ms(t0);
            }
        return (latencies, passes);
    }

    private static string[] Row(string name, List<double> sorted) =>
    [
        name, Report.N(sorted.Count), QueryBench.Ms(Stats.Pct(sorted, 0.5)), QueryBench.Ms(Stats.Pct(sorted, 0.99)),
        QueryBench.Ms(sorted.Average()), Report.N(1000 / sorted.Average()),
    ];

    /// <summary>The engine's request for a spec; page 5 is reached with the engine's own page tokens.</summary>
    private static EngineRequest Resolve(NewsSearchEngine engine, QuerySpec spec)
    {
        var request = new EngineRequest(spec.Query, spec.From, spec.To, spec.PageSize, null,
            spec.Sort == Api.V1.SortOrder.NewestFirst ? EngineSort.NewestFirst : EngineSort.Relevance);
        for (var page = 1; page < spec.Page; page++)
        {
            var next = engine.Search(request).NextPageToken;
            if (next.Length == 0) break;
            request = request with { PageToken = next };
        }
        return request;
    }
}
