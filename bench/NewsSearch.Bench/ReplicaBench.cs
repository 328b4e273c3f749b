using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using NewsSearch.Api.V1;
using NewsSearch.Client;

namespace NewsSearch.Bench;

/// <summary>
/// <c>replicas</c>: three server processes following the same seeds folder, each with its own copy of one index built
/// by <c>--reindex</c> and the same page-token key. The query mix runs open loop through NewsSearch.Client (its
/// retries on) twice: through HAProxy (deploy/haproxy.cfg, gRPC health checks), then with the client's own
/// round-robin over the three addresses. In each run one replica is SIGKILLed at a third of the time and started
/// again at half; failed requests (target 0) and p99 before, during and after are printed.
/// </summary>
public static class ReplicaBench
{
    private const int Replicas = 3;

    public static async Task<Report?> Run(BenchContext ctx)
    {
        if (!ctx.CorpusPresent(BenchContext.CctvFile, "replicas")) return null;
        if (FindOnPath("haproxy") is not { } haproxy)
        {
            Console.WriteLine("SKIPPED replicas: haproxy is not on PATH. Install it (apt-get install haproxy), or run deploy/replicas.sh, which does when run as root.");
            return null;
        }
        var template = Path.Combine(ctx.RepoRoot, "deploy", "haproxy.cfg");
        var duration = TimeSpan.FromSeconds(ctx.Double("seconds", 60));
        var rate = ctx.Double("rate", 100);
        var articles = ctx.Int("articles", 0);
        var cctv = ctx.CorpusFile(BenchContext.CctvFile);
        using var tmp = new TempDir("replicas", ctx.Flag("keep"));

        string seeds;
        if (articles > 0)
        {
            seeds = tmp.Sub("seeds");
            ScaleBench.GenerateInto(cctv, seeds, articles, 4, 42);
        }
        else seeds = Corpus.LinkedSeeds(tmp, cctv);
        var built = tmp.Sub("index-built");
        Console.Error.WriteLine($"[replicas] building one index with --reindex ({(articles > 0 ? $"{articles} generated articles" : "cctv")}) …");
        var reindex = ServerProcess.Reindex(ctx, seeds, built, TimeSpan.FromMinutes(30));
        if (reindex.ExitCode != 0) throw new InvalidOperationException("--reindex failed:\n" + string.Join('\n', reindex.Output.TakeLast(20)));
        // Each replica owns its index folder (one writer per folder); a copy of a closed index is a complete one.
        var indexes = Enumerable.Range(1, Replicas).Select(i => CopyDir(built, Path.Combine(tmp.Path, $"index-{i}"))).ToArray();
        // Shared, so that a page token issued by one replica is accepted by the others.
        string[] extra = ["--Search:PageTokenKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))];

        var ports = new int[Replicas];
        var replicas = new ServerProcess?[Replicas];
        Process? balancer = null;
        var clock = Stopwatch.StartNew();
        var balancerLog = new ConcurrentQueue<(double Secs, string Line)>();
        try
        {
            for (var i = 0; i < Replicas; i++)
            {
                // The port is kept across a restart, so that the balancer and the client find the replica again.
                replicas[i] = ServerProcess.StartOn(ctx, ports[i] = ServerProcess.FreePort(), seeds, indexes[i], extra);
            }
            foreach (var r in replicas) await r!.WaitForHealth(Stopwatch.GetTimestamp(), TimeSpan.FromMinutes(2));
            var frontend = ServerProcess.FreePort();
            balancer = StartBalancer(haproxy, template, frontend, ports, duration, balancerLog, clock);
            var viaBalancer = new Uri($"http://127.0.0.1:{frontend}");
            Console.Error.WriteLine($"[replicas] replicas on ports {string.Join(", ", ports)}, HAProxy on {frontend}");

            var titles = Corpus.Read(cctv).Select(a => a.Title).ToList();
            var specs = QueryMix.Build(titles, ctx.Int("queries", 1000), 42, new DateOnly(2016, 1, 1), new DateOnly(2026, 12, 31));
            using var balanced = NewClient([viaBalancer]);
            using var direct = NewClient(ports.Select(p => new Uri($"http://127.0.0.1:{p}")).ToList());
            await WaitFor(() => balanced.Client.SearchAsync(new SearchRequest { Query = "中国" }).ResponseAsync, TimeSpan.FromSeconds(30));
            // The tokens are issued by whichever replicas HAProxy picks and then sent to any of them.
            var page5 = await QueryMix.ResolvePageTokens(balanced.Client, specs);
            Console.Error.WriteLine($"[replicas] {specs.Count} queries, {page5} at page 5 (tokens issued through the balancer)");

            var results = new List<PhaseResult>();
            foreach (var (name, client, victim) in new[] { ("HAProxy", balanced.Client, 0), ("client round-robin", direct.Client, 1) })
            {
                Console.Error.WriteLine($"[replicas] {name}: {duration.TotalSeconds:F0} s at {rate:F0} req/s; replica {victim + 1} killed at 1/3, restarted at 1/2 …");
                results.Add(await Phase(name, client, specs, rate, duration, victim,
                    () => replicas[victim]!.Kill(),
                    () =>
                    {
                        replicas[victim]!.Dispose();
                        return replicas[victim] = ServerProcess.StartOn(ctx, ports[victim], seeds, indexes[victim], extra);
                    },
                    clock, name == "HAProxy" ? balancerLog : null, $"r{victim + 1}"));
            }

            Report.Table($"Three replicas, one SIGKILLed at 1/3 of {duration.TotalSeconds:F0} s and restarted at 1/2; query mix open loop at {rate:F0} req/s through NewsSearch.Client (retries on)",
                ["figure", .. results.Select(r => r.Name)],
                [
                    ["requests sent", .. results.Select(r => Report.N(r.Load.LatencyMs.Length))],
                    ["failed (target 0)", .. results.Select(r => r.Load.ErrorsText)],
                    ["p99 before the kill", .. results.Select(r => r.P99(0, r.KillSecs))],
                    ["p99 during (kill → restarted replica SERVING)", .. results.Select(r => r.P99(r.KillSecs, r.ServingSecs))],
                    ["p99 after", .. results.Select(r => r.P99(r.ServingSecs, double.MaxValue))],
                    ["p50 / p99.9 whole run", .. results.Select(r => { var s = r.Load.Sorted(); return $"{QueryBench.Ms(Stats.Pct(s, 0.5))} / {QueryBench.Ms(Stats.Pct(s, 0.999))}"; })],
                    ["killed / restarted at", .. results.Select(r => $"{r.KillSecs:F1} s / {r.RestartSecs:F1} s")],
                    ["restarted replica SERVING after", .. results.Select(r => $"{(r.ServingSecs - r.RestartSecs) * 1000:F0} ms")],
                    ["HAProxy marked it DOWN after the kill", .. results.Select(r => r.DownAfter ?? "-")],
                    ["HAProxy marked it UP after the restart", .. results.Select(r => r.UpAfter ?? "-")],
                ]);
            Console.WriteLine($"Index: {reindex.Articles} articles built once by --reindex in {reindex.WallSecs:F1} s and copied to {Replicas} folders; " +
                $"{page5} page-5 queries with tokens issued through the balancer; {Environment.ProcessorCount} cores shared by the replicas, HAProxy and the client.");
            Console.WriteLine();
            Console.WriteLine("HAProxy's server state changes:");
            // HAProxy prints each change twice: as a log line on stdout and as a [WARNING] on stderr.
            foreach (var (secs, line) in balancerLog.Where(l => l.Line.StartsWith("Server replicas/", StringComparison.Ordinal)))
                Console.WriteLine($"    {secs,7:F1} s  {line}");

            var report = new Report();
            foreach (var r in results)
            {
                report.Add("replicas", $"{r.Name}: failed / sent", $"{r.Load.Errors} / {r.Load.LatencyMs.Length}");
                report.Add("replicas", $"{r.Name}: p99 before / during / after", $"{r.P99(0, r.KillSecs)} / {r.P99(r.KillSecs, r.ServingSecs)} / {r.P99(r.ServingSecs, double.MaxValue)}");
                report.Add("replicas", $"{r.Name}: restarted replica SERVING after", $"{(r.ServingSecs - r.RestartSecs) * 1000:F0} ms");
            }
            return report;
        }
        finally
        {
            if (balancer is { HasExited: false })
            {
                balancer.Kill(entireProcessTree: true);
                balancer.WaitForExit();
            }
            balancer?.Dispose();
            foreach (var r in replicas) r?.Dispose();
        }
    }

    /// <summary>One open-loop run with a kill and a restart. Times are seconds from the start of the load.</summary>
    private sealed record PhaseResult(string Name, Load.OpenResult Load, double KillSecs, double RestartSecs, double ServingSecs, string? DownAfter, string? UpAfter)
    {
        /// <summary>p99 of the requests that were due in [from, to).</summary>
        public string P99(double from, double to)
        {
            var sorted = Load.LatencyMs.Select((l, i) => (l, due: i / Load.Rate))
                .Where(x => x.due >= from && x.due < to && !double.IsNaN(x.l)).Select(x => x.l).Order().ToList();
            return $"{QueryBench.Ms(Stats.Pct(sorted, 0.99))} ({sorted.Count})";
        }
    }

    private static async Task<PhaseResult> Phase(string name, ArticleSearch.ArticleSearchClient client, List<QuerySpec> specs, double rate,
        TimeSpan duration, int victim, Action kill, Func<ServerProcess> restart, Stopwatch clock,
        ConcurrentQueue<(double Secs, string Line)>? balancerLog, string server)
    {
        Task Search(int i) => client.SearchAsync(specs[i % specs.Count].ToRequest()).ResponseAsync;
        await Load.Closed(Search, 2, TimeSpan.FromSeconds(2));

        double killAt = double.NaN, restartAt = double.NaN, servingAt = double.NaN;
        var origin = clock.Elapsed.TotalSeconds;
        var start = Stopwatch.GetTimestamp();
        double Now() => Stopwatch.GetElapsedTime(start).TotalSeconds;
        var chaos = Task.Run(async () =>
        {
            await Task.Delay(duration / 3);
            kill();
            killAt = Now();
            Console.Error.WriteLine($"[replicas] {name}: replica {victim + 1} SIGKILLed at {killAt:F1} s");
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, duration.TotalSeconds / 2 - Now())));
            var replica = restart();
            restartAt = Now();
            await replica.WaitForHealth(Stopwatch.GetTimestamp(), TimeSpan.FromMinutes(2));
            servingAt = Now();
            Console.Error.WriteLine($"[replicas] {name}: replica {victim + 1} restarted at {restartAt:F1} s, SERVING at {servingAt:F1} s");
        });
        var load = await Load.Open(Search, rate, duration);
        await chaos;

        string? After(string what, double since)
        {
            if (balancerLog is null) return null;
            var hit = balancerLog.FirstOrDefault(l => l.Secs - origin >= since && l.Line.StartsWith($"Server replicas/{server} is {what}", StringComparison.Ordinal));
            return hit.Line is null ? "not seen" : $"{(hit.Secs - origin - since) * 1000:F0} ms";
        }
        // HAProxy's UP needs `rise` passing checks after the replica serves: give it a moment to log it.
        if (balancerLog is not null) await Task.Delay(TimeSpan.FromSeconds(2));
        return new PhaseResult(name, load, killAt, restartAt, servingAt, After("DOWN", killAt), After("UP", restartAt));
    }

    private static Process StartBalancer(string haproxy, string config, int frontend, int[] ports, TimeSpan duration,
        ConcurrentQueue<(double, string)> log, Stopwatch clock)
    {
        // `timeout` bounds HAProxy's life even if this process dies without reaching its finally block.
        var psi = new ProcessStartInfo("timeout")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in new[] { $"{(int)(duration.TotalSeconds * 3 + 600)}", haproxy, "-db", "-f", config }) psi.ArgumentList.Add(a);
        psi.Environment["NEWS_SEARCH_BIND"] = $"127.0.0.1:{frontend}";
        for (var i = 0; i < ports.Length; i++) psi.Environment[$"NEWS_SEARCH_REPLICA_{i + 1}"] = $"127.0.0.1:{ports[i]}";
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue((clock.Elapsed.TotalSeconds, e.Data)); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue((clock.Elapsed.TotalSeconds, e.Data)); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private sealed class OwnedClient(ServiceProvider provider) : IDisposable
    {
        public ArticleSearch.ArticleSearchClient Client { get; } = provider.GetRequiredService<ArticleSearch.ArticleSearchClient>();
        public void Dispose() => provider.Dispose();
    }

    /// <summary>The client as an application configures it: default deadline (5 s) and retries (4 attempts on UNAVAILABLE).</summary>
    private static OwnedClient NewClient(IList<Uri> addresses)
    {
        var services = new ServiceCollection();
        services.AddNewsSearchClient(o => o.Addresses = addresses).RemoveAllLoggers();
        return new OwnedClient(services.BuildServiceProvider());
    }

    private static async Task WaitFor(Func<Task> call, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try { await call(); return; }
            catch (Grpc.Core.RpcException) when (watch.Elapsed < timeout) { await Task.Delay(100); }
        }
    }

    private static string CopyDir(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var d in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, d)));
        foreach (var f in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(f, Path.Combine(to, Path.GetRelativePath(from, f)));
        return to;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
