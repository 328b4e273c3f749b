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
    private readonly float[] _heap = new float[Math.Max(1, ranked)];
    private int _size;
    private long _counted;
    private Scorer? _scorer;

    /// <summary>True when a scorer skipped hits: <c>TotalHits</c> counts at least <c>exactUpTo</c> hits, not all.</summary>
    public bool TotalIsLowerBound { get; private set; }

    public float Minimum => _size == _heap.Length && _counted >= exactUpTo ? _heap[0] : float.NegativeInfinity;

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
        if (_size < _heap.Length)
        {
            // Sift up: the heap's first element is its smallest score.
            var i = _size++;
            while (i > 0 && _heap[(i - 1) / 2] > score)
            {
                _heap[i] = _heap[(i - 1) / 2];
                i = (i - 1) / 2;
            }
            _heap[i] = score;
        }
        else if (score > _heap[0])
        {
            var i = 0;
            while (true)
            {
                var child = 2 * i + 1;
                if (child >= _size) break;
                if (child + 1 < _size && _heap[child + 1] < _heap[child]) child++;
                if (_heap[child] >= score) break;
                _heap[i] = _heap[child];
                i = child;
            }
            _heap[i] = score;
        }
    }
}
