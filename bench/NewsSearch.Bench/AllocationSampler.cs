using System.Diagnostics.Tracing;

namespace NewsSearch.Bench;

/// <summary>
/// Samples this process's allocations by type from the runtime's own events (GCAllocationTick: one event per ~100 KB
/// allocated, naming the type that crossed the mark), so a benchmark can print what its loop allocates most.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private readonly Dictionary<string, long> _bytes = [];
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        var type = e.PayloadNames?.IndexOf("TypeName") is { } t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var amount = e.PayloadNames?.IndexOf("AllocationAmount64") is { } a and >= 0 ? Convert.ToInt64(e.Payload[a]) : 100_000;
        lock (_bytes) _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
    }

    /// <summary>The types that took most of the sampled bytes, with their share.</summary>
    public IReadOnlyList<(string Type, double Share)> Top(int n)
    {
        lock (_bytes)
        {
            var total = (double)Math.Max(1, _bytes.Values.Sum());
            return _bytes.OrderByDescending(kv => kv.Value).Take(n).Select(kv => (kv.Key, kv.Value / total)).ToList();
        }
    }
}
