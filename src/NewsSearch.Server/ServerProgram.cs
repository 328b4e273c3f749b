using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NewsSearch.Engine;
using Serilog;

namespace NewsSearch.Server;

/// <summary>Builds and runs the gRPC host. Tests start the same host through <see cref="Build"/>.</summary>
public static class ServerProgram
{
    public const string ReindexFlag = "--reindex";

    public static bool IsReindex(string[] args) => args.Contains(ReindexFlag);

    public static string[] WithoutReindexFlag(string[] args) => args.Where(a => a != ReindexFlag).ToArray();

    public static async Task<int> RunAsync(string[] args)
    {
        EnoughWorkerThreads();
        await using var app = Build(args);
        await app.RunAsync();
        return 0;
    }

    /// <summary>Worker threads the pool keeps ready, per core.</summary>
    private const int WorkerThreadsPerCore = 8;

    /// <summary>
    /// Starts the thread pool with <see cref="WorkerThreadsPerCore"/> workers per core instead of one. A search runs
    /// on a pool thread from start to end without waiting, and the pool adds threads only when work stops
    /// completing, so with one thread per core two slow searches (a pasted paragraph) held every quick one queued
    /// behind them. With more threads than cores the operating system shares the cores among the searches in flight.
    /// Measured on cctv with 2 cores (BENCHMARKS.md, session 20): at half of saturation, p99 31–56 → 14 ms and p50
    /// 2.4–2.6 → 1.5–1.7 ms, for 5–10% less throughput at saturation. That run's load generator took a core of its own
    /// while pacing; measured again without that (session 22), one and eight workers per core perform alike, and the
    /// setting stays as a guard for slow searches that arrive together before the pool has grown.
    /// </summary>
    private static void EnoughWorkerThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var completion);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * WorkerThreadsPerCore), completion);
    }

    /// <summary>Creates the web application: gRPC services, reflection, health, and the indexing worker.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddNewsSearch();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapMetrics();
        app.UseMiddleware<RequestFraming>();
        app.MapGrpcService<ArticleSearchService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        return app;
    }

    /// <summary>Registers logging, validated options, the engine, the worker and the gRPC services.</summary>
    public static WebApplicationBuilder AddNewsSearch(this WebApplicationBuilder builder)
    {
        // Embedded defaults, so the service runs the same without appsettings.json: loopback only, gRPC over
        // cleartext HTTP/2, metrics over HTTP/1.1 on a port of their own. --urls (or the Urls key) overrides the
        // gRPC address, Search:MetricsUrl the metrics one.
        builder.AddTelemetry();
        builder.Services.AddSerilog((services, log) => ConfigureLogging(log, builder.Configuration, services));
        builder.Services.AddSearchEngine(builder.Environment.ContentRootPath);
        builder.Services.AddHostedService<IndexingWorker>();
        builder.Services.AddApiKeys();
        builder.Services.AddOptions<AdmissionOptions>().BindConfiguration(SearchEngineOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AdmissionOptions>, AdmissionOptionsValidator>();
        builder.Services.AddSingleton<SearchAdmission>();
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<RpcMetricsInterceptor>();
            o.Interceptors.Add<ApiKeyInterceptor>();
            o.Interceptors.Add<ErrorMappingInterceptor>();
            o.EnableDetailedErrors = false;
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks()
            .AddCheck<IndexHealthCheck>("index");
        return builder;
    }

    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The listening addresses <paramref name="args"/> and the environment ask for, as the host reads them.</summary>
    public static string ListeningUrls(string[] args)
    {
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        return config[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls ? urls : DefaultUrl;
    }

    /// <summary>The metrics address <paramref name="args"/> and the environment ask for (empty when turned off).</summary>
    public static string MetricsUrl(string[] args)
    {
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        return config[TelemetryOptions.MetricsUrlKey] ?? TelemetryOptions.DefaultMetricsUrl;
    }

    /// <summary>
    /// Serilog from the <c>Serilog</c> configuration section; a readable console log when there is none. With
    /// <c>Search:LogFormat</c> <c>json</c>, the section's levels and enrichers still apply but its sinks are replaced by
    /// one console sink writing rendered compact JSON (one object per line, with <c>@tr</c>/<c>@sp</c>, the trace and
    /// span ids of the request the event belongs to).
    /// </summary>
    public static void ConfigureLogging(LoggerConfiguration log, IConfiguration configuration, IServiceProvider services)
    {
        var json = TelemetryOptions.JsonLog(configuration);
        log.ReadFrom.Configuration(json ? WithoutSinks(configuration) : configuration).ReadFrom.Services(services)
            // The host and Kestrel log a start-up failure with its stack trace; Program says it in one sentence instead.
            .Filter.ByExcluding(e => e.Level >= Serilog.Events.LogEventLevel.Error && e.Exception is { } x &&
                StartupFailure.Describe(x, null) is not null);
        if (!configuration.GetSection("Serilog").Exists())
            log.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning);
        if (json)
            log.WriteTo.Console(new Serilog.Formatting.Compact.RenderedCompactJsonFormatter());
        else if (!configuration.GetSection("Serilog").Exists())
            log.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The <c>Serilog</c> section without its <c>WriteTo</c> sinks.</summary>
    private static IConfiguration WithoutSinks(IConfiguration configuration) =>
        new ConfigurationBuilder().AddInMemoryCollection(configuration.GetSection("Serilog").AsEnumerable()
                .Where(kv => kv.Value is not null && !kv.Key.StartsWith("Serilog:WriteTo", StringComparison.OrdinalIgnoreCase)))
            .Build();

    /// <summary>The engine and its options, shared by the server and the reindex command.</summary>
    public static IServiceCollection AddSearchEngine(this IServiceCollection services, string contentRoot)
    {
        services.AddOptions<SearchEngineOptions>()
            .BindConfiguration(SearchEngineOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SearchEngineOptions>, SearchOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new NewsSearchEngine(
            sp.GetRequiredService<IOptions<SearchEngineOptions>>().Value.ResolvedAgainst(contentRoot),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        return services;
    }
}

/// <summary>
/// The engine's lifecycle in the host. Start-up runs in the order that touches the least before a failure can show:
/// options are validated, then the index folder is claimed (a second server fails here), then Kestrel binds its
/// address (a port in use fails here), and only then is the index opened and followed. Until it is open, searches get
/// UNAVAILABLE and health says NOT_SERVING.
/// </summary>
internal sealed class IndexingWorker(NewsSearchEngine engine) : IHostedLifecycleService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        engine.ClaimFolder();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        engine.Open();
        _loop = Task.Factory.StartNew(() => engine.RunAsync(_stopping.Token), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Cancels a running pass: it is rolled back, so the last published index stays complete.
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        engine.Dispose();
        _stopping.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>SERVING once the index is open. Cheap: the health service runs it on every call.</summary>
internal sealed class IndexHealthCheck(NewsSearchEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine.IsOpen ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the index is not open"));
}
