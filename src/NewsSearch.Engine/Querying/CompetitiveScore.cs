using Lucene.Net.Index;
using Lucene.Net.Search;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// What a scorer that can leave out hits needs from the collector it feeds: the score a hit must exceed to still
/// enter the ranked list, and a way to say it left some out (the total is then a lower bound).
/// </summary>
internal interface ICompetitiveScore
{
    /// <summary>A hit whose score cannot exceed this cannot enter the list; negative infinity while every hit counts.</summary>
    float Minimum { get; }

    /// <summary>Called by a scorer that left out hits it did not score.</summary>
    void LeftOut();
}

/// <summary>
/// Passes every hit to <paramref name="inner"/> (which ranks the best <paramref name="ranked"/> by score) and tracks
/// the <paramref name="ranked"/>-th best score. Once <paramref name="exactUpTo"/> hits have been counted, that score
/// is the <see cref="ICompetitiveScore.Minimum"/> a hit must exceed: a scorer may then skip the hits that cannot,
/// and the count of hits becomes a lower bound (<see cref="TotalIsLowerBound"/>). Ties on score are broken by
/// another key in the engine's relevance order, so a hit that only equals the minimum is kept.
/// </summary>
internal sealed class CompetitiveScoreCollector(ICollector inner, int ranked, int exactUpTo) : ICollector, ICompetitiveScore
{
    // The best scores so far, the lowest first: the ranked-th best is at the head once it is full.
    private readonly PriorityQueue<float, float> _best = new(Math.Max(1, ranked));
    private readonly int _ranked = Math.Max(1, ranked);
    private long _counted;
    private Scorer? _scorer;

    /// <summary>True when a scorer skipped hits: <c>TotalHits</c> counts at least <c>exactUpTo</c> hits, not all.</summary>
    public bool TotalIsLowerBound { get; private set; }

    public float Minimum => _best.Count == _ranked && _counted >= exactUpTo ? _best.Peek() : float.NegativeInfinity;

    public void LeftOut() => TotalIsLowerBound = true;

    public bool AcceptsDocsOutOfOrder => inner.AcceptsDocsOutOfOrder;

    public void SetScorer(Scorer scorer)
    {
        _scorer = scorer;
        inner.SetScorer(scorer);
    }

    public void SetNextReader(AtomicReaderContext context) => inner.SetNextReader(context);

    public void Collect(int doc)
    {
        inner.Collect(doc);
        _counted++;
        var score = _scorer!.GetScore();
        if (_best.Count < _ranked) _best.Enqueue(score, score);
        else if (score > _best.Peek()) _best.EnqueueDequeue(score, score);
    }
}
