using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace NewsSearch.Server;

/// <summary>
/// The host's telemetry settings, in the <c>Search</c> section beside the engine's: where Prometheus scrapes the
/// metrics, and whether the log is text or compact JSON. Traces are exported when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; that needs no option here.
/// </summary>
public sealed class TelemetryOptions
{
    public const string MetricsUrlKey = "Search:MetricsUrl";
    public const string LogFormatKey = "Search:LogFormat";
    public const string DefaultMetricsUrl = "http://127.0.0.1:9464";

    /// <summary>Plain HTTP/1.1 address whose <c>/metrics</c> serves the Prometheus text format; empty turns it off.
    /// Default <c>http://127.0.0.1:9464</c>.</summary>
    public string MetricsUrl { get; set; } = DefaultMetricsUrl;

    /// <summary><c>text</c> (default: one readable line per event) or <c>json</c> (Serilog's rendered compact JSON, one
    /// object per line, with the trace and span ids of the request).</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>The metrics address the configuration asks for, or null when it is off or not a usable address (the
    /// validator then stops the service at start, naming the key).</summary>
    public static BindingAddress? MetricsEndpoint(IConfiguration configuration)
    {
        var url = configuration[MetricsUrlKey] ?? DefaultMetricsUrl;
        return url.Length == 0 || MetricsUrlProblem(url, GrpcUrls(configuration)) is not null ? null : BindingAddress.Parse(url);
    }

    /// <summary>True when the configuration asks for the JSON log.</summary>
    public static bool JsonLog(IConfiguration configuration) =>
        string.Equals(configuration[LogFormatKey]?.Trim(), "json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="url"/> cannot serve the metrics, or null when it can.</summary>
    internal static string? MetricsUrlProblem(string url, string grpcUrls)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return $"'{url}' is not a listening address; use one such as {DefaultMetricsUrl}, or an empty value to turn metrics off";
        }
        if (address.IsUnixPipe || address.IsNamedPipe)
            return $"'{url}' is a pipe; metrics are served on a TCP port such as {DefaultMetricsUrl}";
        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
            return $"'{url}' is not plain http; the metrics endpoint serves plain HTTP/1.1 (put TLS in front of it if needed)";
        if (address.Port is < 1 or > 65535)
            return $"'{url}' needs a fixed port from 1 to 65535, such as {DefaultMetricsUrl}";
        if (address.PathBase.Length > 0)
            return $"'{url}' has a path; give the address only: the metrics are served at /metrics on it";
        if (GrpcPorts(grpcUrls).Contains(address.Port))
            return $"'{url}' uses the port of the gRPC address (Urls {grpcUrls}); metrics need a port of their own";
        return null;
    }

    internal static string GrpcUrls(IConfiguration configuration) =>
        configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls ? urls : ServerProgram.DefaultUrl;

    private static HashSet<int> GrpcPorts(string grpcUrls)
    {
        var ports = new HashSet<int>();
        foreach (var url in grpcUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try { ports.Add(BindingAddress.Parse(url).Port); }
            catch (FormatException) { } // the host reports a bad Urls value itself
        }
        return ports;
    }
}

/// <summary>The addresses the host listens on, as the configuration gave them before the metrics address joined the
/// host's URLs.</summary>
/// <param name="GrpcUrls">The gRPC addresses (<c>Urls</c>), separated by ';'.</param>
/// <param name="Metrics">The metrics address, or null when metrics are off (or the address is refused at start).</param>
public sealed record ListeningAddresses(string GrpcUrls, BindingAddress? Metrics);

/// <summary>Refuses at start a <c>Search:MetricsUrl</c> that cannot be listened on and a <c>Search:LogFormat</c> that is
/// neither text nor json, each in one sentence naming the key.</summary>
internal sealed class TelemetryOptionsValidator(ListeningAddresses addresses) : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (options.MetricsUrl is { Length: > 0 } url && TelemetryOptions.MetricsUrlProblem(url, addresses.GrpcUrls) is { } problem)
            failures.Add($"{TelemetryOptions.MetricsUrlKey}: {problem}");
        if (options.LogFormat.Trim().ToLowerInvariant() is not ("text" or "json"))
            failures.Add($"{TelemetryOptions.LogFormatKey}: '{options.LogFormat}' is not a log format; use text or json");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
