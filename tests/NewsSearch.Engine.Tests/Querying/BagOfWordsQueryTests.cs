using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>
/// A pasted paragraph scored a window of documents at a time must find exactly what Lucene's own scorer finds, with
/// the same scores: checked on random paragraphs over an index of several segments, longer than one window, with
/// deleted documents, and with filters of both kinds (with and without random access) and of runs of documents.
/// </summary>
public class BagOfWordsQueryTests
{
    private const int Vocabulary = 80;
    /// <summary>The order a document was added in: a range of it is a run of document numbers, as a date range is.</summary>
    private const string Order = "order";
    private SegmentedIndex _index = null!;
    private DirectoryReader _reader = null!;
    private IndexSearcher _searcher = null!;

    [OneTimeSetUp]
    public void IndexRandomArticles()
    {
        var random = new Random(20261126);
        // Word n appears with probability ~ 1/(n+1): a few words in most documents, most words in few.
        string Word() => "w" + (int)Math.Min(Vocabulary - 1, Math.Floor(Math.Exp(random.NextDouble() * Math.Log(Vocabulary + 1)) - 1));
        string Text(int min, int max) => string.Join(' ', Enumerable.Range(0, random.Next(min, max)).Select(_ => Word()));

        _index = new SegmentedIndex(7_000, perSegment: 2_500, deleteEvery: 7, d => new Document
        {
            new StringField(ArticleFields.Id, "d" + d, Field.Store.YES),
            new TextField(ArticleFields.Title, Text(1, 6), Field.Store.NO),
            new TextField(ArticleFields.Body, Text(3, 60), Field.Store.NO),
            new Int32Field(Order, d, Field.Store.NO),
        }, similarity: new BM25Similarity());
        _reader = _index.Reader;
        _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
    }

    [OneTimeTearDown]
    public void Dispose() => _index.Dispose();

    /// <summary>A pasted paragraph as the query builder makes it: per word a title and a body term, weighted, some
    /// words a body term alone, at least a share of the words required.</summary>
    private static BooleanQuery Paragraph(Random random, int minWords = 13, int maxWords = 40)
    {
        var q = new BooleanQuery(disableCoord: true);
        foreach (var w in Enumerable.Range(0, random.Next(minWords, maxWords)).Select(_ => random.Next(Vocabulary)).Distinct())
        {
            var body = new TermQuery(new Term(ArticleFields.Body, "w" + w));
            if (random.Next(5) == 0)
            {
                q.Add(body, Occur.SHOULD);
                continue;
            }
            var word = new BooleanQuery(disableCoord: true)
            {
                { new TermQuery(new Term(ArticleFields.Title, "w" + w)) { Boost = 0.5f }, Occur.SHOULD },
                { body, Occur.SHOULD },
            };
            word.Boost = 1 + (float)Math.Log(random.Next(1, 4));
            q.Add(word, Occur.SHOULD);
        }
        q.MinimumNumberShouldMatch = random.Next(3) == 0 ? 0 : (int)Math.Ceiling(q.Clauses.Count * random.NextDouble() * 0.4);
        return q;
    }

    /// <summary>One concept as the query builder makes it for a word, name or quoted phrase: a word's title and body
    /// terms (not for a name) and its characters as a phrase on two fields (here the same two; a sequence of two words).</summary>
    private static BooleanQuery Sequence(Random random)
    {
        var (first, second) = (random.Next(12), random.Next(12));
        var concept = new BooleanQuery(disableCoord: true);
        if (random.Next(3) > 0)
        {
            concept.Add(new TermQuery(new Term(ArticleFields.Title, "w" + first)) { Boost = 2.5f }, Occur.SHOULD);
            concept.Add(new TermQuery(new Term(ArticleFields.Body, "w" + first)), Occur.SHOULD);
        }
        foreach (var (field, boost) in new[] { (ArticleFields.Title, 1.25f), (ArticleFields.Body, 0.5f) })
            concept.Add(new PhraseQuery { new Term(field, "w" + first), new Term(field, "w" + second) }.Boosted(boost), Occur.SHOULD);
        return new BooleanQuery(disableCoord: true) { { concept, Occur.SHOULD } };
    }

    /// <summary>A single character as the query builder makes it: the prefix of its grams in the title and in the body
    /// (here the words starting with "w1", … "w8": w1 and w10 … w19 for "w1"), rewritten to a constant score, half of
    /// them through the shared filters the engine uses.</summary>
    private static BooleanQuery SingleCharacter(Random random)
    {
        var prefix = "w" + random.Next(1, 9);
        var shared = random.Next(2) == 0 ? new SharedPrefixRewrite(16) : null;
        var concept = new BooleanQuery(disableCoord: true);
        foreach (var (field, boost) in new[] { (ArticleFields.Title, 2.5f), (ArticleFields.Body, 1f) })
        {
            var q = new PrefixQuery(new Term(field, prefix)) { Boost = boost };
            if (shared is not null) q.MultiTermRewriteMethod = shared;
            concept.Add(q, Occur.SHOULD);
        }
        return new BooleanQuery(disableCoord: true) { { concept, Occur.SHOULD } };
    }

    /// <summary>A short query of two or three words as the query builder makes it: every word required (its title and
    /// body terms and its characters as a phrase), and beside them an optional phrase of the words together that only
    /// adds to the score. A quarter of them require all words but one.</summary>
    private static BooleanQuery ShortQuery(Random random)
    {
        var words = new BooleanQuery(disableCoord: true);
        var picked = Enumerable.Range(0, random.Next(2, 4)).Select(_ => random.Next(10)).Distinct().ToList();
        foreach (var w in picked)
        {
            var concept = new BooleanQuery(disableCoord: true)
            {
                { new TermQuery(new Term(ArticleFields.Title, "w" + w)) { Boost = 2.5f }, Occur.SHOULD },
                { new TermQuery(new Term(ArticleFields.Body, "w" + w)), Occur.SHOULD },
                { new PhraseQuery { new Term(ArticleFields.Body, "w" + w), new Term(ArticleFields.Body, "w" + random.Next(4)) }.Boosted(0.5f), Occur.SHOULD },
            };
            words.Add(concept, Occur.SHOULD);
        }
        // Every word, as the builder asks of a short query; sometimes all but one, as of a longer one.
        words.MinimumNumberShouldMatch = random.Next(4) == 0 ? words.Clauses.Count - 1 : words.Clauses.Count;
        var together = new BooleanQuery(disableCoord: true);
        foreach (var (field, boost) in new[] { (ArticleFields.Title, 2.5f), (ArticleFields.Body, 1f) })
        {
            var phrase = new PhraseQuery();
            foreach (var w in picked) phrase.Add(new Term(field, "w" + w));
            together.Add(phrase.Boosted(2 * boost), Occur.SHOULD);
        }
        return new BooleanQuery(disableCoord: true) { { words, Occur.MUST }, { together, Occur.SHOULD } };
    }

    /// <summary>The same documents, each with the same score up to the order a float sum is taken in.</summary>
    internal static void AssertSameHits(Dictionary<int, float> expected, Dictionary<int, float> actual, string context)
    {
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys), context);
        foreach (var (doc, score) in expected)
            Assert.That(actual[doc], Is.EqualTo(score).Within(1e-5f * Math.Max(1f, score)), $"{context}, doc {doc}");
    }

    /// <summary>Asserts that <paramref name="query"/>, wrapped as a bag, finds Lucene's own documents and scores under
    /// <paramref name="filter"/>; returns them.</summary>
    private Dictionary<int, float> AssertWrappedFindsWhatLuceneFinds(Query query, Filter? filter, string context)
    {
        var expected = AllHits(query, filter);
        AssertSameHits(expected, AllHits(BagOfWordsQuery.TryWrap(query, filter, _searcher.Similarity)!, null), context);
        return expected;
    }

    private Dictionary<int, float> AllHits(Query query, Filter? filter)
    {
        var hits = new AllHitsCollector();
        _searcher.Search(query, filter, hits);
        return hits.Scores;
    }

    private static IEnumerable<TestCaseData> Filters()
    {
        yield return new TestCaseData(null).SetName("without a filter");
        // A cached filter answers with a bit set (random access); a query's filter only lists its documents.
        yield return new TestCaseData(new CachingWrapperFilter(new QueryWrapperFilter(new TermQuery(new Term(ArticleFields.Body, "w1")))))
            .SetName("with a filter that has random access");
        yield return new TestCaseData(new QueryWrapperFilter(new TermQuery(new Term(ArticleFields.Body, "w2"))))
            .SetName("with a filter that only lists its documents");
        // Runs of documents, some starting past a window that holds none of them: the scorer leaps to them.
        yield return new TestCaseData(new AnyOf(
                NumericRangeFilter.NewInt32Range(Order, 2_200, 2_300, true, true),
                NumericRangeFilter.NewInt32Range(Order, 4_700, 4_800, true, true),
                NumericRangeFilter.NewInt32Range(Order, 6_100, 6_400, true, false)))
            .SetName("with a filter of runs of documents, as a date range is");
    }

    /// <summary>The documents of any of several filters, as one bit set (what a date range filter gives).</summary>
    private sealed class AnyOf(params Filter[] filters) : Filter
    {
        public override DocIdSet GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs)
        {
            var bits = new FixedBitSet(context.AtomicReader.MaxDoc);
            foreach (var f in filters)
                if (f.GetDocIdSet(context, acceptDocs)?.GetIterator() is { } it) bits.Or(it);
            return bits;
        }
    }

    [TestCaseSource(nameof(Filters))]
    public void RandomParagraphs_FindTheSameDocumentsWithTheSameScores_AsLuceneItself(Filter? filter)
    {
        var random = new Random(7);
        for (var i = 0; i < 40; i++)
        {
            var paragraph = Paragraph(random);
            var bag = BagOfWordsQuery.TryWrap(paragraph, filter, _searcher.Similarity);
            Assert.That(bag, Is.Not.Null, "a paragraph of term clauses is taken");
            var expected = AllHits(paragraph, filter);
            var actual = AllHits(bag!, null);
            Assert.That(expected, Is.Not.Empty, $"paragraph {i} finds something: {paragraph}");
            AssertSameHits(expected, actual, $"paragraph {i}: {paragraph}");
        }
    }

    [TestCaseSource(nameof(Filters))]
    public void PastTheExactCount_SkippingHitsThatCannotReachThePage_LeavesThePageAsItWas_AndTheTotalALowerBound(Filter? filter)
    {
        var random = new Random(13);
        var sort = new Sort(SortField.FIELD_SCORE);
        var lowerBounds = 0;
        for (var i = 0; i < 60; i++)
        {
            // Paragraphs, single words as the builder makes them (title, body and their grams, here two fields), and
            // sequences of characters (phrases).
            var query = (i % 6) switch
            {
                0 => Paragraph(random, 1, 2), 1 => Sequence(random), 2 => ShortQuery(random), 3 => SingleCharacter(random),
                _ => Paragraph(random, 5, 40),
            };
            if (i % 6 == 0) query.MinimumNumberShouldMatch = 0;
            var bag = BagOfWordsQuery.TryWrap(query, filter, _searcher.Similarity)!;
            var count = random.Next(2) == 0 ? 10 : 50;
            var (exactTop, exactLowerBound) = TopHits.Search(_searcher, (bag, null), sort, count, int.MaxValue);
            var (prunedTop, prunedLowerBound) = TopHits.Search(_searcher, (bag, null), sort, count, exactUpTo: 100);
            var (exact, pruned) = ((Top: exactTop!, TotalIsLowerBound: exactLowerBound), (Top: prunedTop!, TotalIsLowerBound: prunedLowerBound));
            var context = $"query {i} ({count} hits): {query}";
            Assert.That(exact.TotalIsLowerBound, Is.False, context);
            Assert.That(pruned.Top.ScoreDocs.Select(d => d.Score), Is.EqualTo(exact.Top.ScoreDocs.Select(d => d.Score)).Within(1e-4f), context);
            // Same hits, except perhaps among those that tie with the last one kept.
            var last = exact.Top.ScoreDocs.Length == 0 ? 0f : exact.Top.ScoreDocs[^1].Score;
            Assert.That(pruned.Top.ScoreDocs.Where(d => d.Score > last + 1e-4f).Select(d => d.Doc),
                Is.EqualTo(exact.Top.ScoreDocs.Where(d => d.Score > last + 1e-4f).Select(d => d.Doc)), context);
            if (pruned.TotalIsLowerBound)
            {
                lowerBounds++;
                Assert.That(pruned.Top.TotalHits, Is.InRange(100, exact.Top.TotalHits), context);
            }
            else Assert.That(pruned.Top.TotalHits, Is.EqualTo(exact.Top.TotalHits), context);
        }
        Assert.That(lowerBounds, Is.GreaterThan(10), "many searches here match more than 100 documents, and skip some");
    }

    [Test]
    public void TheFirstPage_AndTheTotal_AreLucenesOwn_AndExplanationsAddUpToTheScore()
    {
        var random = new Random(11);
        for (var i = 0; i < 20; i++)
        {
            var paragraph = Paragraph(random);
            var bag = BagOfWordsQuery.TryWrap(paragraph, null, _searcher.Similarity)!;
            var expected = _searcher.Search(paragraph, 20);
            var actual = _searcher.Search(bag, 20);
            Assert.That(actual.TotalHits, Is.EqualTo(expected.TotalHits), $"paragraph {i}");
            Assert.That(actual.ScoreDocs.Select(d => d.Score), Is.EqualTo(expected.ScoreDocs.Select(d => d.Score)).Within(1e-4f), $"paragraph {i}");
            foreach (var hit in actual.ScoreDocs.Take(3))
                Assert.That(_searcher.Explain(bag, hit.Doc).Value, Is.EqualTo(hit.Score).Within(1e-4f));
        }
    }

    [Test]
    public void ASingleWordsTerms_AreScoredAsLuceneScoresThem()
    {
        var random = new Random(3);
        for (var i = 0; i < 20; i++)
        {
            var word = Paragraph(random, 1, 2);
            word.MinimumNumberShouldMatch = 1;
            AssertWrappedFindsWhatLuceneFinds(word, null, $"word {i}: {word}");
        }
    }

    [TestCaseSource(nameof(Filters))]
    public void ASequenceAsPhrasesBesideItsWordsTerms_IsScoredAsLuceneScoresIt(Filter? filter)
    {
        var random = new Random(5);
        for (var i = 0; i < 30; i++)
        {
            var sequence = Sequence(random);
            AssertWrappedFindsWhatLuceneFinds(sequence, filter, $"sequence {i}: {sequence}");
        }
    }

    [TestCaseSource(nameof(Filters))]
    public void ShortQueriesOfRequiredWords_WithAClauseThatOnlyAddsToTheScore_AreScoredAsLuceneScoresThem(Filter? filter)
    {
        var random = new Random(17);
        var together = 0;
        for (var i = 0; i < 40; i++)
        {
            var query = ShortQuery(random);
            var expected = AssertWrappedFindsWhatLuceneFinds(query, filter, $"query {i}: {query}");
            together += AllHits(((BooleanQuery)query.Clauses[1].Query), filter).Keys.Count(expected.ContainsKey);
        }
        Assert.That(together, Is.GreaterThan(0), "some hits hold the words together, and score more for it");
    }

    [TestCaseSource(nameof(Filters))]
    public void ASingleCharactersPrefixes_AreScoredAsLuceneScoresThem(Filter? filter)
    {
        var random = new Random(19);
        for (var i = 0; i < 20; i++)
        {
            var character = SingleCharacter(random);
            AssertWrappedFindsWhatLuceneFinds(character, filter, $"character {i}: {character}");
        }
    }

    [TestCaseSource(nameof(Filters))]
    public void ScoredInPieces_UpToEverHigherLimits_FindsWhatLuceneFinds(Filter? filter)
    {
        // A bulk scorer may be asked for the documents below a limit, then below a higher one, and so on (Lucene's
        // contract): limits inside a window, at a window's edge, past several windows, and to the end.
        var random = new Random(23);
        for (var i = 0; i < 40; i++)
        {
            var query = (i % 4) switch { 0 => Paragraph(random), 1 => Sequence(random), 2 => ShortQuery(random), _ => SingleCharacter(random) };
            var expected = AllHits(query, filter);
            var weight = _searcher.CreateNormalizedWeight(BagOfWordsQuery.TryWrap(query, filter, _searcher.Similarity)!);
            var hits = new AllHitsCollector();
            foreach (var leaf in _reader.Leaves)
            {
                hits.SetNextReader(leaf);
                if (weight.GetBulkScorer(leaf, true, leaf.AtomicReader.LiveDocs) is not { } bulk) continue;
                for (var (max, more) = (0, true); more && max != DocIdSetIterator.NO_MORE_DOCS;)
                {
                    max = random.Next(5) switch
                    {
                        0 => max + 1,
                        1 => max + random.Next(1, 100),
                        2 => (max / BagOfWordsQuery.Window + 1) * BagOfWordsQuery.Window + random.Next(-1, 2),
                        3 => max + random.Next(1, 5_000),
                        _ => DocIdSetIterator.NO_MORE_DOCS,
                    };
                    hits.Limit = max;
                    more = bulk.Score(hits, max);
                }
            }
            AssertSameHits(expected, hits.Scores, $"query {i}: {query}");
        }
    }

    [Test]
    public void ACancelledSearch_Stops_EvenWhenNoDocumentEverMatchesEnoughWords()
    {
        var words = Paragraph(new Random(5));
        words.MinimumNumberShouldMatch = words.Clauses.Count; // every word: nothing here holds them all
        Assume.That(AllHits(words, null), Is.Empty);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var bag = BagOfWordsQuery.TryWrap(words, null, _searcher.Similarity, SearchStop.WhenCancelled(cancel.Token))!;
        Assert.Throws<OperationCanceledException>(() => AllHits(bag, null));
    }

    [Test]
    public void OtherShapesAndSimilarities_AreLeftToLucene()
    {
        var wildcard = new BooleanQuery(disableCoord: true) { { new WildcardQuery(new Term(ArticleFields.Body, "w*1")), Occur.SHOULD } };
        var required = new BooleanQuery(disableCoord: true) { { new TermQuery(new Term(ArticleFields.Body, "w1")), Occur.MUST } };
        var withCoord = new BooleanQuery { { new TermQuery(new Term(ArticleFields.Body, "w1")), Occur.SHOULD } };
        var words = new BooleanQuery(disableCoord: true) { { new TermQuery(new Term(ArticleFields.Body, "w1")), Occur.SHOULD } };
        var twoRequired = new BooleanQuery(disableCoord: true) { { words, Occur.MUST }, { (Query)words.Clone(), Occur.MUST } };
        var excluding = new BooleanQuery(disableCoord: true) { { words, Occur.MUST }, { new TermQuery(new Term(ArticleFields.Body, "w2")), Occur.MUST_NOT } };
        var optionalRequired = new BooleanQuery(disableCoord: true) { { words, Occur.MUST }, { (Query)words.Clone(), Occur.SHOULD } };
        optionalRequired.MinimumNumberShouldMatch = 1;
        Assert.Multiple(() =>
        {
            Assert.That(BagOfWordsQuery.TryWrap(twoRequired, null, new BM25Similarity()), Is.Null);
            Assert.That(BagOfWordsQuery.TryWrap(excluding, null, new BM25Similarity()), Is.Null);
            Assert.That(BagOfWordsQuery.TryWrap(optionalRequired, null, new BM25Similarity()), Is.Null, "the optional clause would be required");
            Assert.That(BagOfWordsQuery.TryWrap(wildcard, null, new BM25Similarity()), Is.Null);
            Assert.That(BagOfWordsQuery.TryWrap(required, null, new BM25Similarity()), Is.Null);
            Assert.That(BagOfWordsQuery.TryWrap(withCoord, null, new BM25Similarity()), Is.Null);
            Assert.That(BagOfWordsQuery.TryWrap(words, null, new DefaultSimilarity()), Is.Null, "a query norm other than 1 would change the scores");
            Assert.That(BagOfWordsQuery.TryWrap(words, null, new LMDirichletSimilarity()), Is.Not.Null);
        });
    }

    internal sealed class AllHitsCollector : ICollector
    {
        private Scorer _scorer = null!;
        private int _base;
        public Dictionary<int, float> Scores { get; } = [];
        /// <summary>The segment's documents from this one on must not be collected yet.</summary>
        public int Limit { get; set; } = int.MaxValue;
        public bool AcceptsDocsOutOfOrder => false;
        public void SetScorer(Scorer scorer) => _scorer = scorer;
        public void SetNextReader(AtomicReaderContext context) => _base = context.DocBase;

        public void Collect(int doc)
        {
            Assert.That(doc, Is.LessThan(Limit), "a document at or past the limit the scorer was given");
            Scores.Add(_base + doc, _scorer.GetScore());
        }
    }
}

internal static class QueryBoosts
{
    public static Query Boosted(this Query query, float boost)
    {
        query.Boost = boost;
        return query;
    }
}
