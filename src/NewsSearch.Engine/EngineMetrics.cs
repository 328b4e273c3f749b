using System.Diagnostics;
using System.Diagnostics.Metrics;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine;

/// <summary>
/// The engine's metrics (<see cref="Meter"/> <c>NewsSearch.Engine</c>) and traces (<see cref="ActivitySource"/>
/// <c>NewsSearch.Engine</c>), through <c>System.Diagnostics</c> only: the host decides whether and where they are
/// exported. Durations are in seconds, as OpenTelemetry's conventions and Prometheus expect.
/// </summary>
public sealed class EngineMetrics : IDisposable
{
    /// <summary>Name of the engine's meter and of its activity source.</summary>
    public const string Name = "NewsSearch.Engine";

    /// <summary>Search phases, the values of the <c>phase</c> attribute of <c>newssearch.search.duration</c>.</summary>
    public const string PhaseParse = "parse", PhaseSearch = "search", PhaseFetchSnippets = "fetch_snippets";

    /// <summary>Spans of searches. Static: an activity source costs nothing until something listens.</summary>
    public static readonly ActivitySource Activities = new(Name);

    /// <summary>What the observable instruments read from the engine at each collection; null while it is not open.</summary>
    public sealed record IndexFigures(long Articles, long SizeBytes, string Generation, bool Problem);

    private readonly Meter _meter;
    private readonly Func<IndexFigures?> _figures;
    private volatile CachedFigures? _lastFigures;
    private sealed record CachedFigures(IndexFigures? Figures, long At);
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _searchDuration;
    private readonly Histogram<double> _passDuration;
    private readonly Histogram<double> _lag;
    // Totals behind observable counters rather than plain counters: every series, each skip kind included, is
    // reported from the start at 0, so a dashboard's rate or increase sees the first skip or failure.
    private long _articlesIndexed;
    private long _passFailures;
    private readonly long[] _skipped = new long[SkipKinds.All.Count];

    // Searches take milliseconds; passes and lag take from a fraction of a second (one file) to many minutes (a rebuild).
    private static readonly double[] SearchBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] PassBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

    /// <param name="meters">The host's meter factory; null creates a meter this object owns.</param>
    /// <param name="figures">Reads the live index for the observable instruments; called on the collector's thread.</param>
    public EngineMetrics(IMeterFactory? meters, Func<IndexFigures?> figures)
    {
        _ownsMeter = meters is null;
        _meter = meters?.Create(Name) ?? new Meter(Name);
        _figures = figures;

        _meter.CreateObservableGauge("newssearch.index.articles",
            () => Figures() is { } f ? [new Measurement<long>(f.Articles)] : Array.Empty<Measurement<long>>(),
            "{article}", "Articles the live index serves");
        _meter.CreateObservableGauge("newssearch.index.size",
            () => Figures() is { } f ? [new Measurement<long>(f.SizeBytes)] : Array.Empty<Measurement<long>>(),
            "By", "Bytes on disk of the live index generation's files");
        _meter.CreateObservableGauge("newssearch.index.generation",
            () => Figures() is { } f ? [new Measurement<long>(1, new KeyValuePair<string, object?>("generation", f.Generation))] : Array.Empty<Measurement<long>>(),
            "{generation}", "1, with the live index generation's name as the generation attribute");

        _meter.CreateObservableGauge("newssearch.indexing.problem",
            () => Figures() is { } f ? [new Measurement<int>(f.Problem ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            null, "1 while indexing cannot follow the seeds folder (GetStats says why), else 0");
        _passDuration = _meter.CreateHistogram("newssearch.indexing.pass.duration", "s",
            "Time an indexing pass that changed the index took, from its scan of the seeds folder to its commit",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PassBuckets });
        _lag = _meter.CreateHistogram("newssearch.indexing.lag", "s",
            "Time from a change in the seeds folder being first seen by a scan to its commit being searchable",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PassBuckets });
        _meter.CreateObservableCounter("newssearch.indexing.articles", () => Interlocked.Read(ref _articlesIndexed), "{article}",
            "Articles written to the index by committed passes");
        _meter.CreateObservableCounter("newssearch.indexing.skipped",
            () => SkipKinds.All.Select((kind, i) => new Measurement<long>(Interlocked.Read(ref _skipped[i]), new KeyValuePair<string, object?>("reason", kind))),
            "{input}", "Inputs (files or lines) committed passes skipped, by the kind of reason (see SkipKinds)");
        _meter.CreateObservableCounter("newssearch.indexing.failures", () => Interlocked.Read(ref _passFailures), "{pass}",
            "Indexing passes that failed and were rolled back (each retry counts)");
        _searchDuration = _meter.CreateHistogram("newssearch.search.duration", "s",
            "Time a search that was answered spent in each phase: parse (validation and query building), search (ranking), " +
            "fetch_snippets (stored fields and snippets)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SearchBuckets });
    }

    /// <summary>The figures of the live index, read once for the three instruments of one collection (the size walks
    /// the index folder).</summary>
    private IndexFigures? Figures()
    {
        var now = Stopwatch.GetTimestamp();
        if (_lastFigures is { } last && Stopwatch.GetElapsedTime(last.At, now) < TimeSpan.FromSeconds(1)) return last.Figures;
        var figures = _figures();
        _lastFigures = new CachedFigures(figures, now);
        return figures;
    }

    /// <summary>Starts the span of one search; null when nothing listens.</summary>
    public static Activity? StartSearch() => Activities.StartActivity("Search");

    /// <summary>
    /// Records an answered search whose phases ended <paramref name="parsed"/>, <paramref name="searched"/> and
    /// <paramref name="done"/> after it started, and adds the phases to <paramref name="activity"/> as child spans.
    /// </summary>
    public void RecordSearch(Activity? activity, TimeSpan parsed, TimeSpan searched, TimeSpan done, long totalHits)
    {
        _searchDuration.Record(parsed.TotalSeconds, new KeyValuePair<string, object?>("phase", PhaseParse));
        _searchDuration.Record((searched - parsed).TotalSeconds, new KeyValuePair<string, object?>("phase", PhaseSearch));
        _searchDuration.Record((done - searched).TotalSeconds, new KeyValuePair<string, object?>("phase", PhaseFetchSnippets));
        // A span kept only to carry the trace id (the host records none) gets no children either.
        if (activity is not { IsAllDataRequested: true }) return;
        activity.SetTag("newssearch.total_hits", totalHits);
        var start = activity.StartTimeUtc;
        Phase(activity, PhaseParse, start, start + parsed);
        Phase(activity, PhaseSearch, start + parsed, start + searched);
        Phase(activity, PhaseFetchSnippets, start + searched, start + done);
    }

    // The phases are known only once the search is done, so their spans are made afterwards with their own times.
    private static void Phase(Activity parent, string name, DateTime start, DateTime end)
    {
        using var child = Activities.StartActivity("Search " + name, ActivityKind.Internal, parent.Context, startTime: start);
        child?.SetEndTime(end);
    }

    /// <summary>Records a pass that changed the index; <paramref name="lag"/> is how long its changes waited.</summary>
    public void RecordPass(TimeSpan elapsed, TimeSpan lag, int articlesIndexed, IReadOnlyDictionary<string, int> skippedByKind)
    {
        _passDuration.Record(elapsed.TotalSeconds);
        _lag.Record(lag.TotalSeconds);
        Interlocked.Add(ref _articlesIndexed, articlesIndexed);
        foreach (var (kind, count) in skippedByKind)
        {
            var i = IndexOfKind(kind);
            Interlocked.Add(ref _skipped[i < 0 ? IndexOfKind(SkipKinds.Other) : i], count);
        }
    }

    /// <summary>Records a pass that failed and was rolled back.</summary>
    public void RecordFailedPass() => Interlocked.Increment(ref _passFailures);

    private static int IndexOfKind(string kind)
    {
        for (var i = 0; i < SkipKinds.All.Count; i++)
            if (SkipKinds.All[i] == kind) return i;
        return -1;
    }

    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }
}
