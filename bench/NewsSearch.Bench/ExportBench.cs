using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Engine;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Bench;

/// <summary>
/// <c>export</c>: Export in process on an existing index, one thread: a whole export per case, timed batch by batch.
/// Each batch is a search from the last cursor, so how a batch's cost moves from the first to the last says whether
/// the whole export grows with the matches or with their square. With <c>--seeds</c> the same exports also stream over
/// gRPC from the server process.
/// </summary>
public static class ExportBench
{
    public static async Task<Report?> Run(BenchContext ctx)
    {
        var index = ctx.Get("index") ?? throw new ArgumentException("export needs --index DIR (an index --reindex built)");
        var word = ctx.Get("word") ?? "中国";
        var rounds = ctx.Int("rounds", 2);
        Proc.ReadIntoPageCache(index, "export");
        var cases = new (string Name, ExportRequest Request)[]
        {
            ("every article, ids and dates", new ExportRequest("", PublishedFrom: "1000-01-01")),
            ("every article, with titles", new ExportRequest("", PublishedFrom: "1000-01-01", IncludeTitles: true)),
            ($"'{word}', ids and dates", new ExportRequest(word)),
            ($"'{word}' in one year (2020)", new ExportRequest(word, "2020-01-01", "2020-12-31")),
        };
        var report = new Report();
        InProcess(index, cases, rounds, report);
        // Over gRPC: the server process on the same index (the in-process engine is closed first: one writer per folder).
        if (ctx.Get("seeds") is { } seeds) await OverGrpc(ctx, index, seeds, cases, rounds, report);
        return report;
    }

    private static async Task OverGrpc(BenchContext ctx, string index, string seeds, (string Name, ExportRequest Request)[] cases, int rounds, Report report)
    {
        using var server = ServerProcess.Start(ctx, seeds, index);
        await server.WaitForHealth(Stopwatch.GetTimestamp(), TimeSpan.FromMinutes(5));
        var process = Process.GetProcessById(server.Pid);
        var rows = new List<string[]>();
        foreach (var (name, request) in cases)
        {
            var message = new Api.V1.ExportRequest
            {
                Query = request.Query, PublishedFrom = request.PublishedFrom ?? "", PublishedTo = request.PublishedTo ?? "",
                IncludeTitles = request.IncludeTitles,
            };
            await FacetsBench.Export(server, message); // warm-up
            for (var round = 0; round < rounds; round++)
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var (items, secs, _, peak) = await FacetsBench.Export(server, message);
                process.Refresh();
                rows.Add([name, Report.N(items), Report.N(secs, 2), Report.N((process.TotalProcessorTime - cpu).TotalSeconds, 2),
                    Report.N(items / Math.Max(secs, 1e-9)), Report.N(peak / 1048576.0, 1)]);
                report.Add("export", $"{name}: items/s over gRPC (round {round + 1})", Report.N(items / Math.Max(secs, 1e-9)));
            }
        }
        Report.Table($"Export over gRPC from the server process on {index} (one stream at a time, read as fast as the client can; {rounds} rounds after one warm-up)",
            ["case", "items", "seconds", "server CPU seconds", "items/s", "server RSS peak MB"], rows);
    }

    private static void InProcess(string index, (string Name, ExportRequest Request)[] cases, int rounds, Report report)
    {
        using var tmp = new TempDir("export", keep: false);
        using var engine = new NewsSearchEngine(new SearchEngineOptions
        {
            SeedsPath = tmp.Sub("no-seeds"), IndexPath = index, SearchTimeout = TimeSpan.FromMinutes(30),
        }, NullLoggerFactory.Instance);
        engine.Open();
        var articles = engine.GetStats().ArticleCount;
        var rows = new List<string[]>();
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
