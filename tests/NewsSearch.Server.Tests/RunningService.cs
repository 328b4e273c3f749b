using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using NewsSearch.Api.V1;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>
/// The real host on a free loopback port over temporary seeds and index folders, with a generated gRPC client.
/// </summary>
public sealed class RunningService : IAsyncDisposable
{
    private readonly TempFolder _folder = new("service");
    private WebApplication? _app;
    private GrpcChannel? _channel;

    public string SeedsPath => _folder.Combine("seeds");
    public string IndexPath => _folder.Combine("index");
    public ArticleSearch.ArticleSearchClient Client { get; private set; } = null!;
    public Health.HealthClient Health { get; private set; } = null!;
    /// <summary>The client's channel, for calls the generated client cannot make (raw bytes, reflection).</summary>
    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("the service is not started");
    public string Address { get; private set; } = "";
    /// <summary>The host's services, for a test that must reach inside (to hold every search slot, say).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the service is not started");

    /// <summary>The arguments an operator would give to point a process at this service's folders.</summary>
    public string[] FolderArgs =>
        ["--Search:SeedsPath", SeedsPath, "--Search:IndexPath", IndexPath, "--Search:PollInterval", "00:00:00.200",
            // No metrics listener: its fixed default port would clash between tests and with a service on this machine.
            "--Search:MetricsUrl", ""];

    /// <param name="extraArgs">More command-line arguments; a later <c>--urls</c> overrides the loopback default.</param>
    /// <param name="configure">Changes to the host before it is built, as <see cref="ServerProgram.Build"/> takes them.</param>
    public static async Task<RunningService> StartAsync(Action<RunningService>? beforeStart = null, string[]? extraArgs = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var s = new RunningService();
        Directory.CreateDirectory(s.SeedsPath);
        beforeStart?.Invoke(s);
        s._app = ServerProgram.Build(["--urls", "http://127.0.0.1:0", "--contentRoot", s._folder.Path, .. s.FolderArgs, .. extraArgs ?? []],
            configure);
        try { await s._app.StartAsync(); }
        catch
        {
            await s.DisposeAsync();
            throw;
        }
        s.Address = s._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        // A service on all interfaces is called on loopback: 0.0.0.0 and [::] are not addresses a client can connect to.
        s._channel = GrpcChannel.ForAddress(s.Address.Replace("//0.0.0.0:", "//127.0.0.1:").Replace("//[::]:", "//[::1]:"));
        s.Client = new ArticleSearch.ArticleSearchClient(s._channel);
        s.Health = new Health.HealthClient(s._channel);
        return s;
    }

    public string WriteSeed(string relative, string text)
    {
        var full = Path.Combine(SeedsPath, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".partial";
        File.WriteAllText(tmp, text);
        File.Move(tmp, full, overwrite: true);
        return full;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes; returns the time taken.</summary>
    public static async Task<TimeSpan> WaitUntil(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (await condition()) return watch.Elapsed;
            await Task.Delay(25);
        }
        Assert.Fail($"condition not met within {timeout.TotalSeconds} s");
        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _folder.Dispose();
    }
}
