using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Indexing;

public class SeedFollowingTests
{
    private TestEngine _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestEngine();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private long Count(string query) => _t.Engine.Search(new SearchRequest(query)).TotalHits;

    [Test]
    public void SameFileIngestedTwice_UpdatesInsteadOfDuplicating()
    {
        _t.AddSeed("a.jsonl", Jsonl.Lines(Jsonl.Record("x", "旧标题", "熊猫")));
        File.SetLastWriteTimeUtc(_t.WriteSeed("a.jsonl", Jsonl.Lines(Jsonl.Record("x", "新标题", "熊猫"))), DateTime.UtcNow.AddSeconds(5));
        _t.Engine.SyncOnce();
        Assert.Multiple(() =>
        {
            Assert.That(Count("熊猫"), Is.EqualTo(1));
            Assert.That(_t.Engine.GetArticle("x").Title, Is.EqualTo("新标题"));
        });
    }

    [Test]
    public void RemovedFile_TakesItsArticlesOutOfTheIndex()
    {
        _t.AddSeed("a.jsonl", Jsonl.Lines(Jsonl.Record("x", "熊猫", "大熊猫")));
        _t.AddSeed("b.txt", "熊猫基地\n成都大熊猫繁育研究基地迎来新生幼崽。");
        File.Delete(Path.Combine(_t.SeedsPath, "a.jsonl"));
        _t.Engine.SyncOnce();
        Assert.That(_t.Engine.Search(new SearchRequest("熊猫")).Hits.Select(h => h.Id), Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public void Restart_WithNothingChanged_IndexesNothing()
    {
        _t.AddSeed("a.jsonl", Jsonl.Lines(Jsonl.Record("x", "熊猫", "大熊猫")));
        _t.Restart();
        Assert.Multiple(() =>
        {
            Assert.That(_t.Engine.SeedsChanged(), Is.False);
            Assert.That(_t.Engine.SyncOnce(), Is.Null);
            Assert.That(Count("熊猫"), Is.EqualTo(1));
        });
    }

    [Test]
    public void Restart_AfterSeedsChangedWhileDown_CatchesUp()
    {
        _t.AddSeed("a.jsonl", Jsonl.Lines(Jsonl.Record("x", "熊猫", "大熊猫")));
        _t.Engine.Dispose();
        _t.WriteSeed("b.jsonl", Jsonl.Lines(Jsonl.Record("y", "熊猫二", "小熊猫")));
        _t.Restart();
        Assert.That(_t.Engine.SeedsChanged(), Is.True);
        _t.Engine.SyncOnce();
        Assert.That(Count("熊猫"), Is.EqualTo(2));
    }

    [Test]
    public void MalformedInputs_AreCountedInStatsWithTheirReasons()
    {
        _t.AddSeed("a.jsonl", Jsonl.Lines(Jsonl.Record("x", "熊猫", "大熊猫"), "{oops"));
        _t.AddSeed("empty.txt", "\n");
        var stats = _t.Engine.GetStats();
        Assert.Multiple(() =>
        {
            Assert.That(stats.ArticleCount, Is.EqualTo(1));
            Assert.That(stats.InputsSkipped, Is.EqualTo(2));
            Assert.That(stats.SkippedExamples.Select(s => s.ToString()), Has.Some.StartWith("a.jsonl:2: invalid JSON"));
            Assert.That(stats.SkippedExamples.Select(s => s.ToString()), Has.Some.EqualTo("empty.txt: page holds no article text"));
            Assert.That(stats.IndexSizeBytes, Is.GreaterThan(0));
            Assert.That(stats.LastIndexedAt, Is.Not.Null);
        });
    }

    [Test]
    public void Rebuild_SwitchesARunningEngineToTheNewGeneration()
    {
        _t.AddSeed("a.jsonl", Jsonl.Lines(Jsonl.Record("x", "熊猫", "大熊猫")));
        var before = _t.Engine.GetStats().Generation;
        NewsSearchEngine.Rebuild(_t.Options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        Assert.That(Count("熊猫"), Is.EqualTo(1), "still answers from the old generation");
        _t.Engine.SyncOnce();
        Assert.Multiple(() =>
        {
            Assert.That(_t.Engine.GetStats().Generation, Is.Not.EqualTo(before));
            Assert.That(Count("熊猫"), Is.EqualTo(1));
            Assert.That(Directory.Exists(Path.Combine(_t.Options.IndexPath, before)), Is.False, "old generation removed");
        });
    }

    [Test]
    public void IndexOfAnOlderSchema_IsReadAgainFromTheSeeds()
    {
        _t.AddSeed("a.jsonl", Jsonl.Lines(Jsonl.Record("x", "熊猫", "大熊猫"), Jsonl.Record("y", "老虎", "东北虎")));
        var generation = _t.Engine.GetStats().Generation;
        _t.Engine.Dispose();
        // Make the committed state look as if an older engine had written it.
        var location = new NewsSearch.Engine.Indexing.IndexLocation(_t.Options.IndexPath);
        using (var g = NewsSearch.Engine.Indexing.IndexGeneration.Open(generation, location.PathOf(generation),
                   new NewsSearch.Engine.Analysis.ChineseAnalyzer(NewsSearch.Engine.Analysis.UserDictionary.Of()),
                   new Lucene.Net.Search.Similarities.BM25Similarity()))
        {
            g.Commit(new NewsSearch.Engine.Indexing.IndexState { Files = g.State.Files, Schema = 1 });
        }

        _t.Restart();
        Assert.That(_t.Engine.SeedsChanged(), Is.True, "an older schema counts as a change");
        var result = _t.Engine.SyncOnce();
        Assert.Multiple(() =>
        {
            Assert.That(result?.ArticlesIndexed, Is.EqualTo(2));
            Assert.That(_t.Engine.GetStats().ArticleCount, Is.EqualTo(2));
            Assert.That(Count("虎"), Is.EqualTo(1));
            Assert.That(_t.Engine.SeedsChanged(), Is.False);
        });
    }
}
