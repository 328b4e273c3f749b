using Lucene.Net.Index;
using Lucene.Net.Search;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>What a filter lets through, for the filter tests to compare with Lucene's own filters.</summary>
internal static class FilterResults
{
    /// <summary>The live documents <paramref name="filter"/> accepts in <paramref name="reader"/>, as top-level numbers.</summary>
    public static SortedSet<int> Docs(IndexReader reader, Filter filter)
    {
        var found = new SortedSet<int>();
        foreach (var leaf in reader.Leaves)
        {
            var it = filter.GetDocIdSet(leaf, leaf.AtomicReader.LiveDocs)?.GetIterator();
            if (it is null) continue;
            for (var d = it.NextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.NextDoc()) found.Add(leaf.DocBase + d);
        }
        return found;
    }
}
