using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Indexing;

/// <summary>A pass commits once at its end; a pass that fails or is cancelled leaves no trace in the index.</summary>
public class AllOrNothingPassTests
{
    private TestEngine _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestEngine();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private long Count(string query) => _t.Engine.Search(new SearchRequest(query)).TotalHits;

    private static string Records(string prefix, string word, int n) =>
        Jsonl.Lines(Enumerable.Range(0, n).Select(i => Jsonl.Record($"{prefix}{i}", $"{word}{i}", $"关于{word}的报道")).ToArray());

    [Test]
    public void CancelledPass_IsRolledBack_AndNothingItBufferedIsCommittedByAClose()
    {
        _t.AddSeed("a.jsonl", Records("old", "熊猫", 10));
        File.SetLastWriteTimeUtc(_t.WriteSeed("a.jsonl", Records("new", "港口", 5)), DateTime.UtcNow.AddMinutes(1));
        Assert.Throws<OperationCanceledException>(() => _t.Engine.SyncOnce(cancel: new CancellationToken(canceled: true)));
        Assert.That(Count("熊猫"), Is.EqualTo(10), "still served after the rollback");

        _t.Restart();
        Assert.Multiple(() =>
        {
            Assert.That(Count("熊猫"), Is.EqualTo(10), "closing the engine committed nothing of the cancelled pass");
            Assert.That(Count("港口"), Is.Zero);
        });

        _t.Engine.SyncOnce();
        Assert.Multiple(() =>
        {
            Assert.That(Count("熊猫"), Is.Zero);
            Assert.That(Count("港口"), Is.EqualTo(5), "the next pass does the work again");
        });
    }

    [Test]
    public void SeedsFolderThatVanishes_KeepsEveryArticle_AndSaysWhyInStats()
    {
        _t.AddSeed("a.jsonl", Records("a", "熊猫", 3));
        Directory.Delete(_t.SeedsPath, recursive: true);
        Assert.Throws<SeedsUnavailableException>(() => _t.Engine.SyncOnce());
        var stats = _t.Engine.GetStats();
        Assert.Multiple(() =>
        {
            Assert.That(stats.ArticleCount, Is.EqualTo(3));
            Assert.That(stats.Problem?.Message, Does.Contain("does not exist"));
            Assert.That(stats.Problem?.Message, Does.Not.Contain(_t.SeedsPath), "no absolute path reaches clients");
        });
    }

    [Test]
    public void SeedsFolderThatEmpties_KeepsEveryArticle_UnlessEmptyingIsAllowed()
    {
        _t.AddSeed("a.jsonl", Records("a", "熊猫", 3));
        File.Delete(Path.Combine(_t.SeedsPath, "a.jsonl"));
        Assert.Throws<SeedsUnavailableException>(() => _t.Engine.SyncOnce());
        Assert.That(_t.Engine.GetStats().ArticleCount, Is.EqualTo(3));

        using var allowing = new TestEngine(o => o.AllowEmptySeeds = true);
        allowing.AddSeed("a.jsonl", Records("a", "熊猫", 3));
        File.Delete(Path.Combine(allowing.SeedsPath, "a.jsonl"));
        allowing.Engine.SyncOnce();
        Assert.That(allowing.Engine.GetStats().ArticleCount, Is.Zero);
    }

    [Test]
    public void RebuildFromAMissingOrEmptySeedsFolder_IsRefused_AndTheLiveIndexKept()
    {
        _t.AddSeed("a.jsonl", Records("a", "熊猫", 3));
        var empty = Path.Combine(Path.GetDirectoryName(_t.SeedsPath)!, "empty-seeds");
        Directory.CreateDirectory(empty);
        foreach (var seeds in new[] { empty, empty + "-typo" })
        {
            var options = new SearchEngineOptions { SeedsPath = seeds, IndexPath = _t.Options.IndexPath };
            Assert.Throws<SeedsUnavailableException>(() =>
                NewsSearchEngine.Rebuild(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        }
        _t.Engine.SyncOnce();
        Assert.That(_t.Engine.GetStats().ArticleCount, Is.EqualTo(3));
    }

    /// <summary>Replaces the seeds folder's articles with a file that holds none that can be read.</summary>
    private static void LeaveNothingReadable(string seeds, string kind)
    {
        File.Delete(Path.Combine(seeds, "a.jsonl"));
        var path = Path.Combine(seeds, "b.jsonl");
        switch (kind)
        {
            case "fifo":
                using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path)) mkfifo.WaitForExit();
                break;
            case "empty":
                File.WriteAllText(path, "");
                break;
            default:
                File.WriteAllText(path, "not json\n{\"id\": 7}\n");
                break;
        }
    }

    [TestCase("fifo")]
    [TestCase("empty")]
    [TestCase("malformed")]
    public void SeedsFolderWhoseFilesHoldNoReadableArticle_KeepsEveryArticle_UnlessEmptyingIsAllowed(string kind)
    {
        _t.AddSeed("a.jsonl", Records("a", "熊猫", 3));
        LeaveNothingReadable(_t.SeedsPath, kind);
        Assert.Throws<SeedsUnavailableException>(() => _t.Engine.SyncOnce());
        var stats = _t.Engine.GetStats();
        Assert.Multiple(() =>
        {
            Assert.That(stats.ArticleCount, Is.EqualTo(3));
            Assert.That(stats.Problem?.Message, Does.Contain("no article could be read"));
        });

        using var allowing = new TestEngine(o => o.AllowEmptySeeds = true);
        allowing.AddSeed("a.jsonl", Records("a", "熊猫", 3));
        LeaveNothingReadable(allowing.SeedsPath, kind);
        allowing.Engine.SyncOnce();
        Assert.That(allowing.Engine.GetStats().ArticleCount, Is.Zero);
    }

    [TestCase("fifo")]
    [TestCase("empty")]
    public void RebuildFromAFolderWithNothingReadable_IsRefused_AndTheLiveIndexKept(string kind)
    {
        _t.AddSeed("a.jsonl", Records("a", "熊猫", 3));
        var unreadable = Path.Combine(Path.GetDirectoryName(_t.SeedsPath)!, "unreadable-seeds");
        Directory.CreateDirectory(unreadable);
        File.WriteAllText(Path.Combine(unreadable, "a.jsonl"), "");
        LeaveNothingReadable(unreadable, kind);
        var options = new SearchEngineOptions { SeedsPath = unreadable, IndexPath = _t.Options.IndexPath };
        var e = Assert.Throws<SeedsUnavailableException>(() =>
            NewsSearchEngine.Rebuild(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        Assert.That(e!.Message, Does.Contain("no article could be read"));
        _t.Engine.SyncOnce();
        Assert.That(_t.Engine.GetStats().ArticleCount, Is.EqualTo(3));
    }

    [Test]
    public void APassThatReplacesEveryArticleWithOthers_IsNotMistakenForAnEmptiedFolder()
    {
        _t.AddSeed("a.jsonl", Records("a", "熊猫", 3));
        File.Delete(Path.Combine(_t.SeedsPath, "a.jsonl"));
        _t.WriteSeed("b.jsonl", Records("b", "港口", 2));
        _t.Engine.SyncOnce();
        Assert.Multiple(() =>
        {
            Assert.That(Count("熊猫"), Is.Zero);
            Assert.That(Count("港口"), Is.EqualTo(2));
        });
    }

    [Test]
    public void SecondEngineOnTheSameIndexFolder_IsRefused_NamingTheHolder()
    {
        var second = new NewsSearchEngine(_t.Options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var e = Assert.Throws<IndexFolderLockedException>(second.Open)!;
        Assert.That(e.Message, Does.Contain(_t.Options.IndexPath).And.Contain($"process {Environment.ProcessId}"));
    }

    [Test]
    public void RebuildPublishedBesideAServer_NeverHidesWhatTheServerIndexedMeanwhile()
    {
        _t.AddSeed("a.jsonl", Records("a", "熊猫", 3));
        // The rebuild reads the seeds as they were before b.jsonl arrived.
        var snapshot = Path.Combine(Path.GetDirectoryName(_t.SeedsPath)!, "seeds-then");
        Directory.CreateDirectory(snapshot);
        File.Copy(Path.Combine(_t.SeedsPath, "a.jsonl"), Path.Combine(snapshot, "a.jsonl"));
        _t.AddSeed("b.jsonl", Records("b", "港口", 2));
        var rebuild = new SearchEngineOptions { SeedsPath = snapshot, IndexPath = _t.Options.IndexPath };
        NewsSearchEngine.Rebuild(rebuild, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        // A pass that cannot catch the rebuilt generation up does not switch to it.
        Assert.Throws<OperationCanceledException>(() => _t.Engine.SyncOnce(cancel: new CancellationToken(canceled: true)));
        Assert.That(Count("港口"), Is.EqualTo(2));

        var before = _t.Engine.GetStats().Generation;
        _t.Engine.SyncOnce();
        Assert.Multiple(() =>
        {
            Assert.That(_t.Engine.GetStats().Generation, Is.Not.EqualTo(before), "switched to the rebuilt generation");
            Assert.That(Count("港口"), Is.EqualTo(2));
            Assert.That(Count("熊猫"), Is.EqualTo(3));
        });
    }
}
