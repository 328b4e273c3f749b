using Lucene.Net.Search;

namespace NewsSearch.Engine.Querying;

/// <summary>The best hits of a search in a sort order, with a count of hits that may stop being exact.</summary>
internal static class TopHits
{
    /// <summary>
    /// The best <paramref name="count"/> hits in <paramref name="sort"/>; <paramref name="alongside"/> sees every hit
    /// collected. In relevance order, once <paramref name="exactUpTo"/> hits are counted, a scorer that can may skip
    /// hits that cannot enter the list: the total is then at least <paramref name="exactUpTo"/>, and flagged as a
    /// lower bound. Pass <see cref="int.MaxValue"/> for an exact total (and for collectors that need every hit).
    /// </summary>
    public static (TopDocs Top, bool TotalIsLowerBound) Search(IndexSearcher searcher, Query query, Filter? filter, Sort sort,
        int count, int exactUpTo, ICollector? alongside = null)
    {
        count = Math.Max(1, Math.Min(count, searcher.IndexReader.MaxDoc));
        var ranked = TopFieldCollector.Create(sort, count, fillFields: true, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
        var collector = alongside is null ? ranked : MultiCollector.Wrap(ranked, alongside);
        var competitive = exactUpTo < int.MaxValue && sort.GetSort()[0].Type == SortFieldType.SCORE
            ? new CompetitiveScoreCollector(collector, count, exactUpTo) : null;
        searcher.Search(query, filter, competitive ?? collector);
        return (ranked.GetTopDocs(), competitive?.TotalIsLowerBound ?? false);
    }
}
