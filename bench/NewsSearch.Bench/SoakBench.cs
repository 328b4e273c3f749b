using System.Diagnostics;
using Grpc.Health.V1;
using NewsSearch.Api.V1;

namespace NewsSearch.Bench;

/// <summary>
/// <c>soak</c>: the query mix at half of saturation for a long run (10 minutes by default) while <c>--reindex</c> runs
/// again and again beside the server and seed files come and go. Prints failed requests (target 0), the moments the
/// health check was not SERVING (target none) and the server's RSS over time.
/// </summary>
public static class SoakBench
{
    public static async Task<Report?> Run(BenchContext ctx)
    {
        if (!ctx.CorpusPresent(BenchContext.CctvFile, "soak")) return null;
        var duration = TimeSpan.FromMinutes(ctx.Double("minutes", 10));
        using var tmp = new TempDir("soak", ctx.Flag("keep"));
        var (_, specs, server, _) = await CctvUnderLoad.StartAsync(ctx, tmp, "soak");
        using var __ = server;
        var seeds = tmp.Sub("seeds");
        var index = tmp.Sub("index");
        // Page tokens stay valid across generations only while the query's hits do; page 1 keeps the mix honest.
        foreach (var s in specs) s.Token = "";

        Task Search(int i) => server.Search.SearchAsync(specs[i % specs.Count].ToRequest(), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
        await Load.Closed(Search, 4, TimeSpan.FromSeconds(3));
        var saturation = await Load.Closed(Search, 8, TimeSpan.FromSeconds(10));
        var rate = saturation.Rps / 2;
        Console.Error.WriteLine($"[soak] saturation {saturation.Rps:F0} req/s; {duration.TotalMinutes:F0} min at {rate:F0} req/s with reindexes and seed churn …");

        using var stop = new CancellationTokenSource();
        var rss = new List<(double Minute, string Rss)>();
        var watch = Stopwatch.StartNew();
        var notServing = new List<string>();
        var healthChecks = 0;
        var reindexes = new List<(int Exit, double Secs)>();
        var churned = 0;

        var health = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                healthChecks++;
                try
                {
                    var r = await server.Health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                    if (r.Status != HealthCheckResponse.Types.ServingStatus.Serving) notServing.Add($"{watch.Elapsed.TotalSeconds:F1} s: {r.Status}");
                }
                catch (Grpc.Core.RpcException e)
                {
                    notServing.Add($"{watch.Elapsed.TotalSeconds:F1} s: {e.StatusCode}");
                }
                await Task.Delay(100);
            }
        });
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                rss.Add((watch.Elapsed.TotalMinutes, server.RssText));
                try { await Task.Delay(TimeSpan.FromSeconds(30), stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var rebuilds = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var r = ServerProcess.Reindex(ctx, seeds, index, TimeSpan.FromMinutes(30));
                reindexes.Add((r.ExitCode, r.WallSecs));
                Console.Error.WriteLine($"[soak] --reindex exit {r.ExitCode} in {r.WallSecs:F0} s");
                try { await Task.Delay(TimeSpan.FromSeconds(20), stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var churn = Task.Run(async () =>
        {
            var rnd = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                var name = Path.Combine(seeds, $"churn-{rnd.Next(40)}.jsonl");
                if (File.Exists(name)) File.Delete(name);
                else File.WriteAllText(name, $"{{\"id\":\"{Path.GetFileNameWithoutExtension(name)}\",\"title\":\"滚动新闻\",\"body\":\"港口吞吐量同比增长\",\"date\":\"2025-03-01\"}}\n");
                churned++;
                try { await Task.Delay(TimeSpan.FromSeconds(2), stop.Token); } catch (OperationCanceledException) { }
            }
        });

        var load = await Load.Open(Search, rate, duration);
        stop.Cancel();
        await Task.WhenAll(health, sampler, churn);
        await rebuilds;
        rss.Add((watch.Elapsed.TotalMinutes, server.RssText));

        var sorted = load.Sorted();
        Report.Table($"Soak: {duration.TotalMinutes:F0} min of the query mix at {rate:F0} req/s (half of saturation) with --reindex and seed churn",
            ["figure", "value"],
            [
                ["requests sent", Report.N(load.LatencyMs.Length)],
                ["failed requests (target 0)", Report.N(load.Errors)],
                ["p50 / p99 / p99.9", $"{QueryBench.Ms(Stats.Pct(sorted, 0.5))} / {QueryBench.Ms(Stats.Pct(sorted, 0.99))} / {QueryBench.Ms(Stats.Pct(sorted, 0.999))}"],
                ["health checks; not SERVING (target none)", $"{healthChecks}; {(notServing.Count == 0 ? "none" : string.Join(", ", notServing.Take(10)))}"],
                ["--reindex runs (exit codes)", $"{reindexes.Count} ({string.Join(", ", reindexes.Select(r => r.Exit).Distinct())}), {string.Join(", ", reindexes.Select(r => $"{r.Secs:F0} s"))}"],
                ["seed files added or removed", Report.N(churned)],
                ["server peak RSS", Report.Mb(server.PeakRssKb * 1024)],
            ]);
        Report.Table("Server RSS over time", ["minute", "RSS"], rss.Select(r => new[] { Report.N(r.Minute, 1), r.Rss }));
        var report = new Report();
        report.Add("soak", "failed requests / sent", $"{load.Errors} / {load.LatencyMs.Length}");
        report.Add("soak", "health not SERVING", notServing.Count.ToString());
        report.Add("soak", "peak RSS", Report.Mb(server.PeakRssKb * 1024));
        return report;
    }
}
