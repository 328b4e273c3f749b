using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace NewsSearch.Server.Tests;

/// <summary>
/// A Serilog sink the host picks up from its services (<c>ReadFrom.Services</c>); keeps every event it is given.
/// </summary>
public sealed class CapturedLog : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Each event as text: its rendered message, every property and the exception, so nothing escapes a search.</summary>
    public IEnumerable<string> Texts() =>
        Events.Select(e => string.Join(" | ",
            [e.RenderMessage(), .. e.Properties.Select(p => $"{p.Key}={p.Value}"), e.Exception?.ToString() ?? ""]));
}
