using Lucene.Net.Index;
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
    /// With <paramref name="giveUpAt"/>, the search stops once it has counted that many hits, and the result is null.
    /// </summary>
    public static (TopDocs? Top, bool TotalIsLowerBound) Search(IndexSearcher searcher, (Query Query, Filter? Filter) search, Sort sort,
        int count, int exactUpTo, ICollector? alongside = null, int? giveUpAt = null)
    {
        var (query, filter) = search;
        count = Math.Max(1, Math.Min(count, searcher.IndexReader.MaxDoc));
        var ranked = TopFieldCollector.Create(sort, count, fillFields: true, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
        var collector = alongside is null ? ranked : MultiCollector.Wrap(ranked, alongside);
        // Only the bag of words' window scorer skips hits; for other queries the collector would track scores for nothing.
        var competitive = exactUpTo < int.MaxValue && query is BagOfWordsQuery && sort.GetSort()[0].Type == SortFieldType.SCORE
            ? new CompetitiveScoreCollector(collector, count, exactUpTo) : null;
        collector = competitive ?? collector;
        try
        {
            searcher.Search(query, filter, giveUpAt is { } limit ? new LimitedCount(collector, limit) : collector);
        }
        catch (LimitReached)
        {
            return (null, true);
        }
        return (ranked.GetTopDocs(), competitive?.TotalIsLowerBound ?? false);
    }

    private sealed class LimitReached : Exception;

    /// <summary>Passes hits to <paramref name="inner"/> until <paramref name="limit"/> have been, then stops the search.</summary>
    private sealed class LimitedCount(ICollector inner, int limit) : ICollector, ICompetitiveScore
    {
        private readonly ICompetitiveScore? _competitive = inner as ICompetitiveScore;
        private long _count;
        public bool AcceptsDocsOutOfOrder => inner.AcceptsDocsOutOfOrder;
        public void SetScorer(Scorer scorer) => inner.SetScorer(scorer);
        public void SetNextReader(AtomicReaderContext context) => inner.SetNextReader(context);
        public float Minimum => _competitive?.Minimum ?? float.NegativeInfinity;
        public void LeftOut() => _competitive?.LeftOut();

        public void Collect(int doc)
        {
            inner.Collect(doc);
            if (++_count >= limit) throw new LimitReached();
        }
    }
}
