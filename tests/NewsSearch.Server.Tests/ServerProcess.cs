using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>
/// The real NewsSearch.Server.dll as a separate process on a free loopback port over a temporary folder's
/// <c>seeds/</c> and <c>index/</c>, for what only a process shows: kills, CPU time, its console log.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }
    public string Address => $"http://127.0.0.1:{Port}";
    public int Id => _process.Id;

    /// <summary>Every line the process wrote to its console so far.</summary>
    public IReadOnlyList<string> Output => _output.ToArray();

    public static ServerProcess Start(TempFolder folder, params string[] extraArgs) => Start(folder, new Dictionary<string, string>(), extraArgs);

    /// <param name="environment">Variables set for the process on top of this one's.</param>
    public static ServerProcess Start(TempFolder folder, IReadOnlyDictionary<string, string> environment, params string[] extraArgs)
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "NewsSearch.Server.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        foreach (var a in (string[])[dll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", folder.Path,
                     "--Search:SeedsPath", folder.Combine("seeds"), "--Search:IndexPath", folder.Combine("index"), .. extraArgs])
            psi.ArgumentList.Add(a);
        return new ServerProcess(Process.Start(psi)!, port);
    }

    /// <summary>CPU time the process has used so far (user and system), from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        // Fields after the command name in parentheses: state is field 3, utime 14 and stime 15, in clock ticks (100 a second).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

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
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
