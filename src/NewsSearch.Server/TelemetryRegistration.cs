using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using NewsSearch.Engine;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NewsSearch.Server;

/// <summary>
/// Metrics and traces through OpenTelemetry. Metrics (the engine's meter, gRPC calls, ASP.NET Core and the runtime)
/// are scraped in Prometheus text format from <c>/metrics</c> on <c>Search:MetricsUrl</c>: a listener of its own,
/// plain HTTP/1.1, which serves nothing else, while the gRPC address stays HTTP/2-only and never serves
/// <c>/metrics</c>. Traces (each request, each search and its phases) are exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; otherwise they are not recorded, but each request still gets a trace
/// id, which the log carries.
/// </summary>
public static class TelemetryRegistration
{
    public const string ServiceName = "news-search";
    private const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Registers the validated <see cref="TelemetryOptions"/>, OpenTelemetry and the listening addresses:
    /// the gRPC ones over HTTP/2 and, unless turned off, the metrics one over HTTP/1.1.</summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        // One Kestrel, two kinds of listener, told apart by port: Kestrel takes either URLs or endpoints set in code,
        // never both, so the metrics address joins the URLs and its listener is made HTTP/1.1 as it is created.
        var metrics = TelemetryOptions.MetricsEndpoint(builder.Configuration);
        var grpcUrls = TelemetryOptions.GrpcUrls(builder.Configuration);
        builder.Services.AddSingleton(new ListeningAddresses(grpcUrls, metrics));
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(SearchEngineOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        builder.Services.AddSingleton<RpcDurations>();
        builder.Services.AddSingleton<RpcMetricsInterceptor>();
        builder.WebHost.UseUrls(metrics is null ? grpcUrls : $"{grpcUrls};{metrics}");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e =>
            e.Protocols = metrics is not null && e.IPEndPoint?.Port == metrics.Port ? HttpProtocols.Http1 : HttpProtocols.Http2));

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithMetrics(m =>
            {
                m.AddMeter(EngineMetrics.Name, RpcMetricsInterceptor.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation();
                if (metrics is not null) m.AddPrometheusExporter();
            })
            .WithTracing(t =>
            {
                t.AddSource(EngineMetrics.Name).AddAspNetCoreInstrumentation();
                // Without an exporter nothing is recorded, but activities still exist (as propagation data only), so a
                // request's log lines share its trace id.
                if (otlp) t.AddOtlpExporter();
                else t.SetSampler(new AlwaysOffSampler());
            });
        return builder;
    }

    /// <summary>Serves <c>/metrics</c> on the metrics listener and answers everything else there with 404, ahead of
    /// the gRPC endpoints, which therefore never answer on it.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ListeningAddresses>().Metrics is not { } metrics) return app;
        app.MapWhen(c => c.Connection.LocalPort == metrics.Port, branch =>
        {
            branch.UseOpenTelemetryPrometheusScrapingEndpoint();
            branch.Run(c =>
            {
                c.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
        return app;
    }
}
