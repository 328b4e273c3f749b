using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>A sequence of terms to mark in a snippet: one term, or a phrase's terms at their relative positions.</summary>
/// <remarks>With <see cref="Prefix"/>, the one term is a single character marked wherever a gram starts with it.</remarks>
public sealed record HighlightTerms(string Field, string[] Terms, int[] Positions, bool Prefix = false);

/// <summary>The Lucene query for a reader's query, and what to mark in snippets.</summary>
public sealed record BuiltQuery(Query? Query, IReadOnlyList<HighlightTerms> Highlights);

/// <summary>
/// Turns parsed reader queries into Lucene queries over the two views of each text field:
/// SmartCn words (<c>title</c>, <c>body</c>) rank; character grams (<c>title_g</c>, <c>body_g</c>) find exact character
/// sequences, which is how unknown names, quoted phrases, single characters and words added to the user dictionary
/// after indexing are matched.
/// </summary>
public sealed class QueryBuilder(UserDictionary dictionary)
{
    /// <summary>Weight of a title match relative to a body match.</summary>
    public const float TitleBoost = 2.5f;

    /// <summary>
    /// Title weight for a pasted paragraph. Such a query is compared with passages of text; its many incidental words
    /// would make short titles count for too much (LeCaRD dev, title weight 2.5 → 0.5: MAP 0.475 → 0.509).
    /// </summary>
    public const float PastedTitleBoost = 0.5f;

    /// <summary>The knobs evaluation varies; <see cref="RankingSettings.Default"/> for the service.</summary>
    public RankingSettings Ranking { get; init; } = RankingSettings.Default;

    /// <summary>Most distinct concepts taken from one query (a long pasted paragraph is cut here).</summary>
    public const int MaxConcepts = 400;

    /// <summary>A query with more concepts than this is treated as a pasted paragraph.</summary>
    public const int LongQueryConcepts = 12;

    // Single characters that carry grammar rather than meaning: they do not glue neighbouring characters into a name
    // and are dropped from a query that has anything else to look for.
    private static readonly HashSet<string> FunctionChars =
    [
        "的", "了", "在", "和", "与", "及", "是", "把", "被", "对", "从", "向", "也", "都", "而", "或", "之", "于", "为", "等",
        "将", "就", "又", "还", "并", "但", "着", "过", "地", "得", "所", "以", "其", "这", "那", "有", "个", "中", "上", "下",
        "不", "我", "你", "他", "她", "它", "们", "给", "让", "由", "至", "到", "则", "即", "且", "该", "各", "每",
    ];

    private abstract record Concept(string Key)
    {
        public bool IsFunction { get; init; }
    }
    private sealed record WordConcept(string Word) : Concept("w:" + Word);
    private sealed record CodeConcept(string Code) : Concept("c:" + Code);
    private sealed record SequenceConcept(string Text) : Concept("s:" + Text);

    public BuiltQuery Build(IReadOnlyList<QueryNode> nodes)
    {
        var highlights = new List<HighlightTerms>();
        var segmenter = new TextSegmenter(dictionary);
        var query = BuildSequence(nodes, segmenter, highlights);
        return new BuiltQuery(query, highlights);
    }

    private Query? BuildSequence(IReadOnlyList<QueryNode> nodes, TextSegmenter segmenter, List<HighlightTerms> highlights)
    {
        var query = BuildSequence(nodes, segmenter, highlights, pasted: false, out var concepts);
        if (concepts <= LongQueryConcepts) return query;
        // A pasted paragraph ranks as a bag of its words; exact sequences would only cut recall.
        highlights.Clear();
        return BuildSequence(nodes, segmenter, highlights, pasted: true, out _);
    }

    private Query? BuildSequence(IReadOnlyList<QueryNode> nodes, TextSegmenter segmenter, List<HighlightTerms> highlights,
        bool pasted, out int conceptCount)
    {
        var pool = new List<(Concept Concept, int Count)>();
        var must = new List<Query>();
        var mustNot = new List<Query>();
        var optional = new List<Query>();
        foreach (var node in nodes)
        {
            var collect = node.Occurrence != Occurrence.Excluded;
            switch (node)
            {
                case TextNode t when node.Occurrence == Occurrence.Default:
                    foreach (var c in Concepts(t.Text, segmenter, pasted)) AddToPool(pool, c);
                    break;
                case PhraseNode p when node.Occurrence == Occurrence.Default:
                    if (p.Text.Trim().Length > 0) AddToPool(pool, new SequenceConcept(p.Text));
                    break;
                default:
                    var q = BuildNode(node, segmenter, collect ? highlights : null);
                    if (q is null) break;
                    (node.Occurrence switch { Occurrence.Required => must, Occurrence.Excluded => mustNot, _ => optional }).Add(q);
                    break;
            }
        }

        var meaningful = pool.Where(p => !p.Concept.IsFunction).ToList();
        if (meaningful.Count > 0) pool = meaningful;
        if (pool.Count > MaxConcepts) pool = pool.OrderByDescending(p => p.Count).Take(MaxConcepts).ToList();

        conceptCount = pool.Count;
        // The caller builds a pasted paragraph again as a bag of words: do not build the exact-sequence form for nothing.
        if (!pasted && conceptCount > LongQueryConcepts) return null;
        var result = new BooleanQuery(disableCoord: true);
        foreach (var (concept, count) in pool)
        {
            var q = ConceptQuery(concept, segmenter, highlights, pasted);
            if (q is null) continue;
            // Repeated words weigh more, sublinearly (LeCaRD dev, linear → 1 + ln n: MAP 0.509 → 0.527).
            if (count > 1) q.Boost *= Ranking.RepeatedWordBoost(count);
            result.Add(q, Occur.SHOULD);
        }
        var shouldCount = result.Clauses.Count;
        foreach (var q in optional) { result.Add(q, Occur.SHOULD); shouldCount++; }
        result.MinimumNumberShouldMatch = pasted && shouldCount > 10
            ? Math.Max(1, (int)Math.Ceiling(shouldCount * Ranking.PastedMinimumShouldMatch))
            : MinimumShouldMatch(shouldCount);
        foreach (var q in must) result.Add(q, Occur.MUST);
        foreach (var q in mustNot) result.Add(q, Occur.MUST_NOT);
        if (result.Clauses.Count == 0) return null;
        if (shouldCount == 0 && must.Count == 0) result.Add(new MatchAllDocsQuery(), Occur.MUST);
        return result;
    }

    /// <summary>
    /// How many of a query's n optional concepts a document must match: all of a short query (what a reader types
    /// into a search box), most of a medium one, and a quarter of a pasted paragraph, whose ranking does the rest.
    /// </summary>
    public static int MinimumShouldMatch(int n) => n switch
    {
        <= 4 => n,
        <= 10 => (int)Math.Ceiling(n * 0.75),
        _ => Math.Max(1, (int)Math.Ceiling(n * 0.25)),
    };

    private static void AddToPool(List<(Concept, int)> pool, Concept c)
    {
        var i = pool.FindIndex(p => p.Item1.Key == c.Key);
        if (i >= 0) pool[i] = (pool[i].Item1, pool[i].Item2 + 1);
        else pool.Add((c, 1));
    }

    private Query? BuildNode(QueryNode node, TextSegmenter segmenter, List<HighlightTerms>? highlights)
    {
        var sink = highlights ?? [];
        switch (node)
        {
            case TextNode t:
            {
                // Every concept of a required or excluded word must be there.
                var concepts = Concepts(t.Text, segmenter).ToList();
                var meaningful = concepts.Where(c => !c.IsFunction).ToList();
                if (meaningful.Count > 0) concepts = meaningful;
                var all = new BooleanQuery(disableCoord: true);
                foreach (var c in concepts.DistinctBy(c => c.Key))
                    if (ConceptQuery(c, segmenter, sink) is { } q) all.Add(q, Occur.MUST);
                return all.Clauses.Count == 0 ? null : all.Clauses.Count == 1 ? all.Clauses[0].Query : all;
            }
            case PhraseNode p:
                return ConceptQuery(new SequenceConcept(p.Text), segmenter, sink);
            case AnyNode any:
            {
                var anyQuery = new BooleanQuery(disableCoord: true);
                foreach (var alt in any.Alternatives)
                    if (BuildNode(alt with { Occurrence = Occurrence.Required }, segmenter, highlights) is { } q)
                        anyQuery.Add(q, Occur.SHOULD);
                return anyQuery.Clauses.Count == 0 ? null : anyQuery;
            }
            case GroupNode g:
                return BuildSequence(g.Clauses, segmenter, sink);
            default:
                return null;
        }
    }

    /// <summary>A stretch of query tokens that becomes one concept.</summary>
    private sealed class Group(TextToken first, bool isSingle)
    {
        public List<TextToken> Tokens { get; } = [first];
        public bool IsSingle { get; set; } = isSingle;
        public TextToken Last => Tokens[^1];
        public TextToken First => Tokens[0];
        public string Text => string.Concat(Tokens.Select(t => t.Term));

        public bool Touches(Group next) => Last.End == next.First.Start && Last.Position + 1 == next.First.Position;
    }

    /// <summary>
    /// Segments a bare word of the query into concepts. Characters SmartCn could not join into words are, together,
    /// most likely one unknown word (贝/森/特 → 贝森特); a lone such character is most likely the end or start of a
    /// word SmartCn cut short (马克/龙 → 马克龙), so it joins the word it touches. Either way the concept is matched as
    /// the exact character sequence the reader typed.
    /// </summary>
    private IEnumerable<Concept> Concepts(string text, TextSegmenter segmenter, bool flat = false)
    {
        var tokens = new List<TextToken>();
        segmenter.Segment(text, SegmentMode.Words, forQuery: true, tokens);
        if (flat)
        {
            foreach (var t in tokens)
                yield return t.Kind == TokenKind.Code ? new CodeConcept(t.Term) : new WordConcept(t.Term) { IsFunction = FunctionChars.Contains(t.Term) };
            yield break;
        }
        var groups = new List<Group>();
        foreach (var t in tokens)
        {
            var single = t.Kind == TokenKind.Word && t.End - t.Start == 1 && !FunctionChars.Contains(t.Term);
            var g = new Group(t, single);
            if (single && groups.Count > 0 && groups[^1].IsSingle && groups[^1].Touches(g))
            {
                groups[^1].Tokens.Add(t);
                continue;
            }
            groups.Add(g);
        }
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            if (!g.IsSingle || g.Tokens.Count != 1) continue;
            bool IsWord(Group x) => x.First.Kind == TokenKind.Word && !x.IsSingle && x.First.End - x.First.Start > 1;
            if (i > 0 && IsWord(groups[i - 1]) && groups[i - 1].Touches(g))
            {
                groups[i - 1].Tokens.Add(g.First);
                groups[i - 1].IsSingle = true;
                groups.RemoveAt(i--);
            }
            else if (i + 1 < groups.Count && IsWord(groups[i + 1]) && g.Touches(groups[i + 1]))
            {
                g.Tokens.AddRange(groups[i + 1].Tokens);
                groups.RemoveAt(i + 1);
            }
        }
        foreach (var g in groups)
        {
            var t = g.First;
            if (g.IsSingle || g.Tokens.Count > 1) yield return new SequenceConcept(g.Text);
            else if (t.Kind == TokenKind.Code) yield return new CodeConcept(t.Term);
            else if (t.End - t.Start == 1) yield return new SequenceConcept(t.Term) { IsFunction = FunctionChars.Contains(t.Term) };
            else yield return new WordConcept(t.Term);
        }
    }

    private Query? ConceptQuery(Concept c, TextSegmenter segmenter, List<HighlightTerms> highlights, bool pasted = false)
    {
        var q = new BooleanQuery(disableCoord: true);
        switch (c)
        {
            case CodeConcept code:
                AddTerm(q, ArticleFields.Title, code.Code, pasted ? Ranking.PastedTitleBoost : TitleBoost);
                AddTerm(q, ArticleFields.Body, code.Code, 1f);
                highlights.Add(new HighlightTerms(ArticleFields.Body, [code.Code], [0]));
                break;
            case WordConcept w:
                AddTerm(q, ArticleFields.Title, w.Word, pasted ? Ranking.PastedTitleBoost : TitleBoost);
                AddTerm(q, ArticleFields.Body, w.Word, 1f);
                // The same characters found inside other words: weaker evidence, still a match.
                if (!pasted) AddSequence(q, segmenter, w.Word, 0.5f, null);
                highlights.Add(new HighlightTerms(ArticleFields.Body, [w.Word], [0]));
                AddSequence(null, segmenter, w.Word, 0, highlights);
                break;
            case SequenceConcept s:
                AddSequence(q, segmenter, s.Text, 1f, highlights);
                break;
        }
        return q.Clauses.Count == 0 ? null : q;
    }

    private static void AddTerm(BooleanQuery q, string field, string term, float boost) =>
        q.Add(new TermQuery(new Term(field, term)) { Boost = boost }, Occur.SHOULD);

    /// <summary>Adds the exact-sequence query for <paramref name="text"/> on the grams fields.</summary>
    private static void AddSequence(BooleanQuery? q, TextSegmenter segmenter, string text, float weight, List<HighlightTerms>? highlights)
    {
        var seq = SequenceTerms(segmenter, text);
        if (seq.Count == 1 && seq[0].Prefix)
        {
            // A single character: the grams that start with it.
            foreach (var (field, boost) in new[] { (ArticleFields.TitleGrams, TitleBoost), (ArticleFields.BodyGrams, 1f) })
                q?.Add(new PrefixQuery(new Term(field, seq[0].Term)) { Boost = boost * weight }, Occur.SHOULD);
            highlights?.Add(new HighlightTerms(ArticleFields.BodyGrams, [seq[0].Term], [0], Prefix: true));
            return;
        }
        // A lone character between codes cannot be pinned to one gram: it is left as a gap in the phrase.
        seq = seq.Where(s => !s.Prefix).ToList();
        if (seq.Count == 0) return;
        var first = seq[0].Position;
        foreach (var (field, boost) in new[] { (ArticleFields.TitleGrams, TitleBoost), (ArticleFields.BodyGrams, 1f) })
        {
            Query part;
            if (seq.Count == 1) part = new TermQuery(new Term(field, seq[0].Term));
            else
            {
                var phrase = new PhraseQuery();
                foreach (var (term, pos, _) in seq) phrase.Add(new Term(field, term), pos - first);
                part = phrase;
            }
            part.Boost = boost * weight;
            q?.Add(part, Occur.SHOULD);
        }
        highlights?.Add(new HighlightTerms(ArticleFields.BodyGrams, seq.Select(s => s.Term).ToArray(), seq.Select(s => s.Position - first).ToArray()));
    }

    /// <summary>
    /// The grams that pin down <paramref name="text"/> exactly: each Han run of two or more characters as its chain of
    /// bigrams, codes as themselves, at their positions relative to the first; a lone Han character is a prefix.
    /// </summary>
    internal static List<(string Term, int Position, bool Prefix)> SequenceTerms(TextSegmenter segmenter, string text)
    {
        var tokens = new List<TextToken>();
        segmenter.Segment(text, SegmentMode.Grams, forQuery: true, tokens);
        var result = new List<(string, int, bool)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            switch (t.Kind)
            {
                case TokenKind.Bigram:
                case TokenKind.Code:
                    result.Add((t.Term, t.Position, false));
                    break;
                case TokenKind.Unigram:
                    // The last character of a run is already covered by the bigram ending on it.
                    var bigramBefore = i > 0 && tokens[i - 1].Kind == TokenKind.Bigram && tokens[i - 1].End == t.End;
                    if (!bigramBefore) result.Add((t.Term, t.Position, true));
                    break;
            }
        }
        if (result.Count == 0) return result;
        var first = result[0].Item2;
        return result.Select(r => (r.Item1, r.Item2 - first, r.Item3)).ToList();
    }
}
