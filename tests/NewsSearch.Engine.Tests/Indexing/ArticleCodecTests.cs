using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Indexing;

/// <summary>
/// Segments are written with <see cref="ArticleCodec"/> (stored fields in small chunks); articles of any length read
/// back whole, and an index written before the codec existed is still served and grows with it.
/// </summary>
public class ArticleCodecTests
{
    /// <summary>Text of <paramref name="length"/> characters that differs along its whole length.</summary>
    private static string Text(int length, int seed) =>
        string.Concat(Enumerable.Range(0, length).Select(i => (char)('一' + (i * 31 + seed * 7) % 2000)));

    private static List<string> CodecsOfSegments(string generationPath) =>
        TestEngine.CommittedSegments(generationPath).Segments.Select(s => s.Info.Codec.Name).ToList();

    [Test]
    public void ArticlesShorterAndLongerThanAChunk_ReadBackWhole_FromSegmentsOfTheArticleCodec()
    {
        using var t = new TestEngine();
        var lengths = new[] { 1, 300, ArticleCodec.StoredFieldChunkBytes / 3, ArticleCodec.StoredFieldChunkBytes, 5_000, 20_000, 80 };
        t.AddSeed("a.jsonl", Jsonl.Lines(lengths.Select((n, i) => Jsonl.Record($"a{i}", $"标题{i}", Text(n, i))).ToArray()));

        Assert.Multiple(() =>
        {
            for (var i = 0; i < lengths.Length; i++)
            {
                var article = t.Engine.GetArticle($"a{i}");
                Assert.That(article.Body, Is.EqualTo(Text(lengths[i], i)), $"article a{i} of {lengths[i]} characters");
                Assert.That(article.Title, Is.EqualTo($"标题{i}"));
            }
            Assert.That(CodecsOfSegments(t.GenerationPath), Is.Not.Empty.And.All.EqualTo(ArticleCodec.CodecName));
        });
    }

    [Test]
    public void AnIndexWrittenWithLucenesDefaultCodec_IsStillServed_AndLaterPassesAddSegmentsOfTheArticleCodec()
    {
        using var t = new TestEngine();
        t.AddSeed("old.jsonl", Jsonl.Lines(Jsonl.Record("old1", "熊猫", "大熊猫" + Text(3_000, 1)), Jsonl.Record("old2", "老虎", "东北虎")));
        var generation = t.GenerationPath;
        t.Engine.Dispose();
        RewriteWithDefaultCodec(generation);
        Assert.That(CodecsOfSegments(generation), Is.All.EqualTo("Lucene46"), "the index now looks as an older engine wrote it");

        t.Restart();
        t.AddSeed("new.jsonl", Jsonl.Lines(Jsonl.Record("new1", "熊猫基地", "熊猫基地迎来新生幼崽")));

        Assert.Multiple(() =>
        {
            Assert.That(t.Engine.GetArticle("old1").Body, Is.EqualTo("大熊猫" + Text(3_000, 1)));
            Assert.That(t.Engine.Search(new SearchRequest("熊猫")).Hits.Select(h => h.Id), Is.EquivalentTo(new[] { "old1", "new1" }));
            Assert.That(t.Engine.GetStats().ArticleCount, Is.EqualTo(3));
            Assert.That(CodecsOfSegments(t.GenerationPath), Is.EquivalentTo(new[] { "Lucene46", ArticleCodec.CodecName }));
        });
    }

    /// <summary>Rewrites a generation's documents and commit data with Lucene's default codec, in place.</summary>
    private static void RewriteWithDefaultCodec(string generation)
    {
        using var scratch = new TempFolder("codec");
        using (var source = FSDirectory.Open(generation))
        using (var reader = DirectoryReader.Open(source))
        using (var target = FSDirectory.Open(scratch.Path))
        using (var writer = new IndexWriter(target, new IndexWriterConfig(LuceneVersion.LUCENE_48, new ChineseAnalyzer(UserDictionary.Of()))
               { UseCompoundFile = false, MergePolicy = new TieredMergePolicy { NoCFSRatio = 0 } }))
        {
            Assert.That(writer.Config.Codec.Name, Is.EqualTo("Lucene46"));
            writer.AddIndexes(reader);
            writer.SetCommitData(reader.IndexCommit.UserData);
            writer.Commit();
        }
        foreach (var file in System.IO.Directory.GetFiles(generation)) File.Delete(file);
        foreach (var file in System.IO.Directory.GetFiles(scratch.Path)) File.Copy(file, Path.Combine(generation, Path.GetFileName(file)));
    }
}
