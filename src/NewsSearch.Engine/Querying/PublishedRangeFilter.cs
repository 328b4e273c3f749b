using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Articles published within [from, to] in Unix milliseconds (either end open; undated articles never match). The
/// documents are those Lucene's <c>NumericRangeFilter.NewInt64Range</c> finds, read from the same trie terms, but set
/// in a bit set rented for the search when a <see cref="RentedBits"/> is given: Lucene's filter allocates a new bit
/// per document on every search (125 KB at 1 M articles).
/// </summary>
internal sealed class PublishedRangeFilter : Filter
{
    private readonly List<(BytesRef Low, BytesRef High)> _ranges = [];
    private readonly RentedBits? _rented;

    public PublishedRangeFilter(long? from, long? to, RentedBits? rented)
    {
        _rented = rented;
        var (low, high) = (from ?? long.MinValue, to ?? long.MaxValue);
        if (low <= high) NumericUtils.SplitInt64Range(new TermRanges(_ranges), NumericUtils.PRECISION_STEP_DEFAULT, low, high);
    }

    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs)
    {
        if (_ranges.Count == 0 || context.AtomicReader.GetTerms(ArticleFields.Published) is not { } terms) return null;
        var maxDoc = context.AtomicReader.MaxDoc;
        var termsEnum = terms.GetEnumerator();
        FixedBitSet? bits = null;
        DocsEnum? docs = null;
        foreach (var (low, high) in _ranges)
        {
            if (termsEnum.SeekCeil(low) == TermsEnum.SeekStatus.END) continue;
            do
            {
                if (termsEnum.Term.CompareTo(high) > 0) break;
                bits ??= RentedBits.RentOrAllocate(_rented, maxDoc);
                docs = termsEnum.Docs(acceptDocs, docs, DocsFlags.NONE);
                bits.Or(docs);
            } while (termsEnum.MoveNext());
        }
        return bits;
    }

    public override string ToString() => $"{ArticleFields.Published}:[{_ranges.Count} trie ranges]";

    /// <summary>The prefix-coded term ranges a numeric range splits into, at every precision.</summary>
    private sealed class TermRanges(List<(BytesRef, BytesRef)> ranges) : NumericUtils.Int64RangeBuilder
    {
        public override void AddRange(BytesRef minPrefixCoded, BytesRef maxPrefixCoded) => ranges.Add((minPrefixCoded, maxPrefixCoded));
    }
}
