using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Explains a page of hits in the reader's terms. The query is taken apart into its scoring leaves (term, phrase and
/// prefix queries), each carrying the boosts of the clauses above it and the concept the query builder made it for
/// (<see cref="BuiltQuery.Concepts"/>); Lucene explains each leaf for each hit, and the leaves' values are summed per
/// concept, field and view. With BM25 (no query norm) and coordination off, as the builder makes every query, a
/// boolean query's score is the sum of its matching leaves' scores, so the parts add up to the hit's score.
/// Cost: one weight per leaf, then one explanation per leaf per hit: bounded by the page size, like Lucene's own
/// <c>IndexSearcher.Explain</c> of the whole query (which explains every clause too).
/// </summary>
internal static class HitExplainer
{
    private sealed record Leaf(Weight Weight, string Concept, ExplainField Field, ExplainView View);

    public static IReadOnlyList<HitExplanation> Explain(IndexSearcher searcher, Query query,
        IReadOnlyDictionary<Query, string> concepts, IReadOnlyList<int> docs, SearchStop stop)
    {
        if (docs.Count == 0) return [];
        var leaves = new List<Leaf>();
        Collect(searcher, query, 1f, null, concepts, leaves);
        var segments = searcher.IndexReader.Leaves;
        var result = new List<HitExplanation>(docs.Count);
        foreach (var doc in docs)
        {
            stop.ThrowIfStopped();
            var segment = segments[ReaderUtil.SubIndex(doc, segments)];
            var parts = new Dictionary<(string, ExplainField, ExplainView), float>();
            foreach (var leaf in leaves)
            {
                var e = leaf.Weight.Explain(segment, doc - segment.DocBase);
                if (!e.IsMatch || e.Value <= 0) continue;
                var key = (leaf.Concept, leaf.Field, leaf.View);
                parts[key] = parts.GetValueOrDefault(key) + e.Value;
            }
            var total = parts.Values.Sum();
            result.Add(new HitExplanation(total, parts
                .Select(p => new ExplainedPart(p.Key.Item1, p.Key.Item2, p.Key.Item3, p.Value, p.Value / total))
                .OrderByDescending(p => p.Score).ThenBy(p => p.Concept, StringComparer.Ordinal).ThenBy(p => p.Field).ThenBy(p => p.View)
                .ToList()));
        }
        return result;
    }

    /// <summary>Adds the scoring leaves under <paramref name="query"/>, whose clauses above carry <paramref name="boost"/>.</summary>
    private static void Collect(IndexSearcher searcher, Query query, float boost, string? concept,
        IReadOnlyDictionary<Query, string> concepts, List<Leaf> leaves)
    {
        if (concepts.TryGetValue(query, out var named)) concept = named;
        switch (query)
        {
            case BooleanQuery b:
                foreach (var clause in b.Clauses)
                    if (!clause.IsProhibited) Collect(searcher, clause.Query, boost * b.Boost, concept, concepts, leaves);
                return;
            case TermQuery t:
                Add(t.Term.Field, t.Term.Text);
                return;
            case PhraseQuery p when p.GetTerms().Length > 0:
                Add(p.GetTerms()[0].Field, string.Join(" ", p.GetTerms().Select(x => x.Text)));
                return;
            case PrefixQuery p:
                Add(p.Prefix.Field, p.Prefix.Text);
                return;
            default:
                return; // matches everything alike (a search by filters alone): nothing to tell apart
        }

        void Add(string field, string text)
        {
            if (FieldAndView(field) is not { } where) return;
            var leaf = (Query)query.Clone();
            leaf.Boost = boost * query.Boost;
            leaves.Add(new Leaf(searcher.CreateNormalizedWeight(leaf), concept ?? text, where.Field, where.View));
        }
    }

    private static (ExplainField Field, ExplainView View)? FieldAndView(string field) => field switch
    {
        ArticleFields.Title => (ExplainField.Title, ExplainView.Words),
        ArticleFields.Body => (ExplainField.Body, ExplainView.Words),
        ArticleFields.TitleGrams => (ExplainField.Title, ExplainView.Characters),
        ArticleFields.BodyGrams => (ExplainField.Body, ExplainView.Characters),
        _ => null,
    };
}
