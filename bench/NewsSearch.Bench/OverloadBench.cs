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
/// another, closed loop, then while <c>--exporters</c> clients each export every article's id and date, one export after
/// another. Every search carries the client's default deadline of 5 s, as an application's would. Printed: per phase,
/// each kind's answered calls, failures by status code and latency, and long searches or exported articles answered
/// per second (goodput). Two builds compare with <c>--server-dll</c>; two export lane sizes with <c>--export-slots</c>.
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
        var exporters = ctx.Int("exporters", 0);
        var exportDeadline = TimeSpan.FromSeconds(ctx.Double("export-deadline-seconds", 120));
        using var tmp = new TempDir("overload", ctx.Flag("keep"));
        // --export-slots N: the server's Search:MaxConcurrentExports (a large N is as if exports had no lane of their own).
        string[] serverArgs = ctx.Get("export-slots") is { } slots ? ["--Search:MaxConcurrentExports", slots] : [];
        var (_, specs, server, _) = await CctvUnderLoad.StartAsync(ctx, tmp, "overload", readerMix: true, serverArgs: serverArgs);
        using var _ = server;
        var shortSpecs = specs.Where(s => s.Kind != QueryKind.PastedParagraph).ToList();
        var pastes = Pastes(Corpus.Read(ctx.CorpusFile(BenchContext.CctvFile)).Select(a => a.Body), pasteChars, 200);

        Task Short(int i) => server.Search.SearchAsync(shortSpecs[i % shortSpecs.Count].ToRequest(), deadline: DateTime.UtcNow.Add(deadline)).ResponseAsync;
        Task Health(int i) => server.Health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.Add(deadline)).ResponseAsync;
        Console.Error.WriteLine("[overload] warming up …");
        await Load.Closed(Short, 4, TimeSpan.FromSeconds(3));
        await Load.Closed(i => server.Search.SearchAsync(new SearchRequest { Query = pastes[i % pastes.Count] }, deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync, 2, TimeSpan.FromSeconds(3));

        async Task<long> Paste(int i)
        {
            await server.Search.SearchAsync(new SearchRequest { Query = pastes[i % pastes.Count] }, deadline: DateTime.UtcNow.Add(deadline)).ResponseAsync;
            return 1;
        }
        // An export of every article's id and date (a date range from the first day there is): a batch at a time,
        // each a search in the export lane.
        async Task<long> Export(int i)
        {
            long count = 0;
            using var call = server.Search.Export(new ExportRequest { PublishedFrom = "0001-01-01" }, deadline: DateTime.UtcNow.Add(exportDeadline));
            await foreach (var _ in call.ResponseStream.ReadAllAsync()) count++;
            return count;
        }

        var phases = new List<(string Name, int Clients, Func<int, Task<long>>? Call, string What)> { ("short searches alone", 0, null, "") };
        if (pasters > 0) phases.Add(($"with {pasters} clients sending pastes", pasters, Paste, $"pastes of {Report.N(pasteChars)} characters"));
        if (exporters > 0) phases.Add(($"with {exporters} clients exporting everything", exporters, Export, "exports (articles streamed/s)"));
        var rows = new List<string[]>();
        var report = new Report();
        foreach (var (phase, clients, call, what) in phases)
        {
            Console.Error.WriteLine($"[overload] {phase} …");
            using var stop = new CancellationTokenSource();
            var clientsRun = call is null ? Task.FromResult(new ClientsResult([], new())) : Clients(clients, call, stop.Token);
            var started = Stopwatch.GetTimestamp();
            var shortRun = Load.Open(Short, rate, seconds);
            var healthRun = Load.Open(Health, 10, seconds);
            var (shorts, health) = (await shortRun, await healthRun);
            stop.Cancel();
            var done = await clientsRun;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            rows.Add(Row(phase, $"short searches at {Report.N(rate)} req/s", shorts.Sorted(), shorts.LatencyMs.Length, shorts.ErrorsText, null));
            rows.Add(Row(phase, "Health/Check at 10 req/s", health.Sorted(), health.LatencyMs.Length, health.ErrorsText, null));
            if (call is not null)
            {
                var ok = done.LatencyMs.Order().ToList();
                rows.Add(Row(phase, what, ok, ok.Count + done.Errors.Values.Sum(),
                    done.Errors.Count == 0 ? "0" : Load.ByCode(done.Errors), done.Items / elapsed));
                report.Add("overload", $"{phase}: items answered per second", Report.N(done.Items / elapsed, 1));
            }
            report.Add("overload", $"{phase}: short p99", QueryBench.Ms(Stats.Pct(shorts.Sorted(), 0.99)));
            report.Add("overload", $"{phase}: short errors", shorts.ErrorsText);
        }
        Report.Table($"Overload: short searches and Health/Check open loop, paste-sized searches and exports (when asked) closed loop ({seconds.TotalSeconds:F0} s per phase; deadline {deadline.TotalSeconds:F0} s per call; client and server share {Environment.ProcessorCount} cores)",
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

    private sealed record ClientsResult(List<double> LatencyMs, Dictionary<StatusCode, int> Errors)
    {
        /// <summary>What the answered calls returned: searches 1 each, exports the articles streamed.</summary>
        public long Items;
    }

    /// <summary>
    /// <paramref name="clients"/> callers, each making its next call (<paramref name="call"/>, given a running number,
    /// returning how many items it got) when the last one is done, until stopped.
    /// </summary>
    private static async Task<ClientsResult> Clients(int clients, Func<int, Task<long>> call, CancellationToken stop)
    {
        var result = new ClientsResult([], new());
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    var items = await call(Interlocked.Increment(ref next));
                    lock (result)
                    {
                        result.LatencyMs.Add(Stats.Ms(t0));
                        result.Items += items;
                    }
                }
                catch (RpcException e)
                {
                    lock (result)
                    {
                        if (!result.Errors.ContainsKey(e.StatusCode)) Console.Error.WriteLine($"[overload] first {e.StatusCode}: {e.Status.Detail}");
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
