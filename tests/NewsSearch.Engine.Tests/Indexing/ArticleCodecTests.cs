using Lucene.Net.Codecs;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Indexing;

/// <summary>
/// Segments are written with <see cref="ArticleCodec"/> (stored fields as they are, in small chunks); articles of any
/// length read back whole, and an index an earlier engine wrote (with Lucene's codec, or with stored fields compressed)
/// is still served and grows with it.
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

    [TestCase("Lucene46")]
    [TestCase(CompressedArticleCodec.CodecName)]
    public void AnIndexWrittenWithAnEarlierCodec_IsStillServed_AndLaterPassesAddSegmentsOfTheArticleCodec(string earlier)
    {
        using var t = new TestEngine();
        t.AddSeed("old.jsonl", Jsonl.Lines(Jsonl.Record("old1", "熊猫", "大熊猫" + Text(3_000, 1)), Jsonl.Record("old2", "老虎", "东北虎")));
        var generation = t.GenerationPath;
        t.Engine.Dispose();
        RewriteWithCodec(generation, earlier);
        Assert.That(CodecsOfSegments(generation), Is.All.EqualTo(earlier), "the index now looks as an older engine wrote it");

        t.Restart();
        t.AddSeed("new.jsonl", Jsonl.Lines(Jsonl.Record("new1", "熊猫基地", "熊猫基地迎来新生幼崽")));

        Assert.Multiple(() =>
        {
            Assert.That(t.Engine.GetArticle("old1").Body, Is.EqualTo("大熊猫" + Text(3_000, 1)));
            Assert.That(t.Engine.GetArticle("old2").Body, Is.EqualTo("东北虎"));
            Assert.That(t.Engine.Search(new SearchRequest("熊猫")).Hits.Select(h => h.Id), Is.EquivalentTo(new[] { "old1", "new1" }));
            Assert.That(t.Engine.GetStats().ArticleCount, Is.EqualTo(3));
            Assert.That(CodecsOfSegments(t.GenerationPath), Is.EquivalentTo(new[] { earlier, ArticleCodec.CodecName }));
        });
    }

    [Test]
    public void SegmentsOfTheArticleCodec_MergedAfterArticlesWereReplaced_ReadBackWhole()
    {
        using var t = new TestEngine();
        // Several articles to a chunk, and one (a5, b5) longer than two chunks, which Lucene reads in slices.
        string Body(string id, int version) => $"{id}版本{version}" + Text(id[1..] == "5" ? 9_000 : 100 + 60 * int.Parse(id[1..]), id[0] + version);
        t.AddSeed("a.jsonl", Jsonl.Lines(Enumerable.Range(0, 12).Select(i => Jsonl.Record($"a{i}", $"甲{i}", Body($"a{i}", 1))).ToArray()));
        t.AddSeed("b.jsonl", Jsonl.Lines(Enumerable.Range(0, 12).Select(i => Jsonl.Record($"b{i}", $"乙{i}", Body($"b{i}", 1))).ToArray()));
        // Rewriting a.jsonl deletes its articles' documents and adds new ones: the merge below drops documents from
        // the middle of chunks and copies the rest.
        t.AddSeed("a.jsonl", Jsonl.Lines(Enumerable.Range(0, 12).Select(i => Jsonl.Record($"a{i}", $"甲{i}", Body($"a{i}", i % 3 == 0 ? 2 : 1))).ToArray()));
        var generation = t.GenerationPath;
        t.Engine.Dispose();
        Assert.That(CodecsOfSegments(generation), Has.Count.GreaterThan(1), "several segments to merge");
        MergeIntoOneSegment(generation);
        t.Restart();

        Assert.Multiple(() =>
        {
            Assert.That(CodecsOfSegments(t.GenerationPath), Is.EqualTo(new[] { ArticleCodec.CodecName }));
            for (var i = 0; i < 12; i++)
            {
                Assert.That(t.Engine.GetArticle($"a{i}").Body, Is.EqualTo(Body($"a{i}", i % 3 == 0 ? 2 : 1)), $"a{i}");
                Assert.That(t.Engine.GetArticle($"b{i}").Body, Is.EqualTo(Body($"b{i}", 1)), $"b{i}");
            }
            Assert.That(t.Engine.GetStats().ArticleCount, Is.EqualTo(24));
        });
    }

    /// <summary>Merges a generation's segments into one with the engine's codec, keeping its commit data.</summary>
    private static void MergeIntoOneSegment(string generation)
    {
        ArticleCodec.Register();
        using var directory = FSDirectory.Open(generation);
        IDictionary<string, string> userData;
        using (var reader = DirectoryReader.Open(directory)) userData = reader.IndexCommit.UserData;
        using var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new ChineseAnalyzer(UserDictionary.Of()))
            { UseCompoundFile = false, Codec = new ArticleCodec() });
        writer.ForceMerge(1);
        writer.SetCommitData(userData);
        writer.Commit();
    }

    /// <summary>Rewrites a generation's documents and commit data with the codec named <paramref name="codec"/>, in place.</summary>
    private static void RewriteWithCodec(string generation, string codec)
    {
        ArticleCodec.Register();
        using var scratch = new TempFolder("codec");
        using (var source = FSDirectory.Open(generation))
        using (var reader = DirectoryReader.Open(source))
        using (var target = FSDirectory.Open(scratch.Path))
        using (var writer = new IndexWriter(target, new IndexWriterConfig(LuceneVersion.LUCENE_48, new ChineseAnalyzer(UserDictionary.Of()))
               { UseCompoundFile = false, MergePolicy = new TieredMergePolicy { NoCFSRatio = 0 }, Codec = Codec.ForName(codec) }))
        {
            Assert.That(writer.Config.Codec.Name, Is.EqualTo(codec));
            writer.AddIndexes(reader);
            writer.SetCommitData(reader.IndexCommit.UserData);
            writer.Commit();
        }
        foreach (var file in System.IO.Directory.GetFiles(generation)) File.Delete(file);
        foreach (var file in System.IO.Directory.GetFiles(scratch.Path)) File.Copy(file, Path.Combine(generation, Path.GetFileName(file)));
    }
}
