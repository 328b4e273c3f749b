using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util.Automaton;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// When a search must stop: when its caller cancels, or when the caller's deadline or the service's own limit passes,
/// whichever is first. Time is checked by reading the clock, not by a timer: a timer's callback needs a thread-pool
/// thread, and on a server whose pool threads are all busy searching it came seconds late, so searches whose
/// deadlines had passed ran on.
/// </summary>
public sealed class SearchStop
{
    private readonly CancellationToken _cancel;
    private readonly TimeProvider _clock;
    private readonly long _stopAt;
    private readonly TimeSpan? _ownLimit;

    /// <param name="limit">The service's own limit, from now.</param>
    /// <param name="deadline">The caller's deadline, if any.</param>
    public SearchStop(CancellationToken cancel, TimeProvider clock, TimeSpan limit, DateTimeOffset? deadline = null)
    {
        _cancel = cancel;
        _clock = clock;
        var left = deadline is { } d ? d - clock.GetUtcNow() : TimeSpan.MaxValue;
        _ownLimit = limit <= left ? limit : null;
        var wait = left < limit ? left : limit;
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        _stopAt = clock.GetTimestamp() + (long)(wait.TotalSeconds * clock.TimestampFrequency);
    }

    [ThreadStatic] private static SearchStop? t_current;

    /// <summary>The stop of the search running on this thread (see <see cref="Enter"/>), if any.</summary>
    internal static SearchStop? Current => t_current;

    /// <summary>
    /// Makes this the stop of what runs on this thread until the scope is disposed: term enumerations opened meanwhile
    /// over a <see cref="CancellableReader"/> stop with it. A search runs synchronously, on one thread.
    /// </summary>
    internal Scope Enter()
    {
        var previous = t_current;
        t_current = this;
        return new Scope(previous);
    }

    /// <summary>Restores the stop that was current before <see cref="Enter"/>.</summary>
    internal readonly struct Scope(SearchStop? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }

    /// <summary>Only the caller's cancellation: no time limit.</summary>
    public static SearchStop WhenCancelled(CancellationToken cancel) => new(cancel, TimeProvider.System, TimeSpan.FromDays(3650));

    /// <exception cref="OperationCanceledException">The caller cancelled or its deadline passed.</exception>
    /// <exception cref="SearchTimeoutException">The service's own limit passed first.</exception>
    public void ThrowIfStopped()
    {
        _cancel.ThrowIfCancellationRequested();
        if (_clock.GetTimestamp() < _stopAt) return;
        if (_ownLimit is { } limit) throw new SearchTimeoutException(limit);
        throw new OperationCanceledException("the caller's deadline passed");
    }
}

/// <summary>
/// A searcher over the live reader that stops with <paramref name="stop"/>: collection checks it every
/// <see cref="CancellableCollector.CheckEvery"/> documents, and every term enumeration (a prefix query's rewrite, the
/// filter it may become, a pasted paragraph's word statistics) opened on this thread while the searcher is not
/// disposed checks it at each term, so a deadline stops a search in any of its phases. Lucene 4.8 has no
/// ExitableDirectoryReader; this is the same idea. Dispose it on the thread that created it, when the search is done.
/// </summary>
internal sealed class CancellableSearcher(DirectoryReader reader, SearchStop stop)
    : IndexSearcher(CancellableReader.Over(reader)), IDisposable
{
    private readonly SearchStop.Scope _scope = stop.Enter();

    protected override void Search(IList<AtomicReaderContext> leaves, Weight weight, ICollector collector)
    {
        stop.ThrowIfStopped();
        base.Search(leaves, weight, new CancellableCollector(collector, stop));
    }

    public void Dispose() => _scope.Dispose();
}

/// <summary>Passes every call to <paramref name="inner"/>, and stops the search once <paramref name="stop"/> says so.</summary>
internal sealed class CancellableCollector(ICollector inner, SearchStop stop) : ICollector, ICompetitiveScore
{
    private readonly ICompetitiveScore? _competitive = inner as ICompetitiveScore;

    /// <summary>Documents collected between two looks at the clock and token: a look costs little, but not nothing.</summary>
    public const int CheckEvery = 1024;

    private int _untilCheck = CheckEvery;

    /// <summary>
    /// Always in order, whatever the inner collector accepts: out of order, Lucene.Net scores a query of one concept
    /// with <c>BooleanScorer</c>, which allocates a table of 2,048 buckets per segment per search. In order, the reader
    /// mix in process allocated 1,365 → 977 KB per search on cctv and 6.9 → 4.9 MB at 1 M articles (25 segments), for
    /// the same time within noise and the same ranking (probe and known-item unchanged).
    /// </summary>
    public bool AcceptsDocsOutOfOrder => false;

    public void SetScorer(Scorer scorer) => inner.SetScorer(scorer);

    public void Collect(int doc)
    {
        if (--_untilCheck == 0)
        {
            _untilCheck = CheckEvery;
            stop.ThrowIfStopped();
        }
        inner.Collect(doc);
    }

    public void SetNextReader(AtomicReaderContext context)
    {
        stop.ThrowIfStopped();
        inner.SetNextReader(context);
    }

    public float Minimum => _competitive?.Minimum ?? float.NegativeInfinity;

    public void LeftOut() => _competitive?.LeftOut();
}

/// <summary>
/// The live reader, unchanged, with term enumerations that stop with the search that opened them
/// (<see cref="SearchStop.Current"/> when they are opened). One per live reader, shared by every search over it: a
/// reader made per search cost each search a new <c>IndexReader</c> per segment, each with a table of parent readers
/// that the finalizer thread then had to clear (issue 11, BENCHMARKS.md). Never disposed: it would close the live
/// reader.
/// </summary>
internal sealed class CancellableReader : FilterDirectoryReader
{
    private static readonly ConditionalWeakTable<DirectoryReader, CancellableReader> ByLiveReader = new();

    private CancellableReader(DirectoryReader input) : base(input, new Wrapper()) { }

    /// <summary>The one wrapper of <paramref name="live"/>.</summary>
    public static CancellableReader Over(DirectoryReader live) =>
        live as CancellableReader ?? ByLiveReader.GetValue(live, static r => new CancellableReader(r));

    protected override DirectoryReader DoWrapDirectoryReader(DirectoryReader input) => new CancellableReader(input);

    private sealed class Wrapper : SubReaderWrapper
    {
        public override AtomicReader Wrap(AtomicReader reader) => new Segment(reader);
    }

    private sealed class Segment(AtomicReader input) : FilterAtomicReader(input)
    {
        // The content is the segment's own: caches keyed by the core (field cache, filters) stay shared.
        public override object CoreCacheKey => m_input.CoreCacheKey;
        public override object CombinedCoreAndDeletesKey => m_input.CombinedCoreAndDeletesKey;

        public override Fields Fields => m_input.Fields is { } f ? new CancellableFields(f) : null!;
    }

    private sealed class CancellableFields(Fields input) : FilterAtomicReader.FilterFields(input)
    {
        public override Terms GetTerms(string field) => m_input.GetTerms(field) is { } t ? new CancellableTerms(t) : null!;
    }

    private sealed class CancellableTerms(Terms input) : FilterAtomicReader.FilterTerms(input)
    {
        public override TermsEnum GetEnumerator() => Stopping(m_input.GetEnumerator());

        public override TermsEnum GetEnumerator(TermsEnum reuse) =>
            Stopping(m_input.GetEnumerator(reuse is CancellableTermsEnum c ? c.Input : reuse));

        public override TermsEnum Intersect(CompiledAutomaton compiled, Lucene.Net.Util.BytesRef startTerm) =>
            Stopping(m_input.Intersect(compiled, startTerm));

        /// <summary>Outside any search's scope (nothing to stop with) the enumeration is the segment's own.</summary>
        private static TermsEnum Stopping(TermsEnum input) =>
            SearchStop.Current is { } stop ? new CancellableTermsEnum(input, stop) : input;
    }

    private sealed class CancellableTermsEnum(TermsEnum input, SearchStop stop) : FilterAtomicReader.FilterTermsEnum(input)
    {
        public TermsEnum Input => m_input;

        public override bool MoveNext()
        {
            stop.ThrowIfStopped();
            return base.MoveNext();
        }

        public override SeekStatus SeekCeil(Lucene.Net.Util.BytesRef text)
        {
            stop.ThrowIfStopped();
            return base.SeekCeil(text);
        }

        public override bool SeekExact(Lucene.Net.Util.BytesRef text)
        {
            stop.ThrowIfStopped();
            return m_input.SeekExact(text);
        }

        // A term query seeks each segment with the state it saved while weighting: keep that shortcut.
        public override TermState GetTermState() => m_input.GetTermState();

        public override void SeekExact(Lucene.Net.Util.BytesRef term, TermState state) => m_input.SeekExact(term, state);
    }
}
