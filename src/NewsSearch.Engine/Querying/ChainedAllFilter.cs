using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace NewsSearch.Engine.Querying;

/// <summary>Documents accepted by every one of several filters.</summary>
internal sealed class ChainedAllFilter(IReadOnlyList<Filter> filters) : Filter
{
    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs)
    {
        FixedBitSet? result = null;
        foreach (var f in filters)
        {
            var set = f.GetDocIdSet(context, acceptDocs);
            var it = set?.GetIterator();
            if (it is null) return null;
            var bits = new FixedBitSet(context.AtomicReader.MaxDoc);
            bits.Or(it);
            if (result is null) result = bits;
            else result.And(bits);
        }
        return result;
    }
}
