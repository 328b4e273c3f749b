using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Passage evidence for pasted paragraphs (an experiment, off unless <see cref="RankingSettings.PassageWeight"/> &gt; 0):
/// the first <see cref="RankingSettings.PassageDocs"/> hits are re-ranked by their whole-document score mixed with
/// the BM25 score of their best passage of <see cref="RankingSettings.PassageWords"/> words (windows overlapping by
/// half). A long document that holds the paragraph's words together in one place (a judgment's statement of facts, a
/// report's one paragraph on the story) then ranks above one that holds them scattered over its length. Both scores
/// are scaled by their best among the re-ranked hits before they are mixed; hits past the re-ranked ones keep their
/// order, below them.
/// </summary>
internal static class PassageRerank
{
    public static bool Applies(RankingSettings settings, SortOrder sort) =>
        settings.PassageWeight > 0 && settings.PassageDocs > 0 && settings.PassageWords > 0 && sort == SortOrder.Relevance;

    public static ScoreDoc[] Rerank(IndexSearcher searcher, Query query, ScoreDoc[] hits, RankingSettings settings,
        UserDictionary dictionary, SearchStop stop)
    {
        var words = QueryWords(query);
        var n = Math.Min(hits.Length, settings.PassageDocs);
        if (words.Count == 0 || n < 2) return hits;
        var reader = searcher.IndexReader;
        var docCount = Math.Max(1, reader.MaxDoc);
        var idf = words.ToDictionary(w => w.Key, w =>
        {
            var df = reader.DocFreq(new Term(ArticleFields.Body, w.Key));
            return Math.Log(1 + (docCount - df + 0.5) / (df + 0.5));
        }, StringComparer.Ordinal);

        var segmenter = new TextSegmenter(dictionary);
        var tokens = new List<TextToken>();
        var passage = new double[n];
        for (var i = 0; i < n; i++)
        {
            stop.ThrowIfStopped();
            var body = ArticleFields.ReadArticle(reader, hits[i].Doc).Body;
            segmenter.Segment(body, SegmentMode.Words, forQuery: true, tokens);
            passage[i] = BestPassage(tokens, words, idf, settings);
        }
        var maxDoc = hits.Take(n).Max(h => (double)h.Score);
        var maxPassage = passage.Max();
        if (maxDoc <= 0 || maxPassage <= 0) return hits;
        var w = Math.Clamp(settings.PassageWeight, 0, 1);
        var reranked = hits.Take(n)
            .Select((h, i) => new ScoreDoc(h.Doc, (float)((1 - w) * h.Score / maxDoc + w * passage[i] / maxPassage)))
            .OrderByDescending(h => h.Score).ThenBy(h => h.Doc).ToList();
        // Hits past the re-ranked ones stay below them, in their order.
        var floor = reranked[^1].Score;
        for (var i = n; i < hits.Length; i++)
            reranked.Add(new ScoreDoc(hits[i].Doc, floor * (float)Math.Pow(0.999, i - n + 1)));
        return reranked.ToArray();
    }

    /// <summary>The best BM25 score of a window of the tokens, windows of <see cref="RankingSettings.PassageWords"/>
    /// tokens starting every half window.</summary>
    private static double BestPassage(List<TextToken> tokens, Dictionary<string, float> words,
        Dictionary<string, double> idf, RankingSettings settings)
    {
        var size = settings.PassageWords;
        var step = Math.Max(1, size / 2);
        var best = 0.0;
        var tf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var start = 0; ; start += step)
        {
            tf.Clear();
            var end = Math.Min(tokens.Count, start + size);
            for (var t = start; t < end; t++)
                if (words.ContainsKey(tokens[t].Term)) tf[tokens[t].Term] = tf.GetValueOrDefault(tokens[t].Term) + 1;
            // Passages are all of one length but the last: normalise by the window, as BM25 by the average document.
            var norm = settings.K1 * (1 - settings.B + settings.B * (end - start) / (double)size);
            var score = 0.0;
            foreach (var (term, f) in tf)
                score += words[term] * idf[term] * f * (settings.K1 + 1) / (f + norm);
            best = Math.Max(best, score);
            if (end == tokens.Count) break;
        }
        return best;
    }

    /// <summary>Each word of a pasted paragraph's query (its body term) and the word's query weight.</summary>
    private static Dictionary<string, float> QueryWords(Query query)
    {
        var words = new Dictionary<string, float>(StringComparer.Ordinal);
        void Visit(Query q, float weight)
        {
            switch (q)
            {
                case TermQuery t when t.Term.Field == ArticleFields.Body:
                    words[t.Term.Text] = words.GetValueOrDefault(t.Term.Text) + weight;
                    break;
                case BooleanQuery b:
                    foreach (var c in b.Clauses)
                        if (c.Occur != Occur.MUST_NOT) Visit(c.Query, weight * b.Boost);
                    break;
                case DisjunctionMaxQuery d:
                    foreach (var c in d.Disjuncts) Visit(c, weight * d.Boost);
                    break;
            }
        }
        Visit(query, 1f);
        return words;
    }
}
