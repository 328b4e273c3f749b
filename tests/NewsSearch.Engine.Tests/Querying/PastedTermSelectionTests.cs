using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine.Tests.Querying;

public class PastedTermSelectionTests
{
    private const int Words = 20;
    private RAMDirectory _dir = null!;
    private DirectoryReader _reader = null!;

    // Twenty documents; word wN is in the body of documents 0..N, so the higher N, the commoner the word (lower IDF).
    [OneTimeSetUp]
    public void IndexWordsOfKnownRarity()
    {
        _dir = new RAMDirectory();
        using (var writer = new IndexWriter(_dir, new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())))
        {
            for (var d = 0; d < Words; d++)
            {
                var doc = new Document();
                for (var w = d; w < Words; w++) doc.Add(new StringField(ArticleFields.Body, "w" + w, Field.Store.NO));
                writer.AddDocument(doc);
            }
        }
        _reader = DirectoryReader.Open(_dir);
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _reader.Dispose();
        _dir.Dispose();
    }

    /// <summary>A pasted paragraph's query as the builder makes it: per word, a title term and a body term.</summary>
    private static BooleanQuery Paragraph(Func<int, float> boost)
    {
        var q = new BooleanQuery(disableCoord: true);
        for (var w = 0; w < Words; w++)
        {
            var word = new BooleanQuery(disableCoord: true)
            {
                { new TermQuery(new Term(ArticleFields.Title, "w" + w)) { Boost = 0.5f }, Occur.SHOULD },
                { new TermQuery(new Term(ArticleFields.Body, "w" + w)), Occur.SHOULD },
            };
            word.Boost = boost(w);
            q.Add(word, Occur.SHOULD);
        }
        return q;
    }

    private static IEnumerable<string> KeptWords(Query q) => ((BooleanQuery)q).Clauses
        .Select(c => ((BooleanQuery)c.Query).Clauses.Select(x => ((TermQuery)x.Query).Term.Text).First());

    [Test]
    public void PastedMaxWords_KeepsAtMostThatManyWords_TheRarestWeighedByTheirQueryWeight()
    {
        // The commonest word, repeated often enough in the query, outweighs its low IDF.
        var query = Paragraph(w => w == Words - 1 ? 200f : 1f);
        var builderClauses = query.Clauses.Select(c => c.Query).ToList();
        var selected = (BooleanQuery)PastedTermSelection.Select(_reader, query, RankingSettings.Default with { PastedMaxWords = 4 });
        Assert.Multiple(() =>
        {
            Assert.That(KeptWords(selected), Is.EqualTo(new[] { "w0", "w1", "w2", "w19" }), "in the paragraph's order");
            Assert.That(selected.MinimumNumberShouldMatch, Is.EqualTo(1), "a quarter of the four kept");
            Assert.That(selected.Clauses.All(c => builderClauses.Any(b => ReferenceEquals(b, c.Query))), Is.True,
                "each kept clause is the builder's own, so explanations still name its word");
        });
    }

    [Test]
    public void SelectedQuery_FindsWhatItsKeptWordsFind_WithTheLookedUpStatistics()
    {
        var selected = PastedTermSelection.Select(_reader, Paragraph(_ => 1f), RankingSettings.Default with { PastedMaxWords = 2 });
        var searcher = new IndexSearcher(_reader);
        var bodyOnly = new BooleanQuery(disableCoord: true)
        {
            { new TermQuery(new Term(ArticleFields.Body, "w0")), Occur.SHOULD },
            { new TermQuery(new Term(ArticleFields.Body, "w1")), Occur.SHOULD },
        };
        var got = searcher.Search(selected, 10).ScoreDocs.Select(d => d.Doc);
        var expected = searcher.Search(bodyOnly, 10).ScoreDocs.Select(d => d.Doc);
        Assert.Multiple(() =>
        {
            Assert.That(KeptWords(selected), Is.EqualTo(new[] { "w0", "w1" }));
            Assert.That(got, Is.EqualTo(expected).AsCollection);
            Assert.That(got, Is.EquivalentTo(new[] { 0, 1 }));
        });
    }

    [TestCase(1.0, 0, 100, 100)]
    [TestCase(0.5, 0, 100, 50)]
    [TestCase(1.0, 48, 100, 48)]
    [TestCase(1.0, 48, 30, 30)]
    [TestCase(0.3, 48, 100, 30)]
    [TestCase(0.01, 0, 20, 1)]
    public void KeepCount_IsTheSmallerOfTheShareAndTheCap(double share, int maxWords, int words, int kept) =>
        Assert.That(PastedTermSelection.KeepCount(words, RankingSettings.Default with { PastedKeepShare = share, PastedMaxWords = maxWords }),
            Is.EqualTo(kept));

    [Test]
    public void Applies_OnlyWhenASettingMayDropWords() => Assert.Multiple(() =>
    {
        Assert.That(PastedTermSelection.Applies(RankingSettings.Default with { PastedKeepShare = 1, PastedMaxWords = 0 }), Is.False);
        Assert.That(PastedTermSelection.Applies(RankingSettings.Default with { PastedKeepShare = 1, PastedMaxWords = 48 }), Is.True);
        Assert.That(PastedTermSelection.Applies(RankingSettings.Default with { PastedKeepShare = 0.5, PastedMaxWords = 0 }), Is.True);
        Assert.That(PastedTermSelection.Applies(RankingSettings.Default with { PastedMaxDocShare = 0.5 }), Is.True);
    });

    [Test]
    public void PastedMaxDocShare_DropsTheWordsInMoreThanThatShareOfDocuments_ButNeverTheLastOne()
    {
        // wN is in N + 1 of the 20 documents: a quarter allows w0..w4.
        var quarter = PastedTermSelection.Select(_reader, Paragraph(_ => 1f), RankingSettings.Default with { PastedMaxDocShare = 0.25 });
        var none = PastedTermSelection.Select(_reader, Paragraph(_ => 1f), RankingSettings.Default with { PastedMaxDocShare = 0.01 });
        Assert.Multiple(() =>
        {
            Assert.That(KeptWords(quarter), Is.EqualTo(new[] { "w0", "w1", "w2", "w3", "w4" }));
            Assert.That(KeptWords(none), Is.EqualTo(new[] { "w0" }), "the rarest word stays when every word is too common");
        });
    }
}
