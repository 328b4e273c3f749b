using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using NewsSearch.Engine;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Server;

/// <summary>
/// How many searches run at once, in the <c>Search</c> section beside the engine's options. Searches are CPU work:
/// run all at once, more than the cores can do within their deadlines all fail together, however few would have fitted
/// (64 concurrent pastes of 2,000 characters on 2 cores: each took about 2 s, and short searches beside them 1.6 s
/// instead of 2 ms). Past these limits searches wait their turn; long ones have a lane of their own, so
/// that a burst of pasted paragraphs cannot hold every core.
/// </summary>
public sealed class AdmissionOptions
{
    /// <summary>Short searches (a few words) that run at once; more wait. Default twice the cores.</summary>
    [Range(1, 4096)] public int MaxConcurrentSearches { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>Long searches (pasted paragraphs, related articles) that run at once; more wait. Default half the cores,
    /// at least one, so that short searches always have a core.</summary>
    [Range(1, 4096)] public int MaxConcurrentLongSearches { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>
    /// Export batches that are read at once, in a lane of their own; more wait, for as long as their call's deadline
    /// allows (an export is bulk work, not a reader waiting). Default half the cores, at least one.
    /// </summary>
    [Range(1, 4096)] public int MaxConcurrentExports { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Searches that may wait in each lane; one more is refused at once with UNAVAILABLE. Default 256.</summary>
    [Range(0, 100_000)] public int MaxQueuedSearches { get; set; } = 256;

    /// <summary>
    /// Longest a search waits for its turn before it is refused with UNAVAILABLE (a caller's own deadline may end the
    /// wait sooner, with DEADLINE_EXCEEDED). Default 1 s: past that the service is overloaded, and a caller does better
    /// to back off or try another replica than to wait out its deadline.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Refuses admission options out of range at start, one line per key, naming it and its value.</summary>
internal sealed class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>
{
    public ValidateOptionsResult Validate(string? name, AdmissionOptions options) =>
        OptionAnnotations.Failures(options, SearchEngineOptions.Section) is { Count: > 0 } failures
            ? ValidateOptionsResult.Fail(failures)
            : ValidateOptionsResult.Success;
}

/// <summary>Which lane a search waits in: a few words, a long text (pasted paragraphs, related articles), or a batch
/// of an export.</summary>
public enum SearchLane { Short, Long, Export }

/// <summary>
/// Admits searches to run: a concurrency limit per <see cref="SearchLane"/> with a bounded queue. A
/// search that cannot get its turn is refused with a status the caller can act on, before it costs any CPU: the queue
/// full or the wait past <see cref="AdmissionOptions.MaxQueueWait"/> is UNAVAILABLE, with a pushback telling gRPC
/// clients not to retry it (<see cref="ErrorMappingInterceptor"/>), its own deadline passing while it waits
/// DEADLINE_EXCEEDED.
/// </summary>
/// <remarks>Each lane's queue is served oldest first while it drains and newest first once it stands
/// (<see cref="AdmissionQueue"/>).</remarks>
public sealed partial class SearchAdmission
{
    /// <summary>How often a refusal is logged at most: one line then counts the searches refused since the last.</summary>
    private static readonly TimeSpan WarnEvery = TimeSpan.FromSeconds(10);

    private readonly Lane[] _lanes;
    private readonly AdmissionOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<SearchAdmission> _logger;
    private long _refusedSinceWarned, _lastWarned = long.MinValue;

    public SearchAdmission(IOptions<AdmissionOptions> options, TimeProvider clock, ILogger<SearchAdmission> logger, IMeterFactory meters)
    {
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _lanes = [new Lane("short", new AdmissionQueue(_options.MaxConcurrentSearches, _options.MaxQueuedSearches, clock)),
            new Lane("long", new AdmissionQueue(_options.MaxConcurrentLongSearches, _options.MaxQueuedSearches, clock)),
            new Lane("export", new AdmissionQueue(_options.MaxConcurrentExports, _options.MaxQueuedSearches, clock))];
        var meter = meters.Create(RpcMetricsInterceptor.MeterName);
        meter.CreateObservableGauge("newssearch.admission.running", () => Each(l => l.Queue.Running),
            "{search}", "Searches running, by lane (short, long, export)");
        meter.CreateObservableGauge("newssearch.admission.queued", () => Each(l => l.Queue.Waiting),
            "{search}", "Searches waiting for their turn, by lane (short, long, export)");
        meter.CreateObservableCounter("newssearch.admission.refused", () => Each(l => Interlocked.Read(ref l.Refused)),
            "{search}", "Searches refused with UNAVAILABLE because their lane's queue was full or their wait too long, by lane");
    }

    private sealed class Lane(string name, AdmissionQueue queue)
    {
        public string Name { get; } = name;
        public AdmissionQueue Queue { get; } = queue;
        public long Refused;
    }

    private IEnumerable<Measurement<long>> Each(Func<Lane, long> value) =>
        _lanes.Select(l => new Measurement<long>(value(l), new KeyValuePair<string, object?>("lane", l.Name))).ToArray();

    /// <summary>A turn held: disposing gives it back, once.</summary>
    private sealed class Turn(AdmissionQueue queue) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) queue.Exit();
        }
    }

    /// <summary>The lane of a Search with this query text: long when it may be a pasted paragraph (counting is all
    /// that costs; a short query taken for long only waits in the other lane).</summary>
    public static SearchLane LaneOf(string? query) => UserQueryParser.MayBePasted(query) ? SearchLane.Long : SearchLane.Short;

    /// <summary>Searches running and waiting in <paramref name="lane"/> now.</summary>
    public (long Running, long Waiting) Load(SearchLane lane)
    {
        var q = _lanes[(int)lane].Queue;
        return (q.Running, q.Waiting);
    }

    /// <summary>Searches refused as busy in <paramref name="lane"/> since the service started.</summary>
    public long Refused(SearchLane lane) => Interlocked.Read(ref _lanes[(int)lane].Refused);

    /// <summary>Waits for a turn in <paramref name="lane"/>; dispose the result when the search ends.</summary>
    /// <exception cref="ServiceBusyException">The lane's queue is full, or the wait passed <see cref="AdmissionOptions.MaxQueueWait"/>
    /// (not in <see cref="SearchLane.Export"/>, which waits until the call's deadline).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired, or <paramref name="deadline"/> passed, while it waited.</exception>
    public async ValueTask<IDisposable> EnterAsync(SearchLane lane, DateTimeOffset? deadline, CancellationToken cancel)
    {
        var l = _lanes[(int)lane];
        if (l.Queue.TryEnter()) return new Turn(l.Queue);

        // How long it may wait: until its deadline or the lane's limit, whichever is first; null is for ever.
        TimeSpan? untilDeadline = deadline is { } d ? d - _clock.GetUtcNow() : null;
        TimeSpan? longest = lane == SearchLane.Export ? null : _options.MaxQueueWait;
        var deadlineFirst = untilDeadline is { } u && (longest is not { } cap || u <= cap);
        if (deadlineFirst && untilDeadline <= TimeSpan.Zero) throw new OperationCanceledException("the call's deadline passed before its turn");
        var wait = deadlineFirst ? untilDeadline : longest;
        if (wait is not { } w || w > TimeSpan.Zero)
        {
            using var timer = wait is { } limit ? new CancellationTokenSource(limit, _clock) : new CancellationTokenSource();
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel, timer.Token);
            try
            {
                if (await l.Queue.EnterAsync(either.Token)) return new Turn(l.Queue);
            }
            catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancel.IsCancellationRequested)
            {
                if (deadlineFirst) throw;
                throw Refuse(l, $"no search slot came free within {_options.MaxQueueWait.TotalMilliseconds:0} ms");
            }
        }
        throw Refuse(l, l.Queue.QueueLimit == 0 || wait <= TimeSpan.Zero
            ? "every search slot is taken"
            : $"{l.Queue.QueueLimit} searches are already waiting");
    }

    private ServiceBusyException Refuse(Lane lane, string why)
    {
        Interlocked.Increment(ref lane.Refused);
        var refused = Interlocked.Increment(ref _refusedSinceWarned);
        var now = _clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarned);
        if ((last == long.MinValue || _clock.GetElapsedTime(last, now) >= WarnEvery)
            && Interlocked.CompareExchange(ref _lastWarned, now, last) == last)
        {
            Interlocked.Add(ref _refusedSinceWarned, -refused);
            LogRefused(_logger, refused, lane.Name, lane.Queue.Running, lane.Queue.Waiting, why);
        }
        return new ServiceBusyException(
            $"the service is busy ({why} for {lane.Name} searches); retry after a short pause, or on another replica");
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning,
        Message = "Refused {Refused} searches as busy since the last such line: {Lane} searches {Running} running and {Waiting} waiting ({Why})")]
    private static partial void LogRefused(ILogger logger, long refused, string lane, long running, long waiting, string why);
}

/// <summary>The service turned a request away because it is overloaded; nothing was done. UNAVAILABLE.</summary>
public sealed class ServiceBusyException(string message) : Exception(message);
