using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using NewsSearch.Api.V1;

namespace NewsSearch.Bench;

/// <summary>
/// <c>overload</c>: what readers' short searches and the health check get while more long searches arrive than the
/// server can run. The server runs as a separate process on a cctv index (or <c>--index</c>/<c>--seeds</c>). Short
/// searches (the reader mix without pasted paragraphs) are sent open loop at <c>--rate</c>, first alone, then while
/// <c>--pasters</c> clients each send paste-sized searches (<c>--paste-chars</c> characters of article bodies) one after
/// another, closed loop. Every call carries the client's default deadline of 5 s, as an application's would. Printed:
/// per phase, each kind's answered calls, failures by status code and latency, and long searches answered per second
/// (goodput). Two builds compare with <c>--server-dll</c>.
/// </summary>
public static class OverloadBench
{
    public static async Task<Report?> Run(BenchContext ctx)
    {
        if (!ctx.CorpusPresent(BenchContext.CctvFile, "overload")) return null;
        var seconds = TimeSpan.FromSeconds(ctx.Double("seconds", 20));
        var rate = ctx.Double("rate", 100);
        var pasters = ctx.Int("pasters", 64);
        var pasteChars = ctx.Int("paste-chars", 2000);
        var deadline = TimeSpan.FromSeconds(ctx.Double("deadline-seconds", 5));
        using var tmp = new TempDir("overload", ctx.Flag("keep"));
        var (_, specs, server, _) = await CctvUnderLoad.StartAsync(ctx, tmp, "overload", readerMix: true);
        using var _ = server;
        var shortSpecs = specs.Where(s => s.Kind != QueryKind.PastedParagraph).ToList();
        var pastes = Pastes(Corpus.Read(ctx.CorpusFile(BenchContext.CctvFile)).Select(a => a.Body), pasteChars, 200);

        Task Short(int i) => server.Search.SearchAsync(shortSpecs[i % shortSpecs.Count].ToRequest(), deadline: DateTime.UtcNow.Add(deadline)).ResponseAsync;
        Task Health(int i) => server.Health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.Add(deadline)).ResponseAsync;
        Console.Error.WriteLine("[overload] warming up …");
        await Load.Closed(Short, 4, TimeSpan.FromSeconds(3));
        await Load.Closed(i => server.Search.SearchAsync(new SearchRequest { Query = pastes[i % pastes.Count] }, deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync, 2, TimeSpan.FromSeconds(3));

        var rows = new List<string[]>();
        var report = new Report();
        foreach (var withPastes in new[] { false, true })
        {
            var phase = withPastes ? $"with {pasters} clients sending pastes" : "short searches alone";
            Console.Error.WriteLine($"[overload] {phase} …");
            using var stop = new CancellationTokenSource();
            var pasteRun = withPastes ? Pasters(server, pastes, pasters, deadline, stop.Token) : Task.FromResult(new PasteResult([], new()));
            var started = Stopwatch.GetTimestamp();
            var shortRun = Load.Open(Short, rate, seconds);
            var healthRun = Load.Open(Health, 10, seconds);
            var (shorts, health) = (await shortRun, await healthRun);
            stop.Cancel();
            var pasted = await pasteRun;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            rows.Add(Row(phase, $"short searches at {Report.N(rate)} req/s", shorts.Sorted(), shorts.LatencyMs.Length, shorts.ErrorsText, null));
            rows.Add(Row(phase, "Health/Check at 10 req/s", health.Sorted(), health.LatencyMs.Length, health.ErrorsText, null));
            if (withPastes)
            {
                var ok = pasted.LatencyMs.Order().ToList();
                rows.Add(Row(phase, $"pastes of {Report.N(pasteChars)} characters", ok, ok.Count + pasted.Errors.Values.Sum(),
                    pasted.Errors.Count == 0 ? "0" : Load.ByCode(pasted.Errors),
                    ok.Count / elapsed));
                report.Add("overload", "pastes answered per second", Report.N(ok.Count / elapsed, 1));
            }
            report.Add("overload", $"{phase}: short p99", QueryBench.Ms(Stats.Pct(shorts.Sorted(), 0.99)));
            report.Add("overload", $"{phase}: short errors", shorts.ErrorsText);
        }
        Report.Table($"Overload: short searches and Health/Check open loop, paste-sized searches closed loop ({seconds.TotalSeconds:F0} s per phase; deadline {deadline.TotalSeconds:F0} s per call; client and server share {Environment.ProcessorCount} cores)",
            ["phase", "calls", "sent", "failed (by status)", "p50", "p99", "max", "answered/s"], rows);
        return report;
    }

    private static string[] Row(string phase, string calls, List<double> okSorted, int sent, string errors, double? perSecond) =>
    [
        phase, calls, Report.N(sent), errors,
        okSorted.Count == 0 ? "n/a" : QueryBench.Ms(Stats.Pct(okSorted, 0.5)),
        okSorted.Count == 0 ? "n/a" : QueryBench.Ms(Stats.Pct(okSorted, 0.99)),
        okSorted.Count == 0 ? "n/a" : QueryBench.Ms(okSorted[^1]),
        perSecond is { } r ? Report.N(r, 1) : "",
    ];

    private sealed record PasteResult(List<double> LatencyMs, Dictionary<StatusCode, int> Errors);

    /// <summary><paramref name="clients"/> callers, each sending its next paste when the last one is answered, until stopped.</summary>
    private static async Task<PasteResult> Pasters(ServerProcess server, IReadOnlyList<string> pastes, int clients, TimeSpan deadline, CancellationToken stop)
    {
        var result = new PasteResult([], new());
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    await server.Search.SearchAsync(new SearchRequest { Query = pastes[Interlocked.Increment(ref next) % pastes.Count] },
                        deadline: DateTime.UtcNow.Add(deadline)).ResponseAsync;
                    lock (result) result.LatencyMs.Add(Stats.Ms(t0));
                }
                catch (RpcException e)
                {
                    lock (result)
                    {
                        if (!result.Errors.ContainsKey(e.StatusCode)) Console.Error.WriteLine($"[overload] first paste {e.StatusCode}: {e.Status.Detail}");
                        result.Errors[e.StatusCode] = result.Errors.GetValueOrDefault(e.StatusCode) + 1;
                    }
                    // A refused caller comes back after a pause, as a client that backs off does.
                    if (e.StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted) await Task.Delay(100, CancellationToken.None);
                }
            }
        })));
        return result;
    }

    /// <summary><paramref name="count"/> texts of <paramref name="chars"/> characters, each from consecutive bodies.</summary>
    private static List<string> Pastes(IEnumerable<string> bodies, int chars, int count)
    {
        var pastes = new List<string>(count);
        var current = new System.Text.StringBuilder();
        foreach (var body in bodies.Where(b => b.Length >= 200))
        {
            current.Append(body.ReplaceLineEndings(" ")).Append(' ');
            if (current.Length < chars) continue;
            pastes.Add(current.ToString(0, chars));
            current.Clear();
            if (pastes.Count == count) break;
        }
        return pastes;
    }
}
