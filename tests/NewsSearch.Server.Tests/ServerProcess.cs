using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Grpc.Health.V1;
using Grpc.Net.Client;
using NewsSearch.Api.V1;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>
/// The real server (NewsSearch.Server.dll) as a separate process on a free loopback port, for what only a process
/// shows: exit codes, start-up messages, signals, kills, memory. Its console output is captured line by line.
/// </summary>
public sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private GrpcChannel? _channel;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public int Pid => _process.Id;
    public string Address => $"http://127.0.0.1:{Port}";
    public string Output => string.Join('\n', _lines);
    public IReadOnlyList<string> Lines => _lines.ToList();
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public ArticleSearch.ArticleSearchClient Client => new((_channel ??= GrpcChannel.ForAddress(Address)));
    public Health.HealthClient Health => new((_channel ??= GrpcChannel.ForAddress(Address)));

    /// <summary>Starts the server on <paramref name="folder"/>'s <c>seeds</c> and <c>index</c> folders.</summary>
    public static ServerProcess Start(TempFolder folder, params string[] extraArgs) =>
        Start(folder, new Dictionary<string, string>(), extraArgs);

    /// <param name="environment">Variables set for the process on top of this one's.</param>
    public static ServerProcess Start(TempFolder folder, IReadOnlyDictionary<string, string> environment, params string[] extraArgs) =>
        Start(environment, ["--contentRoot", folder.Path, "--Search:SeedsPath", folder.Combine("seeds"),
            "--Search:IndexPath", folder.Combine("index"), .. extraArgs]);

    /// <summary>Starts the server with <paramref name="args"/> (and <c>--urls</c> on a free port unless given; and no
    /// metrics listener unless <c>--Search:MetricsUrl</c> is given, since its default port is fixed).</summary>
    public static ServerProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    private static ServerProcess Start(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var port = args.Contains("--urls") ? 0 : FreePort();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NewsSearch.Server.dll"));
        if (port != 0)
        {
            psi.ArgumentList.Add("--urls");
            psi.ArgumentList.Add($"http://127.0.0.1:{port}");
        }
        if (!args.Contains("--Search:MetricsUrl"))
        {
            psi.ArgumentList.Add("--Search:MetricsUrl");
            psi.ArgumentList.Add("");
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        var server = new ServerProcess(p, port);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) server._lines.Enqueue(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) server._lines.Enqueue(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits for the process to exit; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            _process.WaitForExit(); // drains the output readers
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until health says SERVING; fails the test when the process exits first or time runs out.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited) Assert.Fail($"the server exited with {_process.ExitCode}:\n{Output}");
            try
            {
                var r = await Health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (r.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            }
            catch (Grpc.Core.RpcException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        Assert.Fail($"not SERVING within {timeout.TotalSeconds} s:\n{Output}");
    }

    /// <summary>Polls the article count until <paramref name="condition"/> holds; fails the test when time runs out.</summary>
    public async Task<Stats> WaitForStatsAsync(Func<Stats, bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        Stats? last = null;
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited) Assert.Fail($"the server exited with {_process.ExitCode}:\n{Output}");
            try
            {
                last = await Client.GetStatsAsync(new GetStatsRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                if (condition(last)) return last;
            }
            catch (Grpc.Core.RpcException)
            {
                // starting
            }
            await Task.Delay(200);
        }
        Assert.Fail($"stats condition not met within {timeout.TotalSeconds} s; last: {last}\n{Output}");
        return null!;
    }

    /// <summary>Sends SIGTERM, as systemd or Kubernetes would to stop the service.</summary>
    public void Terminate() => Signal(_process.Id, 15);

    /// <summary>Sends SIGKILL: no cleanup of any kind runs.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Peak resident memory of the process so far, in MB (VmHWM), or null when it cannot be read.</summary>
    public double? PeakRssMb()
    {
        var status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    /// <summary>CPU time the process has used so far (user and system), from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        // Fields after the command name in parentheses: utime is field 14 and stime 15, in clock ticks (100 a second).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds((long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) +
            long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0);
    }

    /// <summary>SIGKILL, awaited.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        _channel?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private static void Signal(int pid, int signal)
    {
        if (kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
