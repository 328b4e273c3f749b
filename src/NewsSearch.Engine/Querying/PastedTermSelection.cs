using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Query reduction for pasted paragraphs: keeps the words with the highest query weight × IDF (body field) and drops
/// the rest, instead of ranking by every word of the paragraph. Off unless <see cref="RankingSettings.PastedKeepShare"/>
/// &lt; 1; the share of kept words a document must contain is then <see cref="RankingSettings.PastedMinimumShouldMatch"/>.
/// </summary>
internal static class PastedTermSelection
{
    public static Query Select(IndexReader reader, BooleanQuery query, RankingSettings settings)
    {
        var should = query.Clauses.Where(c => c.Occur == Occur.SHOULD).ToList();
        var keep = Math.Max(1, (int)Math.Ceiling(should.Count * Math.Clamp(settings.PastedKeepShare, 0, 1)));
        if (keep >= should.Count) return query;
        double n = reader.NumDocs;
        double Weight(BooleanClause c)
        {
            var term = c.Query is BooleanQuery b
                ? b.Clauses.Select(x => x.Query).OfType<TermQuery>().FirstOrDefault(t => t.Term.Field == ArticleFields.Body)?.Term
                : (c.Query as TermQuery)?.Term;
            var df = term is null ? 0 : reader.DocFreq(term);
            return c.Query.Boost * Math.Log(1 + (n - df + 0.5) / (df + 0.5));
        }
        var kept = should.Select((c, i) => (Clause: c, Weight: Weight(c), Index: i))
            .OrderByDescending(x => x.Weight).ThenBy(x => x.Index).Take(keep).OrderBy(x => x.Index).ToList();
        var result = new BooleanQuery(disableCoord: true);
        foreach (var (clause, _, _) in kept) result.Add(clause);
        result.MinimumNumberShouldMatch = Math.Max(1, (int)Math.Ceiling(kept.Count * settings.PastedMinimumShouldMatch));
        foreach (var c in query.Clauses.Where(c => c.Occur != Occur.SHOULD)) result.Add(c);
        return result;
    }
}
