using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Scores a matching term its BM25 IDF times its boost, whatever its frequency and the document's length. Added to
/// BM25 with a weight δ (<see cref="WeightedSumSimilarity"/>) it is BM25+ (Lv and Zhai 2011): every occurrence of a
/// query word earns at least δ × IDF, so a long document is not scored below a short one that lacks the word. It
/// reads no norms; as a part of a sum, the sum's first part decides them.
/// </summary>
public sealed class MatchIdfSimilarity : Similarity
{
    public override long ComputeNorm(FieldInvertState state) => 1;

    public override SimWeight ComputeWeight(float queryBoost, CollectionStatistics collectionStats, params TermStatistics[] termStats)
    {
        var idf = 0f;
        foreach (var term in termStats)
            idf += (float)Bm25Idf(term.DocFreq, collectionStats.MaxDoc);
        return new IdfWeight(idf * queryBoost);
    }

    /// <summary>BM25's IDF of a word in <paramref name="docFreq"/> of <paramref name="docCount"/> documents (Lucene's
    /// formula, never negative).</summary>
    internal static double Bm25Idf(double docFreq, double docCount) => Math.Log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));

    public override SimScorer GetSimScorer(SimWeight weight, AtomicReaderContext context) => new IdfScorer((IdfWeight)weight);

    public override string ToString() => "match-idf";

    private sealed class IdfWeight(float boostedIdf) : SimWeight
    {
        private float _topLevelBoost = 1f;

        public float Value => boostedIdf * _topLevelBoost;

        public override float GetValueForNormalization() => boostedIdf * boostedIdf;

        public override void Normalize(float queryNorm, float topLevelBoost) => _topLevelBoost = topLevelBoost;
    }

    private sealed class IdfScorer(IdfWeight weight) : SimScorer
    {
        public override float Score(int doc, float freq) => freq > 0 ? weight.Value : 0f;

        public override float ComputeSlopFactor(int distance) => 1f / (distance + 1);

        public override float ComputePayloadFactor(int doc, int start, int end, BytesRef payload) => 1f;

        public override Explanation Explain(int doc, Explanation freq) =>
            new(Score(doc, freq.Value), "idf × boost, for a match");
    }
}
