using System.Diagnostics;
using System.Runtime.InteropServices;
using Grpc.Core;
using NewsSearch.Api.V1;
using NewsSearch.Engine.Analysis;

namespace NewsSearch.Bench;

/// <summary>One query of the mix. Page 5 is reached with the page token the service issued for it.</summary>
public sealed record QuerySpec(string Query, string? From, string? To, SortOrder Sort, int Page)
{
    public string Token { get; set; } = "";

    /// <summary>Set by the reader mix; null for the older mix of 1-3 title words.</summary>
    public QueryKind? Kind { get; init; }

    public int PageSize { get; init; } = 10;

    public SearchRequest ToRequest() => new()
    {
        Query = Query, PublishedFrom = From ?? "", PublishedTo = To ?? "", PageSize = PageSize, PageToken = Token, Sort = Sort,
    };

    /// <summary>The traits a latency breakdown groups by.</summary>
    public IEnumerable<string> Traits()
    {
        yield return Page == 5 ? "page 5" : "page 1";
        yield return From is null ? "no date filter" : "date filter";
        yield return Sort == SortOrder.NewestFirst ? "newest first" : "relevance";
        yield return $"{PageSize} hits";
        if (Kind is { } kind) yield return "kind: " + kind;
        else
        {
            var words = Query.Count(c => c == ' ') + 1;
            yield return words == 1 ? "1 word" : $"{words} words";
        }
    }
}

public static class QueryMix
{
    /// <summary>
    /// <paramref name="count"/> queries drawn with Random(<paramref name="seed"/>): 1-3 words (≥ 2 characters) of a real
    /// title, half with a 90-day window between <paramref name="first"/> and <paramref name="last"/>, half page 5,
    /// half newest first.
    /// </summary>
    public static List<QuerySpec> Build(IReadOnlyList<string> titles, int count, int seed, DateOnly first, DateOnly last)
    {
        var rnd = new Random(seed);
        var segmenter = new TextSegmenter(UserDictionary.Of());
        var specs = new List<QuerySpec>(count);
        while (specs.Count < count)
        {
            if (PickWords(titles[rnd.Next(titles.Count)], rnd, segmenter) is not { } words) continue;
            string? from = null, to = null;
            if (rnd.Next(2) == 0)
            {
                var start = first.AddDays(rnd.Next(last.DayNumber - first.DayNumber - 89 + 1));
                from = start.ToString("yyyy-MM-dd");
                to = start.AddDays(89).ToString("yyyy-MM-dd");
            }
            var page = rnd.Next(2) == 0 ? 1 : 5;
            var sort = rnd.Next(2) == 0 ? SortOrder.Relevance : SortOrder.NewestFirst;
            specs.Add(new QuerySpec(words, from, to, sort, page));
        }
        return specs;
    }

    /// <summary>1-3 distinct words of at least 2 characters from <paramref name="title"/>, or null when it has none.</summary>
    public static string? PickWords(string title, Random rnd, TextSegmenter segmenter)
    {
        var tokens = new List<TextToken>();
        segmenter.Segment(title, SegmentMode.Words, forQuery: true, tokens);
        var words = tokens.Where(t => t.Kind == TokenKind.Word && t.Term.Length >= 2).Select(t => t.Term).Distinct().ToList();
        if (words.Count == 0) return null;
        rnd.Shuffle(CollectionsMarshal.AsSpan(words));
        return string.Join(' ', words.Take(Math.Min(1 + rnd.Next(3), words.Count)));
    }

    /// <summary>
    /// Walks page 1 → 5 with next_page_token (at the query's page size) once per page-5 query and keeps the page-5
    /// token; a query with fewer hits than page 5 needs becomes a page-1 query. Returns how many page-5 queries remain.
    /// </summary>
    public static async Task<int> ResolvePageTokens(ArticleSearch.ArticleSearchClient client, List<QuerySpec> specs)
    {
        var resolved = 0;
        for (var i = 0; i < specs.Count; i++)
        {
            if (specs[i].Page != 5) continue;
            var request = specs[i].ToRequest();
            string? token = "";
            for (var page = 1; page < 5 && token is not null; page++)
            {
                request.PageToken = token;
                var response = await client.SearchAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
                token = response.NextPageToken is { Length: > 0 } t ? t : null;
            }
            if (token is not null) { specs[i].Token = token; resolved++; }
            else specs[i] = specs[i] with { Page = 1 };
        }
        return resolved;
    }
}

/// <summary>Closed-loop and open-loop load over any async operation (an RPC given its sequence number).</summary>
public static class Load
{
    public sealed record ClosedResult(int Concurrency, double Rps, double P50Ms, double P99Ms, int Errors);

    /// <summary><paramref name="concurrency"/> workers, each sending its next request when the last one returns.</summary>
    public static async Task<ClosedResult> Closed(Func<int, Task> op, int concurrency, TimeSpan duration)
    {
        var latencies = Enumerable.Range(0, concurrency).Select(_ => new List<double>()).ToArray();
        var errors = 0;
        var counter = -1;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = latencies.Select(mine => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    await op(Interlocked.Increment(ref counter));
                    mine.Add(Stats.Ms(t0));
                }
                catch (RpcException e)
                {
                    if (Interlocked.Increment(ref errors) == 1)
                        Console.Error.WriteLine($"[load] first error at concurrency {concurrency}: {e.StatusCode}: {e.Status.Detail}");
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var secs = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new ClosedResult(concurrency, all.Count / secs, Stats.Pct(all, 0.5), Stats.Pct(all, 0.99), errors);
    }

    /// <summary>Latencies of an open-loop run: request i is due at start + i / rate, and measured from when it was due.</summary>
    /// <param name="ErrorCodes">How many calls failed with each status code.</param>
    public sealed record OpenResult(double Rate, double[] LatencyMs, IReadOnlyDictionary<StatusCode, int> ErrorCodes)
    {
        public int Errors => LatencyMs.Count(double.IsNaN);

        /// <summary>The errors by status code, e.g. "12 (DeadlineExceeded 12)", or "0".</summary>
        public string ErrorsText => ErrorCodes.Count == 0 ? "0" : $"{Errors} ({ByCode(ErrorCodes)})";
        public List<double> Sorted() => LatencyMs.Where(l => !double.IsNaN(l)).Order().ToList();
    }

    /// <summary>Failed calls by status code, most first: "DeadlineExceeded 12, Unavailable 3".</summary>
    public static string ByCode(IReadOnlyDictionary<StatusCode, int> codes) =>
        string.Join(", ", codes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}"));

    /// <summary>
    /// Sends at a fixed rate whatever the responses do (no coordinated omission). A dedicated thread paces the sends:
    /// awaiting <see cref="Task.Delay(TimeSpan)"/> between them made each send up to a millisecond late (timer and
    /// thread-pool granularity), and that lateness counted as latency: the health check, 0.16 ms at concurrency 1,
    /// measured 1.6 ms p50 at 529 req/s. The thread sleeps on a high-resolution timer (<see cref="PreciseSleep"/>) to
    /// 60 µs before each due time and yields the core only for those last microseconds: yielding it all the way, as
    /// before, took 31% of the 2-core machine's CPU samples during cctv's Search open loop at 1,100 sends/s (perf),
    /// and the server under test had 4% idle left; now 2.4%.
    /// </summary>
    public static async Task<OpenResult> Open(Func<int, Task> op, double rate, TimeSpan duration)
    {
        var n = Math.Max(1, (int)(rate * duration.TotalSeconds));
        var latencies = new double[n];
        var calls = new Task[n];
        var codes = new Dictionary<StatusCode, int>();
        var start = Stopwatch.GetTimestamp();
        // Awaited, not joined: a pool thread blocked in Join for the whole run (two with two runs at once, all of them
        // on 2 cores) left the calls' continuations waiting for the pool to grow, and both runs stalled for ~1 s.
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new Thread(() =>
        {
            PreciseSleep.ForThisThread();
            for (var i = 0; i < n; i++)
            {
                var due = start + (long)(i / rate * Stopwatch.Frequency);
                WaitUntil(due);
                calls[i] = Timed(i, due);
            }
            sent.SetResult();
        }) { IsBackground = true, Name = "open-loop sender" };
        sender.Start();
        await sent.Task;
        await Task.WhenAll(calls);
        return new OpenResult(rate, latencies, codes);

        async Task Timed(int i, long due)
        {
            try
            {
                await op(i);
                latencies[i] = Stats.Ms(due);
            }
            catch (RpcException e)
            {
                latencies[i] = double.NaN;
                lock (codes) codes[e.StatusCode] = codes.GetValueOrDefault(e.StatusCode) + 1;
            }
        }
    }

    /// <summary>How long before a due time the sender stops sleeping: 60 µs.</summary>
    private static readonly long WakeEarly = Stopwatch.Frequency * 60 / 1_000_000;

    /// <summary>Waits until <paramref name="due"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    private static void WaitUntil(long due)
    {
        if (PreciseSleep.Available)
        {
            // The timer wakes the thread some tens of microseconds late: wake before, and yield the core to the due time.
            if (due - Stopwatch.GetTimestamp() > WakeEarly) PreciseSleep.Until(due - WakeEarly);
        }
        // Elsewhere: whole milliseconds while more than 1.5 ms remain, then yield the core until the due time.
        else while (due - Stopwatch.GetTimestamp() > Stopwatch.Frequency * 3 / 2000) Thread.Sleep(1);
        while (Stopwatch.GetTimestamp() < due) Thread.Yield();
    }
}

/// <summary>
/// Sleeping until an instant of <see cref="Stopwatch"/>'s clock, to within tens of microseconds and without spending
/// CPU, on Linux: there the clock is CLOCK_MONOTONIC in nanoseconds, so <c>clock_nanosleep</c> can sleep to a
/// timestamp itself, and the thread's timer slack (50 µs by default) is cut to 1 µs.
/// </summary>
internal static class PreciseSleep
{
    private const int ClockMonotonic = 1, AbsoluteTime = 1, SetTimerSlack = 29;

    public static bool Available { get; } = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    /// <summary>Makes this thread's timers fire as close to their time as the kernel can.</summary>
    public static void ForThisThread()
    {
        if (Available) _ = prctl(SetTimerSlack, 1, 0, 0, 0);
    }

    public static void Until(long due)
    {
        var at = new Timespec { Seconds = due / 1_000_000_000, Nanoseconds = due % 1_000_000_000 };
        // Interrupted by a signal (EINTR): sleep again to the same instant.
        while (clock_nanosleep(ClockMonotonic, AbsoluteTime, ref at, IntPtr.Zero) != 0 && Stopwatch.GetTimestamp() < due) { }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc")]
    private static extern int clock_nanosleep(int clock, int flags, ref Timespec request, IntPtr remaining);

    [DllImport("libc")]
    private static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
