using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>The Lucene query for a reader's query, and what to mark in snippets and titles: the words, codes and
/// character sequences it looks for, as the reader typed them.</summary>
public sealed record BuiltQuery(Query? Query, IReadOnlyList<string> Highlights)
{
    /// <summary>The reader's word or phrase each concept's clause (by reference) was built for: what explanations name.</summary>
    public IReadOnlyDictionary<Query, string> Concepts { get; init; } = new Dictionary<Query, string>();
}

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

    /// <summary>How a single character's prefix is rewritten; null for Lucene's own constant-score rewrite. The
    /// engine gives one that shares each prefix's documents between searches (<see cref="SharedPrefixRewrite"/>).</summary>
    internal MultiTermQuery.RewriteMethod? PrefixRewrite { get; init; }

    /// <summary>Weight of the proximity clause of a short query of several words (its words as one sequence).</summary>
    public const float TogetherWeight = 2f;

    /// <summary>Weight of a longer code that extends the reader's (AG600M for AG600) against the code itself.</summary>
    public const float CodeExtensionWeight = 0.5f;

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

    /// <summary>
    /// Most leaf clauses (term and phrase queries, one per field searched) one query may expand to. The longest pasted
    /// paragraph (<see cref="MaxConcepts"/> words, a title and a body term each) needs 800; a reader's query of 12
    /// concepts at most 48 plus its groups. A query past the limit is refused while it is built, so neither building
    /// nor searching a hostile query costs more than this many clauses.
    /// </summary>
    public const int MaxClauses = 1024;

    /// <summary>
    /// What a single character's prefix query counts for against <see cref="MaxClauses"/>: it expands to every gram
    /// that starts with the character and costs three to four times as much as a term or phrase query (the bench's
    /// <c>hostile</c> command prints both).
    /// </summary>
    public const int PrefixClauseWeight = 4;

    /// <summary>
    /// Builds the Lucene query. Time and memory are linear in the query's size: every node is built once.
    /// </summary>
    /// <exception cref="InvalidRequestException">The query would expand to more than <see cref="MaxClauses"/> clauses.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled.</exception>
    public BuiltQuery Build(IReadOnlyList<QueryNode> nodes, CancellationToken cancel = default) =>
        Build(nodes, SearchStop.WhenCancelled(cancel));

    /// <summary>As <see cref="Build(IReadOnlyList{QueryNode}, CancellationToken)"/>, stopping with the search it is part of.</summary>
    public BuiltQuery Build(IReadOnlyList<QueryNode> nodes, SearchStop stop)
    {
        var run = new Run(new TextSegmenter(dictionary), stop, Ranking, PrefixRewrite);
        var highlights = new List<string>();
        var query = run.BuildSequence(nodes, highlights);
        return new BuiltQuery(query, highlights.Distinct().ToList()) { Concepts = run.ConceptOf };
    }

    /// <summary>A query past <paramref name="max"/> clauses: most often a long pasted text, else many operators.</summary>
    internal static InvalidRequestException TooManyClauses(int max) => new("query",
        $"query expands to more than {max} search clauses: shorten the pasted text, or use fewer words, OR alternatives or exclusions");

    /// <summary>One build: the segmenter, the clause count so far and the caller's cancellation.</summary>
    private sealed class Run(TextSegmenter segmenter, SearchStop stop, RankingSettings ranking, MultiTermQuery.RewriteMethod? prefixRewrite)
    {
        private int _clauses;

        /// <summary>Each concept's clause (by reference) and the words it was built for.</summary>
        public Dictionary<Query, string> ConceptOf { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>Counts one more leaf clause and refuses the query past <see cref="MaxClauses"/>.</summary>
        private void Count(int weight = 1)
        {
            _clauses += weight;
            if (_clauses > MaxClauses)
                throw TooManyClauses(MaxClauses);
        }

        public Query? BuildSequence(IReadOnlyList<QueryNode> nodes, List<string> highlights)
        {
            stop.ThrowIfStopped();
            var text = new List<QueryNode>();
            var must = new List<Query>();
            var mustNot = new List<Query>();
            var optional = new List<Query>();
            foreach (var node in nodes)
            {
                if (node is TextNode or PhraseNode && node.Occurrence == Occurrence.Default)
                {
                    text.Add(node);
                    continue;
                }
                // Built once, whichever way the plain text below is read: a nested group is never built twice.
                var q = BuildNode(node, node.Occurrence != Occurrence.Excluded ? highlights : null);
                if (q is null) continue;
                (node.Occurrence switch { Occurrence.Required => must, Occurrence.Excluded => mustNot, _ => optional }).Add(q);
            }

            // A pasted paragraph (more than LongQueryConcepts concepts) ranks as a bag of its words; exact sequences
            // would only cut recall. Counting concepts only segments the text: nothing is built for the other reading.
            var pool = Pool(text, pasted: false);
            var pasted = pool.Count > LongQueryConcepts;
            if (pasted) pool = Pool(text, pasted: true);

            var result = new BooleanQuery(disableCoord: true);
            foreach (var (concept, count) in pool)
            {
                var q = ConceptQuery(concept, highlights, pasted);
                if (q is null) continue;
                // Repeated words weigh more, sublinearly (LeCaRD dev, linear → 1 + ln n: MAP 0.509 → 0.527).
                if (count > 1) q.Boost *= ranking.RepeatedWordBoost(count);
                result.Add(q, Occur.SHOULD);
            }
            var shouldCount = result.Clauses.Count;
            foreach (var q in optional) { result.Add(q, Occur.SHOULD); shouldCount++; }
            result.MinimumNumberShouldMatch = pasted && shouldCount > 10
                ? Math.Max(1, (int)Math.Ceiling(shouldCount * ranking.PastedMinimumShouldMatch))
                : MinimumShouldMatch(shouldCount);
            // Counted as one clause among the words: it re-ranks what the words match rather than widening it.
            if (pasted && ranking.PastedBigramWeight > 0 && BigramBag(text) is { } bag) result.Add(bag, Occur.SHOULD);
            if (pasted && ranking.PastedPartsWeight > 0 && PartsBag(pool) is { } parts) result.Add(parts, Occur.SHOULD);
            if (pasted && ranking.PastedPairWeight > 0 && PairsBag(text) is { } pairs) result.Add(pairs, Occur.SHOULD);
            foreach (var q in must) result.Add(q, Occur.MUST);
            foreach (var q in mustNot) result.Add(q, Occur.MUST_NOT);
            if (result.Clauses.Count == 0) return null;
            if (shouldCount == 0 && must.Count == 0) result.Add(new MatchAllDocsQuery(), Occur.MUST);
            if (pasted || pool.Count < 2 || ranking.ProximityWeight <= 0 || Together(text) is not { } together) return result;
            // Outside the words' own clause, so its phrase is checked only on the articles that already match (inside,
            // the minimum-should-match scorer walked every article holding the sequence: 44% more time on known-item).
            return new BooleanQuery(disableCoord: true) { { result, Occur.MUST }, { together, Occur.SHOULD } };
        }

        /// <summary>
        /// A pasted paragraph's character bigrams as a bag of terms on the gram fields (no positions read): a second
        /// granularity beside SmartCn's words, which credits shared sequences the two texts segment differently.
        /// Repeats weigh as repeated words do; each bigram weighs <see cref="RankingSettings.PastedBigramWeight"/>
        /// against a word's 1. Bigrams past the query's clause budget are dropped.
        /// </summary>
        private Query? BigramBag(List<QueryNode> text)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var tokens = new List<TextToken>();
            foreach (var node in text.OfType<TextNode>())
            {
                segmenter.Segment(node.Text, SegmentMode.Grams, forQuery: true, tokens);
                foreach (var t in tokens)
                    if (t.Kind == TokenKind.Bigram) counts[t.Term] = counts.GetValueOrDefault(t.Term) + 1;
            }
            return Bag(counts, ArticleFields.TitleGrams, ArticleFields.BodyGrams, ranking.PastedBigramWeight);
        }

        /// <summary>
        /// The dictionary words inside a pasted paragraph's words of three characters or more, as a bag of terms on
        /// the word fields: a finer granularity, so that an article that writes only 嫌疑人 still shares something
        /// with a paragraph's 犯罪嫌疑人. Parts that are words of the paragraph themselves are left out (already
        /// counted). A part weighs its words' repeats, each part <see cref="RankingSettings.PastedPartsWeight"/>
        /// against a word's 1. Parts past the query's clause budget are dropped.
        /// </summary>
        private Query? PartsBag(List<(Concept Concept, int Count)> pool)
        {
            var words = pool.Select(p => p.Concept).OfType<WordConcept>().Select(w => w.Word).ToHashSet(StringComparer.Ordinal);
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (concept, count) in pool)
                if (concept is WordConcept { Word.Length: >= 3 } w)
                    foreach (var part in HhmmSegmenter.Shared.PartsOf(w.Word))
                        if (!words.Contains(part)) counts[part] = counts.GetValueOrDefault(part) + count;
            return Bag(counts, ArticleFields.Title, ArticleFields.Body, ranking.PastedPartsWeight);
        }

        /// <summary>
        /// Proximity for a pasted paragraph: each two neighbouring words of the paragraph (故意 伤害) as their exact
        /// character sequence (故意伤害) on the gram fields, a bag of phrases beside the words (the ordered pairs of the
        /// sequential dependence model, Metzler and Croft 2005). A pair repeated weighs as a repeated word does; each
        /// pair weighs <see cref="RankingSettings.PastedPairWeight"/> against a word's 1. Pairs across punctuation or
        /// a function character are not made; pairs past the query's clause budget are dropped.
        /// </summary>
        private BooleanQuery? PairsBag(List<QueryNode> text)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var tokens = new List<TextToken>();
            foreach (var node in text.OfType<TextNode>())
            {
                segmenter.Segment(node.Text, SegmentMode.Words, forQuery: true, tokens);
                for (var i = 1; i < tokens.Count; i++)
                {
                    var (a, b) = (tokens[i - 1], tokens[i]);
                    if (a.End != b.Start || FunctionChars.Contains(a.Term) || FunctionChars.Contains(b.Term)) continue;
                    var pair = a.Term + b.Term;
                    counts[pair] = counts.GetValueOrDefault(pair) + 1;
                }
            }
            var bag = new BooleanQuery(disableCoord: true);
            foreach (var (pair, count) in counts)
            {
                if (_clauses + 2 > MaxClauses) break;
                var seq = SequenceTerms(segmenter, pair).Where(s => !s.Prefix).ToList();
                if (seq.Count == 0) continue;
                foreach (var (field, boost) in new[] { (ArticleFields.TitleGrams, ranking.PastedTitleBoost), (ArticleFields.BodyGrams, 1f) })
                {
                    Count();
                    var part = Sequence(seq, field);
                    part.Boost = boost * ranking.RepeatedWordBoost(count);
                    bag.Add(part, Occur.SHOULD);
                }
            }
            if (bag.Clauses.Count == 0) return null;
            bag.Boost = ranking.PastedPairWeight;
            return bag;
        }

        /// <summary>
        /// Terms (with how often the paragraph holds each) as one clause of term queries on a title field and a body
        /// field, weighted as a pasted paragraph's words are, the whole clause by <paramref name="weight"/>. Terms past
        /// the query's clause budget are dropped; null when none is left.
        /// </summary>
        private BooleanQuery? Bag(Dictionary<string, int> counts, string titleField, string bodyField, float weight)
        {
            var bag = new BooleanQuery(disableCoord: true);
            foreach (var (term, count) in counts)
            {
                if (_clauses + 2 > MaxClauses) break;
                foreach (var (field, boost) in new[] { (titleField, ranking.PastedTitleBoost), (bodyField, 1f) })
                {
                    Count();
                    bag.Add(new TermQuery(new Term(field, term)) { Boost = boost * ranking.RepeatedWordBoost(count) }, Occur.SHOULD);
                }
            }
            if (bag.Clauses.Count == 0) return null;
            bag.Boost = weight;
            return bag;
        }

        /// <summary>
        /// Proximity for a short query of several words: the reader's words as one character sequence, an optional
        /// clause, so articles that hold them together (国产大飞机) rank above those that hold them apart (国产 … 大飞机).
        /// It never changes which articles match: an article holding the whole sequence holds each word.
        /// </summary>
        private Query? Together(List<QueryNode> text)
        {
            if (text.Count == 0 || text.Any(n => n is not TextNode)) return null;
            var joined = string.Concat(text.Select(n => ((TextNode)n).Text));
            var q = new BooleanQuery(disableCoord: true);
            AddSequence(q, joined, ranking.ProximityWeight, null);
            if (q.Clauses.Count == 0) return null;
            ConceptOf[q] = joined;
            return q;
        }

        /// <summary>The distinct concepts of a sequence's plain text and phrases, with how often each occurs.</summary>
        private List<(Concept Concept, int Count)> Pool(List<QueryNode> nodes, bool pasted)
        {
            var pool = new List<(Concept Concept, int Count)>();
            var index = new Dictionary<string, int>();
            void Add(Concept c)
            {
                if (index.TryGetValue(c.Key, out var i)) pool[i] = (pool[i].Concept, pool[i].Count + 1);
                else
                {
                    index[c.Key] = pool.Count;
                    pool.Add((c, 1));
                }
            }
            foreach (var node in nodes)
            {
                stop.ThrowIfStopped();
                if (node is TextNode t)
                    foreach (var c in Concepts(t.Text, pasted)) Add(c);
                else if (node is PhraseNode p && p.Text.Trim().Length > 0)
                    Add(new SequenceConcept(p.Text));
            }
            var meaningful = pool.Where(p => !p.Concept.IsFunction).ToList();
            if (meaningful.Count > 0) pool = meaningful;
            if (pool.Count > MaxConcepts) pool = pool.OrderByDescending(p => p.Count).Take(MaxConcepts).ToList();
            return pool;
        }

        private Query? BuildNode(QueryNode node, List<string>? highlights)
        {
            stop.ThrowIfStopped();
            var sink = highlights ?? [];
            switch (node)
            {
                case TextNode t:
                {
                    // Every concept of a required or excluded word must be there.
                    var concepts = Concepts(t.Text).ToList();
                    var meaningful = concepts.Where(c => !c.IsFunction).ToList();
                    if (meaningful.Count > 0) concepts = meaningful;
                    var all = new BooleanQuery(disableCoord: true);
                    foreach (var c in concepts.DistinctBy(c => c.Key))
                        if (ConceptQuery(c, sink) is { } q) all.Add(q, Occur.MUST);
                    return all.Clauses.Count == 0 ? null : all.Clauses.Count == 1 ? all.Clauses[0].Query : all;
                }
                case PhraseNode p:
                    return ConceptQuery(new SequenceConcept(p.Text), sink);
                case AnyNode any:
                {
                    var anyQuery = new BooleanQuery(disableCoord: true);
                    foreach (var alt in any.Alternatives)
                        if (BuildNode(alt with { Occurrence = Occurrence.Required }, highlights) is { } q)
                            anyQuery.Add(q, Occur.SHOULD);
                    return anyQuery.Clauses.Count == 0 ? null : anyQuery;
                }
                case GroupNode g:
                    return BuildSequence(g.Clauses, sink);
                default:
                    return null;
            }
        }

        private IEnumerable<Concept> Concepts(string text, bool flat = false) => QueryBuilder.Concepts(text, segmenter, flat);

        private Query? ConceptQuery(Concept c, List<string> highlights, bool pasted = false)
        {
            var q = new BooleanQuery(disableCoord: true);
            switch (c)
            {
                case CodeConcept code:
                    AddTerm(q, ArticleFields.Title, code.Code, pasted ? ranking.PastedTitleBoost : TitleBoost);
                    AddTerm(q, ArticleFields.Body, code.Code, 1f);
                    if (!pasted) AddCodeExtensions(q, code.Code);
                    highlights.Add(code.Code);
                    break;
                case WordConcept w:
                    AddTerm(q, ArticleFields.Title, w.Word, pasted ? ranking.PastedTitleBoost : TitleBoost);
                    AddTerm(q, ArticleFields.Body, w.Word, 1f);
                    // The same characters found inside other words: weaker evidence, still a match.
                    if (!pasted) AddSequence(q, w.Word, 0.5f, null);
                    highlights.Add(w.Word);
                    break;
                case SequenceConcept s:
                    AddSequence(q, s.Text, 1f, highlights);
                    break;
            }
            if (q.Clauses.Count == 0) return null;
            if (pasted && ranking.PastedFieldTieBreaker < 1 && q.Clauses.Count > 1)
            {
                // The better field's match plus a share of the other's, rather than their sum.
                var fields = new DisjunctionMaxQuery(ranking.PastedFieldTieBreaker);
                foreach (var clause in q.Clauses) fields.Add(clause.Query);
                q = new BooleanQuery(disableCoord: true) { { fields, Occur.SHOULD } };
            }
            ConceptOf[q] = c switch { WordConcept word => word.Word, CodeConcept k => k.Code, SequenceConcept seq => seq.Text, _ => c.Key };
            return q;
        }

        private void AddTerm(BooleanQuery q, string field, string term, float boost)
        {
            Count();
            q.Add(new TermQuery(new Term(field, term)) { Boost = boost }, Occur.SHOULD);
        }

        /// <summary>
        /// A model number also finds the longer codes that extend it with letters (AG600 → AG600M, AG600E), never
        /// with digits (G20 is not G200): weaker evidence than the code itself. Codes without a digit (words in Latin
        /// letters) are not extended.
        /// </summary>
        private void AddCodeExtensions(BooleanQuery q, string code)
        {
            if (!code.Any(char.IsAsciiDigit) || !char.IsAsciiDigit(code[^1])) return;
            var pattern = string.Concat(code.Select(c => char.IsAsciiLetterOrDigit(c) ? c.ToString() : "\\" + c)) + "[a-z]+";
            foreach (var (field, boost) in new[] { (ArticleFields.Title, TitleBoost), (ArticleFields.Body, 1f) })
            {
                Count(PrefixClauseWeight);
                q.Add(new RegexpQuery(new Term(field, pattern)) { Boost = boost * CodeExtensionWeight }, Occur.SHOULD);
            }
        }

        /// <summary>Adds the exact-sequence query for <paramref name="text"/> on the grams fields.</summary>
        private void AddSequence(BooleanQuery q, string text, float weight, List<string>? highlights)
        {
            var seq = SequenceTerms(segmenter, text);
            if (seq.Count == 1 && seq[0].Prefix)
            {
                // A single character: the grams that start with it.
                foreach (var (field, boost) in new[] { (ArticleFields.TitleGrams, TitleBoost), (ArticleFields.BodyGrams, 1f) })
                {
                    Count(PrefixClauseWeight);
                    var prefix = new PrefixQuery(new Term(field, seq[0].Term)) { Boost = boost * weight };
                    if (prefixRewrite is not null) prefix.MultiTermRewriteMethod = prefixRewrite;
                    q.Add(prefix, Occur.SHOULD);
                }
                highlights?.Add(text);
                return;
            }
            // A lone character between codes cannot be pinned to one gram: it is left as a gap in the phrase.
            seq = seq.Where(s => !s.Prefix).ToList();
            if (seq.Count == 0) return;
            foreach (var (field, boost) in new[] { (ArticleFields.TitleGrams, TitleBoost), (ArticleFields.BodyGrams, 1f) })
            {
                Count();
                var part = Sequence(seq, field);
                part.Boost = boost * weight;
                q.Add(part, Occur.SHOULD);
            }
            highlights?.Add(text);
        }

        /// <summary>A gram sequence (no single-character prefixes) as one term or a phrase on <paramref name="field"/>.</summary>
        private static Query Sequence(List<(string Term, int Position, bool Prefix)> seq, string field)
        {
            if (seq.Count == 1) return new TermQuery(new Term(field, seq[0].Term));
            var phrase = new PhraseQuery();
            foreach (var (term, pos, _) in seq) phrase.Add(new Term(field, term), pos - seq[0].Position);
            return phrase;
        }
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
    private static IEnumerable<Concept> Concepts(string text, TextSegmenter segmenter, bool flat = false)
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
