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
        await using var app = Build(args);
        await app.RunAsync();
        return 0;
    }

    /// <summary>Creates the web application: gRPC services, reflection, health, and the indexing worker.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddNewsSearch();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapGrpcService<ArticleSearchService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        return app;
    }

    /// <summary>Registers logging, validated options, the engine, the worker and the gRPC services.</summary>
    public static WebApplicationBuilder AddNewsSearch(this WebApplicationBuilder builder)
    {
        // Embedded defaults, so the service runs the same without appsettings.json: loopback only, gRPC over
        // cleartext HTTP/2. --urls (or the Urls key) overrides the address.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));
        builder.Services.AddSerilog((services, log) => ConfigureLogging(log, builder.Configuration, services));
        builder.Services.AddSearchEngine(builder.Environment.ContentRootPath);
        builder.Services.AddHostedService<IndexingWorker>();
        builder.Services.AddApiKeys();
        builder.Services.AddGrpc(o =>
        {
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

    /// <summary>Serilog from the <c>Serilog</c> configuration section; a readable console log when there is none.</summary>
    public static void ConfigureLogging(LoggerConfiguration log, IConfiguration configuration, IServiceProvider services)
    {
        log.ReadFrom.Configuration(configuration).ReadFrom.Services(services);
        if (!configuration.GetSection("Serilog").Exists())
            log.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The engine and its options, shared by the server and the reindex command.</summary>
    public static IServiceCollection AddSearchEngine(this IServiceCollection services, string contentRoot)
    {
        services.AddOptions<SearchEngineOptions>()
            .BindConfiguration(SearchEngineOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => ZoneExists(o.TimeZone), $"{SearchEngineOptions.Section}:TimeZone must be an IANA time zone id such as Asia/Shanghai")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new NewsSearchEngine(
            sp.GetRequiredService<IOptions<SearchEngineOptions>>().Value.ResolvedAgainst(contentRoot),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private static bool ZoneExists(string id)
    {
        try { TimeZoneInfo.FindSystemTimeZoneById(id); return true; }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { return false; }
    }
}

/// <summary>Opens the index before the service accepts requests, then keeps it in step with the seeds folder.</summary>
internal sealed class IndexingWorker(NewsSearchEngine engine) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        engine.Open();
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => engine.RunAsync(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        engine.Dispose();
    }
}

/// <summary>SERVING once the index is open. Cheap: the health service runs it on every call.</summary>
internal sealed class IndexHealthCheck(NewsSearchEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine.IsOpen ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the index is not open"));
}
