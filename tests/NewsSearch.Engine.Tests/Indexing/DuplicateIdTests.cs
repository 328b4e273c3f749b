using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Indexing;

/// <summary>The duplicate rule: the copy in the file whose path sorts first is served, then the first line.</summary>
public class DuplicateIdTests
{
    private TestEngine _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestEngine();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private static string One(string id, string title) => Jsonl.Lines(Jsonl.Record(id, title, "同一篇新闻的正文"));

    [Test]
    public void SameIdInTwoFiles_ServesTheCopyFromThePathThatSortsFirst_WhicheverArrivedFirst()
    {
        _t.AddSeed("b.jsonl", One("x", "来自b"));
        _t.AddSeed("a.jsonl", One("x", "来自a"));
        Assert.Multiple(() =>
        {
            Assert.That(_t.Engine.GetArticle("x").Title, Is.EqualTo("来自a"));
            Assert.That(_t.Engine.GetStats().ArticleCount, Is.EqualTo(1));
            Assert.That(_t.Engine.GetStats().DuplicateCopies, Is.EqualTo(1));
        });
    }

    [Test]
    public void RemovingTheFileThatServedAnId_ServesTheOtherCopy()
    {
        _t.WriteSeed("a.jsonl", One("x", "来自a"));
        _t.WriteSeed("b.jsonl", One("x", "来自b"));
        _t.Engine.SyncOnce();
        File.Delete(Path.Combine(_t.SeedsPath, "a.jsonl"));
        _t.Engine.SyncOnce();
        Assert.Multiple(() =>
        {
            Assert.That(_t.Engine.GetArticle("x").Title, Is.EqualTo("来自b"));
            Assert.That(_t.Engine.GetStats().DuplicateCopies, Is.Zero);
        });
    }

    [Test]
    public void RemovingTheShadowedCopy_KeepsServingTheWinner()
    {
        _t.WriteSeed("a.jsonl", One("x", "来自a"));
        _t.WriteSeed("b.jsonl", One("x", "来自b"));
        _t.Engine.SyncOnce();
        File.Delete(Path.Combine(_t.SeedsPath, "b.jsonl"));
        _t.Engine.SyncOnce();
        Assert.Multiple(() =>
        {
            Assert.That(_t.Engine.GetArticle("x").Title, Is.EqualTo("来自a"));
            Assert.That(_t.Engine.GetStats().DuplicateCopies, Is.Zero);
        });
    }

    [Test]
    public void ChangingTheWinnerSoItNoLongerHoldsTheId_ServesTheOtherCopy_AcrossARestart()
    {
        _t.WriteSeed("a.jsonl", One("x", "来自a"));
        _t.WriteSeed("b.jsonl", One("x", "来自b"));
        _t.Engine.SyncOnce();
        _t.Restart();
        File.SetLastWriteTimeUtc(_t.WriteSeed("a.jsonl", One("y", "另一篇")), DateTime.UtcNow.AddMinutes(1));
        _t.Engine.SyncOnce();
        Assert.Multiple(() =>
        {
            Assert.That(_t.Engine.GetArticle("x").Title, Is.EqualTo("来自b"));
            Assert.That(_t.Engine.GetArticle("y").Title, Is.EqualTo("另一篇"));
        });
    }

    [Test]
    public void SameIdTwiceInOneFile_ServesTheFirstLine()
    {
        _t.AddSeed("a.jsonl", Jsonl.Lines(
            Jsonl.Record("x", "第一行", "正文"), Jsonl.Record("y", "别的", "正文"), Jsonl.Record("x", "第三行", "正文")));
        Assert.Multiple(() =>
        {
            Assert.That(_t.Engine.GetArticle("x").Title, Is.EqualTo("第一行"));
            Assert.That(_t.Engine.GetStats().ArticleCount, Is.EqualTo(2));
            Assert.That(_t.Engine.GetStats().DuplicateCopies, Is.EqualTo(1));
        });
    }

    [Test]
    public void AFileCopiedBesideItself_ServesEachArticleOnce_AndRemovingTheOriginalKeepsThemAll()
    {
        var records = Jsonl.Lines(Enumerable.Range(0, 50).Select(i => Jsonl.Record($"n{i}", $"新闻{i}", "港口吞吐量")).ToArray());
        _t.AddSeed("2025/exports.jsonl", records);
        _t.AddSeed("2025/exports-backup.jsonl", records);
        Assert.That(_t.Engine.Search(new SearchRequest("港口")).TotalHits, Is.EqualTo(50));
        File.Delete(Path.Combine(_t.SeedsPath, "2025/exports-backup.jsonl"));
        _t.Engine.SyncOnce();
        File.Delete(Path.Combine(_t.SeedsPath, "2025/exports.jsonl"));
        _t.WriteSeed("2025/exports-backup.jsonl", records);
        _t.Engine.SyncOnce();
        Assert.Multiple(() =>
        {
            Assert.That(_t.Engine.Search(new SearchRequest("港口")).TotalHits, Is.EqualTo(50));
            Assert.That(_t.Engine.GetArticle("n7").SourcePath, Is.EqualTo("2025/exports-backup.jsonl"));
        });
    }
}
