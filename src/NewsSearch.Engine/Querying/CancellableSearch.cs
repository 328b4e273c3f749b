using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util.Automaton;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// A searcher over the live reader that stops when <paramref name="cancel"/> fires: collection checks it every
/// <see cref="CancellableCollector.CheckEvery"/> documents, and every term enumeration (a prefix query's rewrite, the
/// filter it may become, snippets) checks it at each term, so a deadline stops a search in any of its phases. Lucene
/// 4.8 has no ExitableDirectoryReader; this is the same idea. Cheap to create: one wrapper per segment.
/// </summary>
internal sealed class CancellableSearcher(DirectoryReader reader, CancellationToken cancel)
    : IndexSearcher(new CancellableReader(reader, cancel))
{
    protected override void Search(IList<AtomicReaderContext> leaves, Weight weight, ICollector collector)
    {
        cancel.ThrowIfCancellationRequested();
        base.Search(leaves, weight, new CancellableCollector(collector, cancel));
    }
}

/// <summary>Passes every call to <paramref name="inner"/>; throws <see cref="OperationCanceledException"/> once cancelled.</summary>
internal sealed class CancellableCollector(ICollector inner, CancellationToken cancel) : ICollector
{
    /// <summary>Documents collected between two looks at the token: a look costs little, but not nothing.</summary>
    public const int CheckEvery = 1024;

    private int _untilCheck = CheckEvery;

    public bool AcceptsDocsOutOfOrder => inner.AcceptsDocsOutOfOrder;

    public void SetScorer(Scorer scorer) => inner.SetScorer(scorer);

    public void Collect(int doc)
    {
        if (--_untilCheck == 0)
        {
            _untilCheck = CheckEvery;
            cancel.ThrowIfCancellationRequested();
        }
        inner.Collect(doc);
    }

    public void SetNextReader(AtomicReaderContext context)
    {
        cancel.ThrowIfCancellationRequested();
        inner.SetNextReader(context);
    }
}

/// <summary>The live reader, unchanged, with term enumerations that stop once cancelled. Never disposed: it would close the live reader.</summary>
internal sealed class CancellableReader(DirectoryReader input, CancellationToken cancel)
    : FilterDirectoryReader(input, new Wrapper(cancel))
{
    protected override DirectoryReader DoWrapDirectoryReader(DirectoryReader input) => new CancellableReader(input, cancel);

    private sealed class Wrapper(CancellationToken cancel) : SubReaderWrapper
    {
        public override AtomicReader Wrap(AtomicReader reader) => new Segment(reader, cancel);
    }

    private sealed class Segment(AtomicReader input, CancellationToken cancel) : FilterAtomicReader(input)
    {
        // The content is the segment's own: caches keyed by the core (field cache, filters) stay shared.
        public override object CoreCacheKey => m_input.CoreCacheKey;
        public override object CombinedCoreAndDeletesKey => m_input.CombinedCoreAndDeletesKey;

        public override Fields Fields => m_input.Fields is { } f ? new CancellableFields(f, cancel) : null!;
    }

    private sealed class CancellableFields(Fields input, CancellationToken cancel) : FilterAtomicReader.FilterFields(input)
    {
        public override Terms GetTerms(string field) => m_input.GetTerms(field) is { } t ? new CancellableTerms(t, cancel) : null!;
    }

    private sealed class CancellableTerms(Terms input, CancellationToken cancel) : FilterAtomicReader.FilterTerms(input)
    {
        public override TermsEnum GetEnumerator() => new CancellableTermsEnum(m_input.GetEnumerator(), cancel);

        public override TermsEnum GetEnumerator(TermsEnum reuse) =>
            new CancellableTermsEnum(m_input.GetEnumerator(reuse is CancellableTermsEnum c ? c.Input : reuse), cancel);

        public override TermsEnum Intersect(CompiledAutomaton compiled, Lucene.Net.Util.BytesRef startTerm) =>
            new CancellableTermsEnum(m_input.Intersect(compiled, startTerm), cancel);
    }

    private sealed class CancellableTermsEnum(TermsEnum input, CancellationToken cancel) : FilterAtomicReader.FilterTermsEnum(input)
    {
        public TermsEnum Input => m_input;

        public override bool MoveNext()
        {
            cancel.ThrowIfCancellationRequested();
            return base.MoveNext();
        }

        public override SeekStatus SeekCeil(Lucene.Net.Util.BytesRef text)
        {
            cancel.ThrowIfCancellationRequested();
            return base.SeekCeil(text);
        }

        public override bool SeekExact(Lucene.Net.Util.BytesRef text)
        {
            cancel.ThrowIfCancellationRequested();
            return m_input.SeekExact(text);
        }

        // A term query seeks each segment with the state it saved while weighting: keep that shortcut.
        public override TermState GetTermState() => m_input.GetTermState();

        public override void SeekExact(Lucene.Net.Util.BytesRef term, TermState state) => m_input.SeekExact(term, state);
    }
}
