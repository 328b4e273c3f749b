using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Engine;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Bench;

/// <summary>
/// <c>export</c>: Export in process on an existing index, one thread: a whole export per case, timed batch by batch.
/// Each batch is a search from the last cursor, so how a batch's cost moves from the first to the last says whether
/// the whole export grows with the matches or with their square.
/// </summary>
public static class ExportBench
{
    public static Report? Run(BenchContext ctx)
    {
        var index = ctx.Get("index") ?? throw new ArgumentException("export needs --index DIR (an index --reindex built)");
        var word = ctx.Get("word") ?? "中国";
        var rounds = ctx.Int("rounds", 2);
        Proc.ReadIntoPageCache(index, "export");
        using var tmp = new TempDir("export", keep: false);
        using var engine = new NewsSearchEngine(new SearchEngineOptions
        {
            SeedsPath = tmp.Sub("no-seeds"), IndexPath = index, SearchTimeout = TimeSpan.FromMinutes(30),
        }, NullLoggerFactory.Instance);
        engine.Open();
        var articles = engine.GetStats().ArticleCount;

        var cases = new (string Name, ExportRequest Request)[]
        {
            ("every article, ids and dates", new ExportRequest("", PublishedFrom: "1000-01-01")),
            ("every article, with titles", new ExportRequest("", PublishedFrom: "1000-01-01", IncludeTitles: true)),
            ($"'{word}', ids and dates", new ExportRequest(word)),
            ($"'{word}' in one year (2020)", new ExportRequest(word, "2020-01-01", "2020-12-31")),
        };
        var rows = new List<string[]>();
        var report = new Report();
        foreach (var (name, request) in cases)
        {
            Once(engine, request); // warm-up: JIT, doc values
            for (var round = 0; round < rounds; round++)
            {
                var (items, batches, secs, cpuSecs) = Once(engine, request);
                var first = batches.Count > 0 ? batches[0] : 0;
                var tail = batches.Count > 1 ? batches.Skip(Math.Max(1, batches.Count - 10)).Average() : first;
                rows.Add([name, Report.N(items), Report.N(batches.Count), Report.N(secs, 2), Report.N(cpuSecs, 2),
                    Report.N(items / Math.Max(secs, 1e-9)), Report.N(first, 1), Report.N(tail, 1)]);
                report.Add("export", $"{name}: items/s (round {round + 1})", Report.N(items / Math.Max(secs, 1e-9)));
            }
        }
        Report.Table($"Export in process on {index} ({articles:N0} articles; 1 thread, {rounds} rounds after one warm-up export per case)",
            ["case", "items", "batches", "seconds", "CPU seconds", "items/s", "first batch ms", "last 10 batches, mean ms"], rows);
        return report;
    }

    private static (long Items, List<double> BatchMs, double Secs, double CpuSecs) Once(NewsSearchEngine engine, ExportRequest request)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var batches = new List<double>();
        long items = 0;
        using (var export = engine.Export(request))
        {
            while (true)
            {
                var t0 = Stopwatch.GetTimestamp();
                var batch = export.NextBatch();
                if (batch.Count == 0) break;
                batches.Add(Stats.Ms(t0));
                items += batch.Count;
            }
        }
        var secs = Stopwatch.GetElapsedTime(start).TotalSeconds;
        process.Refresh();
        return (items, batches, secs, (process.TotalProcessorTime - cpu).TotalSeconds);
    }
}
