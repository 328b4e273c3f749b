using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>A single character's prefix over a shared, per-segment cached filter scores as Lucene's own rewrite does.</summary>
public class SharedPrefixRewriteTests
{
    private static RAMDirectory Index(int docs, out IndexWriter writer)
    {
        var dir = new RAMDirectory();
        writer = new IndexWriter(dir, new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48)));
        var random = new Random(9);
        for (var d = 0; d < docs; d++)
        {
            writer.AddDocument(new Document
            {
                new StringField("id", "d" + d, Field.Store.YES),
                new TextField("body", string.Join(' ', Enumerable.Range(0, random.Next(1, 8)).Select(_ => "w" + random.Next(40))), Field.Store.NO),
            });
            if (d % 700 == 699) writer.Commit();
        }
        writer.Commit();
        return dir;
    }

    private static Dictionary<int, float> Hits(IndexSearcher searcher, Query query)
    {
        var top = searcher.Search(query, int.MaxValue / 2);
        return top.ScoreDocs.ToDictionary(d => d.Doc, d => d.Score);
    }

    private static PrefixQuery Prefix(string text, MultiTermQuery.RewriteMethod rewrite) =>
        new(new Term("body", text)) { Boost = 2.5f, MultiTermRewriteMethod = rewrite };

    [Test]
    public void APrefix_FindsWhatLucenesOwnRewriteFinds_WithTheSameScores_AfterDeletionsToo()
    {
        var shared = new SharedPrefixRewrite(16);
        using var dir = Index(2_000, out var writer);
        using (writer)
        {
            foreach (var text in new[] { "w1", "w3", "w", "x" })
            {
                using (var reader = DirectoryReader.Open(dir))
                {
                    var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
                    var expected = Hits(searcher, Prefix(text, MultiTermQuery.CONSTANT_SCORE_AUTO_REWRITE_DEFAULT));
                    Assert.That(Hits(searcher, Prefix(text, shared)), Is.EqualTo(expected), text);
                }
                // The filter's sets are now kept for these segments: deleting must still hide the documents.
                writer.DeleteDocuments(new Term("id", "d" + text.Length * 7));
                writer.DeleteDocuments(new Term("id", "d" + (100 + text.Length)));
                writer.Commit();
                using (var reader = DirectoryReader.Open(dir))
                {
                    var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
                    var expected = Hits(searcher, Prefix(text, MultiTermQuery.CONSTANT_SCORE_AUTO_REWRITE_DEFAULT));
                    Assert.That(Hits(searcher, Prefix(text, shared)), Is.EqualTo(expected), text + " after deletions");
                }
            }
        }
    }

    [Test]
    public void TheFiltersOfTheLastPrefixesUsed_AreKept_AndOlderOnesLetGo()
    {
        var shared = new SharedPrefixRewrite(8);
        var first = shared.FilterOf(new Term("body_g", "甲"));
        for (var i = 0; i < 7; i++) shared.FilterOf(new Term("body_g", "x" + i));
        Assert.That(shared.FilterOf(new Term("body_g", "甲")), Is.SameAs(first), "kept while among the last 8");
        for (var i = 0; i < 8; i++) shared.FilterOf(new Term("body_g", "y" + i));
        Assert.That(shared.FilterOf(new Term("body_g", "甲")), Is.Not.SameAs(first), "let go after 8 others");
    }
}
