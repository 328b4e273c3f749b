using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using NewsSearch.Api.V1;

namespace NewsSearch.Bench;

/// <summary>
/// The gRPC server as a separate process (<c>dotnet NewsSearch.Server.dll</c>), run from the repository root so that
/// its appsettings.json (HTTP/2, Serilog console log) applies, on a free loopback port.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ServiceProvider _clients;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
        var services = new ServiceCollection();
        services.AddNewsSearchClient(o =>
            {
                o.Addresses = [Address];
                // The bench measures the service: no retry may hide an UNAVAILABLE, and no default deadline may turn a
                // slow answer under overload into an error (calls that want a deadline name their own).
                o.MaxAttempts = 1;
                o.DefaultDeadline = TimeSpan.MaxValue;
            })
            .ConfigurePrimaryHttpMessageHandler(NewHandler)
            // The factory's per-request logging handlers would sit in the measured path and log nowhere.
            .RemoveAllLoggers();
        _clients = services.BuildServiceProvider();
        Search = _clients.GetRequiredService<ArticleSearch.ArticleSearchClient>();
        // Health is no part of the search contract: it keeps a plain channel, with the same handler settings.
        Channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = NewHandler() });
        Health = new Health.HealthClient(Channel);
    }

    private static SocketsHttpHandler NewHandler() =>
        new() { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan };

    public Uri Address { get; }
    public int Pid => _process.Id;
    /// <summary>The channel of <see cref="Health"/>.</summary>
    public GrpcChannel Channel { get; }
    /// <summary>From NewsSearch.Client, as an application would get it (retries and default deadline off).</summary>
    public ArticleSearch.ArticleSearchClient Search { get; }
    public Health.HealthClient Health { get; }
    public ConcurrentQueue<string> Log { get; } = new();
    public string RssText => Proc.RssText(Pid);
    public long PeakRssKb => Proc.StatusKb(Pid, "VmHWM");

    public static ServerProcess Start(BenchContext ctx, string seeds, string index, params string[] extra) =>
        StartOn(ctx, FreePort(), seeds, index, extra);

    /// <summary>As <see cref="Start"/>, on a given loopback port (a replica restarted where its balancer expects it).</summary>
    public static ServerProcess StartOn(BenchContext ctx, int port, string seeds, string index, params string[] extra)
    {
        var psi = ServerStartInfo(ctx, ["--urls", $"http://127.0.0.1:{port}", "--Kestrel:EndpointDefaults:Protocols", "Http2",
            "--Search:SeedsPath", seeds, "--Search:IndexPath", index,
            // No metrics listener: the default port would clash with a service already running on this machine.
            "--Search:MetricsUrl", "", .. extra]);
        var server = new ServerProcess(new Process { StartInfo = psi }, port);
        server._process.OutputDataReceived += (_, e) => { if (e.Data is not null) server.Log.Enqueue(e.Data); };
        server._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server.Log.Enqueue(e.Data); };
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    private static ProcessStartInfo ServerStartInfo(BenchContext ctx, string[] args)
    {
        var psi = new ProcessStartInfo(BenchContext.DotnetHost)
        {
            WorkingDirectory = ctx.RepoRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(ctx.ServerDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Waits until a Search succeeds; returns the time since <paramref name="since"/> (a Stopwatch timestamp).</summary>
    public Task<TimeSpan> WaitForFirstSearch(long since, TimeSpan timeout, string query = "中国") =>
        WaitFor(() => Search.SearchAsync(new SearchRequest { Query = query }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync, since, timeout);

    /// <summary>Waits until the gRPC health check answers SERVING.</summary>
    public Task<TimeSpan> WaitForHealth(long since, TimeSpan timeout) =>
        WaitFor(async () =>
        {
            var r = await Health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
            if (r.Status != HealthCheckResponse.Types.ServingStatus.Serving) throw new RpcException(new Status(StatusCode.Unavailable, r.Status.ToString()));
        }, since, timeout);

    private async Task<TimeSpan> WaitFor(Func<Task> call, long since, TimeSpan timeout)
    {
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the server exited ({_process.ExitCode}):\n" + string.Join('\n', Log.TakeLast(30)));
            try
            {
                await call();
                return Stopwatch.GetElapsedTime(since);
            }
            catch (RpcException)
            {
                if (Stopwatch.GetElapsedTime(since) > timeout) throw new TimeoutException($"the server did not serve within {timeout}");
                await Task.Delay(10);
            }
        }
    }

    /// <summary>SIGKILL: the replica dies mid-request, as on a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM (graceful shutdown), then a kill if it does not stop in time.</summary>
    public void Stop()
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString()])) kill.WaitForExit();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Stop();
        Channel.Dispose();
        _clients.Dispose();
        _process.Dispose();
    }

    public sealed record ReindexResult(int ExitCode, double WallSecs, long PeakRssKb, double? EngineArticlesPerSec, int? Articles, List<string> Output);

    /// <summary><c>dotnet NewsSearch.Server.dll --reindex</c> on the given folders, with its peak RSS sampled.</summary>
    public static ReindexResult Reindex(BenchContext ctx, string seeds, string index, TimeSpan timeout)
    {
        var psi = ServerStartInfo(ctx, ["--reindex", "--Search:SeedsPath", seeds, "--Search:IndexPath", index]);
        var output = new List<string>();
        var watch = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        long peak = 0;
        while (!p.WaitForExit(200))
        {
            peak = Math.Max(peak, Proc.StatusKb(p.Id, "VmHWM"));
            if (watch.Elapsed > timeout) { p.Kill(true); throw new TimeoutException($"--reindex did not finish within {timeout}"); }
        }
        p.WaitForExit();
        var secs = watch.Elapsed.TotalSeconds;
        // "Indexed 24100 articles from 1 files in 12.3 s (1959 articles/s); 0 inputs skipped."
        var summary = output.Select(l => Regex.Match(l, @"Indexed (\d+) articles from \d+ files? in [\d.]+ s \((\d+) articles/s\)")).FirstOrDefault(m => m.Success);
        return new ReindexResult(p.ExitCode, secs, peak,
            summary is null ? null : double.Parse(summary.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            summary is null ? null : int.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), output);
    }
}
