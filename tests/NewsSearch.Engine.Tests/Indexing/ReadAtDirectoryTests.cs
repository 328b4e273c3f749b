using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using NewsSearch.Engine.Indexing;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Indexing;

/// <summary>The index directory reads back what was written, whether segments are compound files or not.</summary>
public class ReadAtDirectoryTests
{
    [TestCase(false, TestName = "Separate files: stored fields, terms and date order read back intact")]
    [TestCase(true, TestName = "Compound files (older indexes): stored fields, terms and date order read back intact")]
    public void ReadsBackStoredFieldsTermsAndDocValues(bool compound)
    {
        using var folder = new TempFolder("readat");
        using var dir = new ReadAtDirectory(new DirectoryInfo(folder.Path));
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48))
        {
            UseCompoundFile = compound,
            MergePolicy = new TieredMergePolicy { NoCFSRatio = compound ? 1.0 : 0 },
        };
        const int count = 3000;
        using (var writer = new IndexWriter(dir, config))
        {
            for (var i = 0; i < count; i++)
            {
                // Bodies long enough to span several compressed stored-field chunks and refills.
                writer.AddDocument(new Document
                {
                    new StringField("id", $"a{i}", Field.Store.YES),
                    new TextField("body", $"word{i % 7} common " + string.Concat(Enumerable.Repeat($"filler{i} ", 50)), Field.Store.YES),
                    new NumericDocValuesField("date", (i * 7919L) % count),
                });
                if (i % 1000 == 999) writer.Commit(); // several segments
            }
        }
        Assert.That(Directory.GetFiles(folder.Path, "*.cfs"), compound ? Is.Not.Empty : Is.Empty);

        using var reader = DirectoryReader.Open(dir);
        var searcher = new IndexSearcher(reader);
        var newest = searcher.Search(new TermQuery(new Term("body", "common")), null, 5,
            new Sort(new SortField("date", SortFieldType.INT64, reverse: true)));
        var word3 = searcher.Search(new TermQuery(new Term("body", "word3")), 1);
        var expectedNewest = Enumerable.Range(0, count).OrderByDescending(i => (i * 7919L) % count).Take(5).Select(i => $"a{i}");
        Assert.Multiple(() =>
        {
            Assert.That(reader.NumDocs, Is.EqualTo(count));
            Assert.That(word3.TotalHits, Is.EqualTo(Enumerable.Range(0, count).Count(i => i % 7 == 3)));
            Assert.That(newest.ScoreDocs.Select(d => searcher.Doc(d.Doc).Get("id")), Is.EqualTo(expectedNewest));
            Assert.That(searcher.Doc(newest.ScoreDocs[0].Doc).Get("body"), Does.EndWith($"filler{expectedNewest.First()[1..]} "));
        });
    }
}
