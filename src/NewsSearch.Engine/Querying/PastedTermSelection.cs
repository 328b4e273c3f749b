using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Query reduction for pasted paragraphs: keeps the words with the highest query weight × IDF (body field) and drops
/// the rest, instead of ranking by every word of the paragraph. How many are kept is the smaller of
/// <see cref="RankingSettings.PastedKeepShare"/> of the words and <see cref="RankingSettings.PastedMaxWords"/>, after
/// the words found in more than <see cref="RankingSettings.PastedMaxDocShare"/> of the articles are dropped; the share
/// of kept words a document must contain is then <see cref="RankingSettings.PastedCutMinimumShouldMatch"/>, or
/// <see cref="RankingSettings.PastedMinimumShouldMatch"/> when that is not set.
/// </summary>
internal static class PastedTermSelection
{
    /// <summary>True when <paramref name="settings"/> may drop words of a pasted paragraph.</summary>
    public static bool Applies(RankingSettings settings) =>
        settings.PastedKeepShare < 1 || settings.PastedMaxWords > 0 || settings.PastedMaxDocShare < 1;

    /// <summary>How many of <paramref name="words"/> words are kept: at least one.</summary>
    public static int KeepCount(int words, RankingSettings settings)
    {
        var keep = Math.Max(1, (int)Math.Ceiling(words * Math.Clamp(settings.PastedKeepShare, 0, 1)));
        return settings.PastedMaxWords > 0 ? Math.Min(keep, settings.PastedMaxWords) : keep;
    }

    /// <summary>
    /// The query with only the kept words. The body term of each kept word carries the term statistics looked up to
    /// rank the words, so searching does not seek the same terms again (that lookup was a sixth of a pasted search).
    /// Clauses are kept by reference: explanations still find the word each was built for.
    /// </summary>
    public static Query Select(IndexReader reader, BooleanQuery query, RankingSettings settings)
    {
        var should = query.Clauses.Where(c => c.Occur == Occur.SHOULD).ToList();
        if (settings.PastedMaxDocShare >= 1 && KeepCount(should.Count, settings) >= should.Count) return query;
        var top = reader.Context;
        double n = reader.NumDocs;
        var scored = new List<(BooleanClause Clause, double Weight, int Index, int DocFreq, Action? Reuse)>(should.Count);
        for (var i = 0; i < should.Count; i++)
        {
            var c = should[i];
            var (term, reuse) = BodyTerm(c.Query);
            TermContext? states = term is null ? null : TermContext.Build(top, term);
            var df = states?.DocFreq ?? 0;
            var weight = c.Query.Boost * MatchIdfSimilarity.Bm25Idf(df, n);
            scored.Add((c, weight, i, df, states is null || reuse is null ? null : () => reuse(states)));
        }
        // Words in more than PastedMaxDocShare of the articles go first (the rarest word stays if all would).
        var rare = scored.Where(x => x.DocFreq <= settings.PastedMaxDocShare * n).ToList();
        if (rare.Count == 0) rare = [scored.MinBy(x => x.DocFreq)];
        var keep = KeepCount(rare.Count, settings);
        if (keep >= should.Count) return query;
        var kept = rare.OrderByDescending(x => x.Weight).ThenBy(x => x.Index).Take(keep).OrderBy(x => x.Index).ToList();
        var result = new BooleanQuery(disableCoord: true);
        foreach (var x in kept)
        {
            x.Reuse?.Invoke();
            result.Add(x.Clause);
        }
        result.MinimumNumberShouldMatch = Math.Max(1, (int)Math.Ceiling(kept.Count * (settings.PastedCutMinimumShouldMatch ?? settings.PastedMinimumShouldMatch)));
        foreach (var c in query.Clauses.Where(c => c.Occur != Occur.SHOULD)) result.Add(c);
        return result;
    }

    /// <summary>The body term a word's clause ranks by, and how to give that term its looked-up statistics.</summary>
    private static (Term? Term, Action<TermContext>? Reuse) BodyTerm(Query q)
    {
        if (q is TermQuery single) return (single.Term, null);
        if (q is not BooleanQuery b) return (null, null);
        foreach (var clause in b.Clauses)
            if (clause.Query is TermQuery t && t.Term.Field == ArticleFields.Body)
                return (t.Term, states => clause.Query = new TermQuery(t.Term, states) { Boost = t.Boost });
        return (null, null);
    }
}
