using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>A sequence of terms to mark in a snippet: one term, or a phrase's terms at their relative positions.</summary>
public sealed record HighlightTerms(string Field, string[] Terms, int[] Positions);

/// <summary>The Lucene query for a reader's query, and what to mark in snippets.</summary>
public sealed record BuiltQuery(Query? Query, IReadOnlyList<HighlightTerms> Highlights);

/// <summary>
/// Turns parsed reader queries into Lucene queries over the two views of each text field:
/// SmartCn words (<c>title</c>, <c>body</c>) rank; unigrams+bigrams (<c>title_g</c>, <c>body_g</c>) find exact character
/// sequences, which is how unknown names, quoted phrases, single characters and words added to the user dictionary
/// after indexing are matched.
/// </summary>
public sealed class QueryBuilder(UserDictionary dictionary)
{
    /// <summary>Weight of a title match relative to a body match.</summary>
    public const float TitleBoost = 2.5f;

    /// <summary>Most distinct concepts taken from one query (a long pasted paragraph is cut here).</summary>
    public const int MaxConcepts = 400;

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
                    foreach (var c in Concepts(t.Text, segmenter)) AddToPool(pool, c);
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

        var result = new BooleanQuery(disableCoord: true);
        foreach (var (concept, count) in pool)
        {
            var q = ConceptQuery(concept, segmenter, highlights);
            if (q is null) continue;
            if (count > 1) q.Boost *= count;
            result.Add(q, Occur.SHOULD);
        }
        var shouldCount = result.Clauses.Count;
        foreach (var q in optional) { result.Add(q, Occur.SHOULD); shouldCount++; }
        result.MinimumNumberShouldMatch = MinimumShouldMatch(shouldCount);
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
        _ => Math.Max(6, (int)Math.Ceiling(n * 0.25)),
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
                    if (BuildNode(alt with { Occurrence = Occurrence.Required } is var a ? a : alt, segmenter, highlights) is { } q)
                        anyQuery.Add(q, Occur.SHOULD);
                return anyQuery.Clauses.Count == 0 ? null : anyQuery;
            }
            case GroupNode g:
                return BuildSequence(g.Clauses, segmenter, sink);
            default:
                return null;
        }
    }

    private IEnumerable<Concept> Concepts(string text, TextSegmenter segmenter)
    {
        var tokens = new List<TextToken>();
        segmenter.Segment(text, SegmentMode.Words, forQuery: true, tokens);
        var run = new List<TextToken>();
        foreach (var t in tokens)
        {
            var single = t.Kind == TokenKind.Word && t.End - t.Start == 1 && !FunctionChars.Contains(t.Term);
            if (single && (run.Count == 0 || (run[^1].End == t.Start && run[^1].Position + 1 == t.Position)))
            {
                run.Add(t);
                continue;
            }
            foreach (var c in FlushRun(run)) yield return c;
            if (single) { run.Add(t); continue; }
            if (t.Kind == TokenKind.Code) yield return new CodeConcept(t.Term);
            else if (t.End - t.Start == 1) yield return new SequenceConcept(t.Term) { IsFunction = FunctionChars.Contains(t.Term) };
            else yield return new WordConcept(t.Term);
        }
        foreach (var c in FlushRun(run)) yield return c;
    }

    private static IEnumerable<Concept> FlushRun(List<TextToken> run)
    {
        if (run.Count == 0) return [];
        // Characters SmartCn could not join into words are, together, most likely one unknown word (a name).
        var text = string.Concat(run.Select(r => r.Term));
        run.Clear();
        return [new SequenceConcept(text)];
    }

    private Query? ConceptQuery(Concept c, TextSegmenter segmenter, List<HighlightTerms> highlights)
    {
        var q = new BooleanQuery(disableCoord: true);
        switch (c)
        {
            case CodeConcept code:
                AddTerm(q, ArticleFields.Title, code.Code, TitleBoost);
                AddTerm(q, ArticleFields.Body, code.Code, 1f);
                highlights.Add(new HighlightTerms(ArticleFields.Body, [code.Code], [0]));
                break;
            case WordConcept w:
                AddTerm(q, ArticleFields.Title, w.Word, TitleBoost);
                AddTerm(q, ArticleFields.Body, w.Word, 1f);
                // The same characters found inside other words: weaker evidence, still a match.
                AddSequence(q, segmenter, w.Word, 0.5f, null);
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
        if (seq.Count == 0) return;
        foreach (var (field, boost) in new[] { (ArticleFields.TitleGrams, TitleBoost), (ArticleFields.BodyGrams, 1f) })
        {
            Query part;
            if (seq.Count == 1) part = new TermQuery(new Term(field, seq[0].Term));
            else
            {
                var phrase = new PhraseQuery();
                foreach (var (term, pos) in seq) phrase.Add(new Term(field, term), pos);
                part = phrase;
            }
            part.Boost = boost * weight;
            q?.Add(part, Occur.SHOULD);
        }
        highlights?.Add(new HighlightTerms(ArticleFields.BodyGrams, seq.Select(s => s.Term).ToArray(), seq.Select(s => s.Position).ToArray()));
    }

    /// <summary>
    /// The grams that pin down <paramref name="text"/> exactly: each Han run as its chain of bigrams (a lone
    /// character as its unigram), codes as themselves, at their positions relative to the first.
    /// </summary>
    internal static List<(string Term, int Position)> SequenceTerms(TextSegmenter segmenter, string text)
    {
        var tokens = new List<TextToken>();
        segmenter.Segment(text, SegmentMode.Grams, forQuery: true, tokens);
        var result = new List<(string, int)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            switch (t.Kind)
            {
                case TokenKind.Bigram:
                case TokenKind.Code:
                    result.Add((t.Term, t.Position));
                    break;
                case TokenKind.Unigram:
                    // A unigram is needed only where no bigram starts or ends on this character.
                    var bigramHere = i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Bigram && tokens[i + 1].Position == t.Position;
                    var bigramBefore = i > 0 && tokens[i - 1].Kind == TokenKind.Bigram && tokens[i - 1].End == t.End;
                    if (!bigramHere && !bigramBefore) result.Add((t.Term, t.Position));
                    break;
            }
        }
        if (result.Count == 0) return result;
        var first = result[0].Item2;
        return result.Select(r => (r.Item1, r.Item2 - first)).ToList();
    }
}
