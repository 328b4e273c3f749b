using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Experiments that rescore a pasted paragraph's first <see cref="RankingSettings.PassageDocs"/> hits from their text,
/// re-read and re-segmented (both off by default; they apply to searches that do not collapse near-duplicates):
/// <list type="bullet">
/// <item><see cref="RankingSettings.Bm25f"/>: each word's title and body frequencies, each normalised by its own
/// field's length, are added before BM25 saturates them (BM25F), instead of each field being saturated and scored
/// on its own and the two scores summed.</item>
/// <item><see cref="RankingSettings.PassageWeight"/>: the (document) score mixed with the BM25 score of the hit's best
/// passage of <see cref="RankingSettings.PassageWords"/> words (windows overlapping by half), so that a long document
/// that holds the paragraph's words together in one place (a judgment's statement of facts) ranks above one that
/// holds them scattered over its length. Both scores are scaled by their best among the rescored hits.</item>
/// </list>
/// Hits past the rescored ones keep their order, below them.
/// </summary>
internal static class FirstHitsRescore
{
    public static bool Applies(RankingSettings settings, SortOrder sort) =>
        (settings.Bm25f || settings.PassageWeight > 0 && settings.PassageWords > 0) && settings.PassageDocs > 0
        && sort == SortOrder.Relevance;

    public static ScoreDoc[] Rescore(IndexSearcher searcher, Query query, ScoreDoc[] hits, RankingSettings settings,
        UserDictionary dictionary, SearchStop stop)
    {
        var words = QueryWords(query);
        var n = Math.Min(hits.Length, settings.PassageDocs);
        if (words.Count == 0 || n < 2) return hits;
        var reader = searcher.IndexReader;
        var docCount = Math.Max(1, reader.MaxDoc);
        var idf = words.ToDictionary(w => w.Key,
            w => MatchIdfSimilarity.Bm25Idf(reader.DocFreq(new Term(ArticleFields.Body, w.Key)), docCount), StringComparer.Ordinal);

        var segmenter = new TextSegmenter(dictionary);
        var (titleTokens, bodyTokens) = (new List<TextToken>(), new List<TextToken>());
        var documentScore = hits.Take(n).Select(h => (double)h.Score).ToArray();
        var passage = new double[n];
        var fields = settings.Bm25f ? FieldLengths.Of(reader) : default;
        for (var i = 0; i < n; i++)
        {
            stop.ThrowIfStopped();
            var article = ArticleFields.ReadArticle(reader, hits[i].Doc);
            segmenter.Segment(article.Body, SegmentMode.Words, forQuery: true, bodyTokens);
            if (settings.Bm25f)
            {
                segmenter.Segment(article.Title, SegmentMode.Words, forQuery: true, titleTokens);
                documentScore[i] = Bm25fScore(titleTokens, bodyTokens, words, idf, fields, settings);
            }
            if (settings.PassageWeight > 0) passage[i] = BestPassage(bodyTokens, words, idf, settings);
        }
        var maxDoc = documentScore.Max();
        var maxPassage = passage.Max();
        if (maxDoc <= 0) return hits;
        var w = maxPassage > 0 ? Math.Clamp(settings.PassageWeight, 0, 1) : 0;
        var reranked = hits.Take(n)
            .Select((h, i) => new ScoreDoc(h.Doc, (float)((1 - w) * documentScore[i] / maxDoc + (w > 0 ? w * passage[i] / maxPassage : 0))))
            .OrderByDescending(h => h.Score).ThenBy(h => h.Doc).ToList();
        // Hits past the re-ranked ones stay below them, in their order.
        var floor = reranked[^1].Score;
        for (var i = n; i < hits.Length; i++)
            reranked.Add(new ScoreDoc(hits[i].Doc, floor * (float)Math.Pow(0.999, i - n + 1)));
        return reranked.ToArray();
    }

    /// <summary>The collection's average title and body lengths in words (BM25F normalises each field by its own).</summary>
    private readonly record struct FieldLengths(double Title, double Body)
    {
        public static FieldLengths Of(IndexReader reader) => new(Average(reader, ArticleFields.Title), Average(reader, ArticleFields.Body));

        private static double Average(IndexReader reader, string field)
        {
            var docs = reader.GetDocCount(field);
            return docs > 0 ? Math.Max(1, (double)reader.GetSumTotalTermFreq(field) / docs) : 1;
        }
    }

    /// <summary>BM25F: per word, the title's frequency (weighted by <see cref="RankingSettings.PastedTitleBoost"/>,
    /// normalised with <see cref="RankingSettings.Bm25fTitleB"/>) plus the body's (normalised with
    /// <see cref="RankingSettings.B"/>), saturated once with <see cref="RankingSettings.K1"/>.</summary>
    private static double Bm25fScore(List<TextToken> title, List<TextToken> body, Dictionary<string, float> words,
        Dictionary<string, double> idf, FieldLengths average, RankingSettings settings)
    {
        static Dictionary<string, int> Counts(List<TextToken> tokens, Dictionary<string, float> words)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var t in tokens)
                if (words.ContainsKey(t.Term)) counts[t.Term] = counts.GetValueOrDefault(t.Term) + 1;
            return counts;
        }
        var (inTitle, inBody) = (Counts(title, words), Counts(body, words));
        var titleNorm = 1 - settings.Bm25fTitleB + settings.Bm25fTitleB * title.Count / average.Title;
        var bodyNorm = 1 - settings.B + settings.B * body.Count / average.Body;
        var score = 0.0;
        foreach (var term in inTitle.Keys.Union(inBody.Keys))
        {
            var tf = settings.PastedTitleBoost * inTitle.GetValueOrDefault(term) / titleNorm + inBody.GetValueOrDefault(term) / bodyNorm;
            score += words[term] * idf[term] * tf * (settings.K1 + 1) / (settings.K1 + tf);
        }
        return score;
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
