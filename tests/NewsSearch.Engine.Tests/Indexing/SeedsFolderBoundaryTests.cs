using System.Diagnostics;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Indexing;

/// <summary>Only regular files inside the seeds folder are read; links and special files cannot stall or leak.</summary>
public class SeedsFolderBoundaryTests
{
    private TestEngine _t = null!;

    [SetUp]
    public void SetUp()
    {
        Assume.That(OperatingSystem.IsLinux(), "links and FIFOs as Linux has them");
        _t = new TestEngine();
    }

    [TearDown]
    public void TearDown() => _t?.Dispose();

    private long Count(string query) => _t.Engine.Search(new SearchRequest(query)).TotalHits;

    private string Seed(string relative) => Path.Combine(_t.SeedsPath, relative);

    [Test]
    public void LinkToAFileOutsideTheSeedsFolder_IsNotRead_AndIsReportedAsSkipped()
    {
        using var outside = new TempFolder("outside");
        var secret = outside.Write("secret.txt", "机密文件\n这份文件不应该被索引,因为它在种子目录之外。");
        File.CreateSymbolicLink(Seed("leak.txt"), secret);
        File.CreateSymbolicLink(Seed("passwd.txt"), "/etc/passwd");
        _t.AddSeed("good.jsonl", Jsonl.Lines(Jsonl.Record("g", "熊猫", "大熊猫")));
        var stats = _t.Engine.GetStats();
        Assert.Multiple(() =>
        {
            Assert.That(Count("机密"), Is.Zero);
            Assert.That(Count("root"), Is.Zero);
            Assert.That(Count("熊猫"), Is.EqualTo(1));
            Assert.That(stats.SkippedExamples.Select(s => (s.Path, s.Reason)), Has.Some.Matches<(string Path, string Reason)>(
                s => s.Path == "leak.txt" && s.Reason.Contains("outside the seeds folder")));
            Assert.That(stats.SkippedExamples.Select(s => s.Path), Does.Contain("passwd.txt"));
        });
    }

    [Test]
    public void LinkToAFileInsideTheSeedsFolder_IsFollowed()
    {
        _t.WriteSeed("real/a.txt", "熊猫新闻\n成都大熊猫繁育研究基地迎来新生幼崽。");
        File.CreateSymbolicLink(Seed("alias.txt"), Seed("real/a.txt"));
        _t.Engine.SyncOnce();
        // The same text twice: near-duplicates, which a default search collapses.
        Assert.That(_t.Engine.Search(new SearchRequest("熊猫") { Collapse = false }).Hits.Select(h => h.Id), Is.EquivalentTo(new[] { "real/a", "alias" }));
    }

    [Test]
    public void LinkLoopOfFolders_IsHarmless_AndRemovingItLosesNothing()
    {
        _t.WriteSeed("sub/a.jsonl", Jsonl.Lines(Jsonl.Record("a", "熊猫", "大熊猫")));
        Directory.CreateSymbolicLink(Seed("sub/up"), "..");
        Directory.CreateSymbolicLink(Seed("self"), _t.SeedsPath);
        _t.Engine.SyncOnce();
        Assert.That(Count("熊猫"), Is.EqualTo(1), "links to folders are not followed, so nothing is read twice");
        Directory.Delete(Seed("sub/up"));
        Directory.Delete(Seed("self"));
        _t.Engine.SyncOnce();
        Assert.That(Count("熊猫"), Is.EqualTo(1));
    }

    [Test]
    public void FifoNamedLikeAnArticle_IsSkipped_AndTheRestIndexed()
    {
        using (var mkfifo = Process.Start("mkfifo", Seed("f.txt"))) mkfifo.WaitForExit();
        Assume.That(File.Exists(Seed("f.txt")), "mkfifo made the FIFO");
        _t.WriteSeed("g.jsonl", Jsonl.Lines(Jsonl.Record("g", "熊猫", "大熊猫")));
        var pass = Task.Run(() => _t.Engine.SyncOnce());
        // Opening a FIFO for reading used to block until a writer came: the pass never ended.
        Assert.That(pass.Wait(TimeSpan.FromSeconds(60)), Is.True, "the pass ended");
        Assert.Multiple(() =>
        {
            Assert.That(Count("熊猫"), Is.EqualTo(1));
            Assert.That(_t.Engine.GetStats().SkippedExamples.Single(s => s.Path == "f.txt").Reason, Does.Contain("not a regular file"));
        });
    }

    [Test]
    public void ArticleFileThatIsAFolder_IsWalkedLikeAnyFolder()
    {
        _t.WriteSeed("odd.jsonl/inner.jsonl", Jsonl.Lines(Jsonl.Record("i", "熊猫", "大熊猫")));
        _t.Engine.SyncOnce();
        Assert.That(Count("熊猫"), Is.EqualTo(1));
    }
}
