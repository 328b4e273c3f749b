namespace NewsSearch.Bench;

/// <summary>
/// <c>restart</c>: the server started again and again on an existing index whose seeds have not changed, timing process
/// start → health SERVING and → the first successful Search each time. What an operator's restart costs, and the figure
/// to watch when a runtime or start-up setting changes.
/// </summary>
public static class RestartBench
{
    public static async Task<Report?> Run(BenchContext ctx)
    {
        var index = ctx.Get("index") ?? throw new ArgumentException("restart needs --index DIR (an existing index) and --seeds DIR");
        var seeds = ctx.Get("seeds") ?? throw new ArgumentException("restart needs --seeds DIR");
        if (!Directory.Exists(index)) throw new ArgumentException($"--index {index}: no such folder (restart times an existing index)");
        if (!Directory.Exists(seeds)) throw new ArgumentException($"--seeds {seeds}: no such folder");
        var times = ctx.Int("times", 5);
        if (times < 1) throw new ArgumentException($"--times must be at least 1; got {times}");
        Proc.ReadIntoPageCache(index, "restart");
        var runs = new List<(TimeSpan Health, TimeSpan Search)>();
        for (var i = 0; i < times; i++)
        {
            var (serving, log) = await ScaleBench.StartAndMeasure(ctx, seeds, index, _ => Task.CompletedTask, TimeSpan.FromMinutes(5));
            // A start that indexed timed indexing, not a restart: the seeds are not the index's.
            if (ScaleBench.IndexedOnStart(log) is [var first, ..])
                throw new InvalidOperationException($"start {i + 1} indexed before serving, so the seeds differ from the index; build the index from these seeds first ({first})");
            runs.Add(serving);
        }
        static string Ms(IEnumerable<TimeSpan> spans) => string.Join(", ", spans.Select(s => QueryBench.Ms(s.TotalMilliseconds)));
        static double Median(IEnumerable<TimeSpan> spans) => Stats.Median(spans.Select(s => s.TotalMilliseconds));
        Report.Table($"Restart on {index} ({times} starts, the index in the page cache)", ["from process start to", "each start", "median"],
        [
            ["health SERVING", Ms(runs.Select(r => r.Health)), QueryBench.Ms(Median(runs.Select(r => r.Health)))],
            ["first successful Search", Ms(runs.Select(r => r.Search)), QueryBench.Ms(Median(runs.Select(r => r.Search)))],
        ]);
        var report = new Report();
        report.Add("restart", "start → first Search, median", QueryBench.Ms(Median(runs.Select(r => r.Search))));
        return report;
    }
}
