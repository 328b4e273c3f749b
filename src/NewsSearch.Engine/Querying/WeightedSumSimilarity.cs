using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Scores a term as a weighted sum of several similarities' scores (CombSUM with weights), in one pass over the
/// postings. Each part's weight multiplies its query boost, so a part scales exactly as a boosted query would.
/// Length norms are the first part's: every part must read the norms the index was written with (BM25 and the
/// language models read the same ones).
/// </summary>
public sealed class WeightedSumSimilarity : Similarity
{
    private readonly (Similarity Similarity, float Weight)[] _parts;
    private readonly float[] _weights;

    public WeightedSumSimilarity(params (Similarity Similarity, float Weight)[] parts)
    {
        if (parts.Length == 0) throw new ArgumentException("at least one similarity is needed", nameof(parts));
        foreach (var (_, weight) in parts)
            if (!(weight >= 0) || float.IsInfinity(weight))
                throw new ArgumentOutOfRangeException(nameof(parts), weight, "a weight is a finite number ≥ 0");
        _parts = parts;
        _weights = parts.Select(p => p.Weight).ToArray();
    }

    public override long ComputeNorm(FieldInvertState state) => _parts[0].Similarity.ComputeNorm(state);

    public override SimWeight ComputeWeight(float queryBoost, CollectionStatistics collectionStats, params TermStatistics[] termStats)
    {
        var weights = new SimWeight[_parts.Length];
        for (var i = 0; i < _parts.Length; i++)
            weights[i] = _parts[i].Similarity.ComputeWeight(queryBoost, collectionStats, termStats);
        return new SumWeight(weights, _weights);
    }

    public override SimScorer GetSimScorer(SimWeight weight, AtomicReaderContext context)
    {
        var sum = (SumWeight)weight;
        var scorers = new SimScorer[_parts.Length];
        for (var i = 0; i < _parts.Length; i++)
            scorers[i] = _parts[i].Similarity.GetSimScorer(sum.Parts[i], context);
        return new SumScorer(scorers);
    }

    public override string ToString() => $"sum({string.Join(", ", _parts.Select(p => $"{p.Weight}×{p.Similarity}"))})";

    private sealed class SumWeight(SimWeight[] parts, float[] weights) : SimWeight
    {
        public SimWeight[] Parts { get; } = parts;

        // IndexSearcher's query norm is 1 for BM25 and the language models; the first part stands for the sum.
        public override float GetValueForNormalization() => Parts[0].GetValueForNormalization();

        public override void Normalize(float queryNorm, float topLevelBoost)
        {
            for (var i = 0; i < Parts.Length; i++) Parts[i].Normalize(queryNorm, topLevelBoost * weights[i]);
        }
    }

    private sealed class SumScorer(SimScorer[] parts) : SimScorer
    {
        public override float Score(int doc, float freq)
        {
            var score = 0f;
            foreach (var part in parts) score += part.Score(doc, freq);
            return score;
        }

        public override float ComputeSlopFactor(int distance) => parts[0].ComputeSlopFactor(distance);

        public override float ComputePayloadFactor(int doc, int start, int end, BytesRef payload) =>
            parts[0].ComputePayloadFactor(doc, start, end, payload);

        public override Explanation Explain(int doc, Explanation freq)
        {
            var result = new Explanation { Description = "sum of:" };
            foreach (var part in parts) result.AddDetail(part.Explain(doc, freq));
            result.Value = result.GetDetails().Sum(d => d.Value);
            return result;
        }
    }
}
