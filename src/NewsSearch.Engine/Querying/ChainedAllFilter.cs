using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Documents accepted by every one of several filters, gathered in one bit set per segment: rented for the search
/// when a <see cref="RentedBits"/> is given, and the filters' own sets read into it without copies.
/// </summary>
internal sealed class ChainedAllFilter(IReadOnlyList<Filter> filters, RentedBits? rented) : Filter
{
    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs)
    {
        FixedBitSet? result = null;
        foreach (var f in filters)
        {
            var it = f.GetDocIdSet(context, acceptDocs)?.GetIterator();
            if (it is null) return null;
            if (result is null)
            {
                result = RentedBits.RentOrAllocate(rented, context.AtomicReader.MaxDoc);
                result.Or(it);
            }
            else result.And(it);
        }
        return result;
    }
}
