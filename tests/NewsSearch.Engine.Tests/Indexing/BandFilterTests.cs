using Lucene.Net.Index;
using Lucene.Net.Util;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Tests.Indexing;

/// <summary>The per-segment filter that lets near-duplicate detection skip seeks for bands a segment does not hold.</summary>
public class BandFilterTests
{
    [Test]
    public void EveryBandInTheSegment_IsReportedPresent_AndFewAbsentOnesAre()
    {
        var random = new Random(20261126);
        var present = Enumerable.Range(0, 24_000).Select(_ => (uint)random.NextInt64(0, 1L << 32)).Distinct().ToArray();
        var terms = present.Select(NearDuplicateSignature.BandTerm).Order(StringComparer.Ordinal).ToArray();
        var filter = BandFilter.Of(new ListTermsEnum(terms), terms.Length);

        var held = present.ToHashSet();
        var absent = Enumerable.Range(0, 100_000).Select(_ => (uint)random.NextInt64(0, 1L << 32)).Where(b => !held.Contains(b)).ToArray();
        var falseAlarms = absent.Count(filter.MayContain);
        Assert.Multiple(() =>
        {
            Assert.That(present.Where(b => !filter.MayContain(b)), Is.Empty, "a band the segment holds must never be skipped");
            Assert.That(falseAlarms, Is.LessThan(absent.Length / 20), "most absent bands are skipped");
        });
    }

    /// <summary>Enumerates a sorted list of terms, as a segment's terms dictionary would.</summary>
    private sealed class ListTermsEnum(string[] terms) : TermsEnum
    {
        private int _next;
        private BytesRef? _term;

        public override IComparer<BytesRef> Comparer => BytesRef.UTF8SortedAsUnicodeComparer;
        public override BytesRef Term => _term!;
        public override bool MoveNext()
        {
            if (_next >= terms.Length) return false;
            _term = new BytesRef(terms[_next++]);
            return true;
        }
        [Obsolete("Use MoveNext() and Term instead.")]
        public override BytesRef? Next() => MoveNext() ? _term : null;
        public override SeekStatus SeekCeil(BytesRef text) => throw new NotSupportedException();
        public override void SeekExact(long ord) => throw new NotSupportedException();
        public override long Ord => throw new NotSupportedException();
        public override int DocFreq => 1;
        public override long TotalTermFreq => 1;
        public override DocsEnum Docs(IBits liveDocs, DocsEnum reuse, DocsFlags flags) => throw new NotSupportedException();
        public override DocsAndPositionsEnum DocsAndPositions(IBits liveDocs, DocsAndPositionsEnum reuse, DocsAndPositionsFlags flags) =>
            throw new NotSupportedException();
    }
}
