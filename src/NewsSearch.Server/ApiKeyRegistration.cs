using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace NewsSearch.Server;

public static class ApiKeyRegistration
{
    /// <summary>
    /// Registers the validated <see cref="ApiKeyOptions"/>, the <see cref="ApiKeyInterceptor"/> (which the gRPC options
    /// must still list) and the start-up warning for a service reachable from the network without keys.
    /// </summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration("Search").ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        // One instance holds the key digests for every call, instead of one per call.
        services.AddSingleton<ApiKeyInterceptor>();
        services.AddHostedService<OpenListenerWarning>();
        return services;
    }
}

/// <summary>
/// Warns once, when the server has started, if it listens on a non-loopback address while no API keys are set: anyone
/// who can reach the port can then search.
/// </summary>
internal sealed partial class OpenListenerWarning(IServer server, IHostApplicationLifetime lifetime, IOptions<ApiKeyOptions> options,
    ILogger<OpenListenerWarning> logger, ListeningAddresses? listening = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Addresses are final (port 0 resolved, "*" expanded) only once the server has started.
        if (!options.Value.Required) lifetime.ApplicationStarted.Register(WarnIfOpen);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void WarnIfOpen()
    {
        // The metrics listener answers no RPC, so keys would not guard it: it is no reason to warn.
        var open = OpenAddresses((server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            .Where(a => listening?.Metrics is not { } m || BindingAddress.Parse(a).Port != m.Port));
        if (open.Count > 0)
            LogOpen(logger, string.Join(", ", open));
    }

    /// <summary><c>host:port</c> of each address that is neither loopback nor a local socket.</summary>
    internal static List<string> OpenAddresses(IEnumerable<string> addresses) =>
        addresses.Select(BindingAddress.Parse).Where(a => !IsLocal(a)).Select(a => $"{a.Host}:{a.Port}").ToList();

    private static bool IsLocal(BindingAddress a) =>
        a.IsUnixPipe || a.IsNamedPipe ||
        string.Equals(a.Host, "localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(a.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning,
        Message = "The service listens on {Addresses} without API keys; set Search:ApiKeys (environment Search__ApiKeys__0, …) so that only callers with a key are answered")]
    private static partial void LogOpen(ILogger logger, string addresses);
}
