using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Pseudo-relevance feedback for pasted paragraphs, in the manner of RM3: the top documents of a first pass are taken
/// as relevant, each word's weight is its share of each such document's words weighted by the document's share of
/// the first-pass scores, and the heaviest words are added to the query. The original query stays required, so the
/// set of matches is unchanged and only their order moves. Off unless <see cref="RankingSettings.FeedbackDocs"/> &gt; 0.
/// </summary>
internal static class FeedbackExpansion
{
    /// <summary>Words in more than this share of documents carry no evidence and are never added.</summary>
    private const double MaxDocumentShare = 0.1;

    /// <summary>True for the bag-of-words query the builder makes of a pasted paragraph (one clause per word).</summary>
    public static bool IsPasted(Query? query) =>
        query is BooleanQuery b && b.Clauses.Count(c => c.Occur == Occur.SHOULD) > QueryBuilder.LongQueryConcepts;

    public static Query Expand(IndexSearcher searcher, Query query, Filter? filter, RankingSettings settings, UserDictionary dictionary)
    {
        var top = searcher.Search(query, filter, settings.FeedbackDocs);
        if (top.ScoreDocs.Length == 0) return query;
        var scoreSum = top.ScoreDocs.Sum(d => (double)d.Score);
        if (scoreSum <= 0) return query;

        var segmenter = new TextSegmenter(dictionary);
        var tokens = new List<TextToken>();
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var sd in top.ScoreDocs)
        {
            var article = ArticleFields.ReadArticle(searcher.IndexReader, sd.Doc);
            segmenter.Segment(article.Title + "\n" + article.Body, SegmentMode.Words, forQuery: true, tokens);
            var words = tokens.Where(t => t.Kind == TokenKind.Code || (t.Kind == TokenKind.Word && t.End - t.Start > 1)).ToList();
            if (words.Count == 0) continue;
            var docWeight = sd.Score / scoreSum / words.Count;
            foreach (var w in words) weights[w.Term] = weights.GetValueOrDefault(w.Term) + docWeight;
        }

        var reader = searcher.IndexReader;
        var maxDf = Math.Max(1, reader.NumDocs * MaxDocumentShare);
        var chosen = weights.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Where(p => reader.DocFreq(new Term(ArticleFields.Body, p.Key)) is > 0 and var df && df <= maxDf)
            .Take(settings.FeedbackTerms).ToList();
        if (chosen.Count == 0) return query;

        // Both parts on one scale: the expansion as a whole weighs λ against the original's 1 − λ, each measured as
        // the sum of its clause weights.
        var original = ((BooleanQuery)query).Clauses.Where(c => c.Occur == Occur.SHOULD).Sum(c => (double)c.Query.Boost);
        var lambda = Math.Clamp(settings.FeedbackWeight, 0, 0.95);
        var scale = lambda / (1 - lambda) * original / chosen.Sum(p => p.Value);
        var expansion = new BooleanQuery(disableCoord: true);
        foreach (var (word, weight) in chosen)
        {
            var q = new BooleanQuery(disableCoord: true);
            q.Add(new TermQuery(new Term(ArticleFields.Title, word)) { Boost = settings.PastedTitleBoost }, Occur.SHOULD);
            q.Add(new TermQuery(new Term(ArticleFields.Body, word)), Occur.SHOULD);
            q.Boost = (float)(weight * scale);
            expansion.Add(q, Occur.SHOULD);
        }
        return new BooleanQuery(disableCoord: true) { { query, Occur.MUST }, { expansion, Occur.SHOULD } };
    }
}
