using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Server;

/// <summary>
/// Turns the ways start-up fails through no fault of the code (bad configuration, a port or an index folder in use)
/// into one sentence for the operator. Anything else is a bug and keeps its stack trace.
/// </summary>
public static class StartupFailure
{
    /// <summary>Exit code for a start refused because of configuration or a resource held by another process.</summary>
    public const int ExitCode = 2;

    /// <summary>The sentences describing <paramref name="e"/>, or null when it is not a known start-up failure.</summary>
    /// <param name="urls">The gRPC listening addresses, named when one cannot be listened on.</param>
    /// <param name="metricsUrl">The metrics address (<c>Search:MetricsUrl</c>), named instead when it is the one.</param>
    public static IReadOnlyList<string>? Describe(Exception e, string? urls, string? metricsUrl = null) => e switch
    {
        OptionsValidationException o => o.Failures.Select(f => f.StartsWith(Engine.SearchEngineOptions.Section + ":", StringComparison.Ordinal) ? f : $"{o.OptionsName}: {f}").ToList(),
        IndexFolderLockedException l => [$"Search:IndexPath: {l.Message}"],
        IOException io when IsMetricsAddress(io, metricsUrl) => io is { InnerException: AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } }
            ? [$"{TelemetryOptions.MetricsUrlKey}: {metricsUrl} cannot be listened on: the address is already in use by another process (an empty value turns metrics off)"]
            : [$"{TelemetryOptions.MetricsUrlKey}: {metricsUrl} cannot be listened on ({FirstSentence(io.Message)})"],
        IOException { InnerException: AddressInUseException } or IOException { InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } } =>
            [$"Urls: {urls} cannot be listened on: the address is already in use by another process"],
        IOException io when io.Message.StartsWith("Failed to bind", StringComparison.Ordinal) => [$"Urls: {urls} cannot be listened on ({FirstSentence(io.Message)})"],
        ArgumentOutOfRangeException { ParamName: "port" } when IsUrlProblem(e) => [$"Urls: '{urls}' names a port outside 0–65535"],
        FormatException or UriFormatException or ArgumentException when IsUrlProblem(e) => [$"Urls: '{urls}' is not a valid listening address ({FirstSentence(e.Message)})"],
        _ => null,
    };

    /// <summary>True when Kestrel failed to bind the metrics address: its message names the address it tried, and the
    /// metrics port is never a gRPC port (the options validator sees to that).</summary>
    private static bool IsMetricsAddress(IOException e, string? metricsUrl)
    {
        if (string.IsNullOrEmpty(metricsUrl) || !e.Message.StartsWith("Failed to bind", StringComparison.Ordinal)) return false;
        try
        {
            var port = Microsoft.AspNetCore.Http.BindingAddress.Parse(metricsUrl).Port;
            return System.Text.RegularExpressions.Regex.IsMatch(e.Message, $@":{port}(?!\d)");
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsUrlProblem(Exception e) =>
        e.StackTrace?.Contains("BindingAddress", StringComparison.Ordinal) == true ||
        e.StackTrace?.Contains("AddressBinder", StringComparison.Ordinal) == true;

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd('.');
    }
}
