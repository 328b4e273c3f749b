using Lucene.Net.Search;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// A query searched with some filter the cheapest way: a bag of words (<see cref="BagOfWordsQuery"/>) holds its filter
/// inside, where its window scorer leaps over the documents the filter leaves out; anything else takes it beside,
/// rewritten once for all the passes of a search (a single character's prefix enumerates its terms once).
/// </summary>
internal sealed class FilteredSearch(IndexSearcher searcher, Query query, SearchStop stop)
{
    private Query? _rewritten;

    public (Query Query, Filter? Filter) With(Filter? filter) =>
        BagOfWordsQuery.TryWrap(query, filter, searcher.Similarity, stop) is { } bag ? (bag, null) : (_rewritten ??= searcher.Rewrite(query), filter);
}
