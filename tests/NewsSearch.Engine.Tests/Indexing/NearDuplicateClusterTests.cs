using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Indexing;

/// <summary>Cluster keys given at index time: a reprint joins the cluster of the article it reprints.</summary>
public class NearDuplicateClusterTests
{
    private TestEngine _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestEngine();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private static string Original(string id = "a") => Jsonl.Record(id, Reprints.Title, Reprints.Body);
    private static string Reprint(string id = "b") => Jsonl.Record(id, Reprints.ReprintTitle, Reprints.ReprintBody);
    private static string Other(string id = "c") => Jsonl.Record(id, Reprints.OtherTitle, Reprints.OtherBody);

    [Test]
    public void AReprintLaterInTheSameFile_TakesTheEarlierArticlesKey()
    {
        _t.AddSeed("news.jsonl", Jsonl.Lines(Original(), Other(), Reprint()));
        Assert.Multiple(() =>
        {
            Assert.That(_t.Engine.ClusterKeyOf("a"), Is.EqualTo("a"));
            Assert.That(_t.Engine.ClusterKeyOf("b"), Is.EqualTo("a"));
            Assert.That(_t.Engine.ClusterKeyOf("c"), Is.EqualTo("c"));
        });
    }

    [Test]
    public void AReprintIndexedInALaterPass_TakesTheIndexedArticlesKey()
    {
        _t.AddSeed("1.jsonl", Jsonl.Lines(Original(), Other()));
        _t.AddSeed("2.jsonl", Jsonl.Lines(Reprint()));
        Assert.That(_t.Engine.ClusterKeyOf("b"), Is.EqualTo("a"));
    }

    [Test]
    public void AReprintPublishedWithinAMonth_JoinsTheCluster_ButTheSameTextTwoMonthsLater_DoesNot()
    {
        _t.AddSeed("news.jsonl", Jsonl.Lines(
            Jsonl.Record("a", Reprints.Title, Reprints.Body, "2023-05-28"),
            Jsonl.Record("b", Reprints.ReprintTitle, Reprints.ReprintBody, "2023-06-20"),
            Jsonl.Record("y", Reprints.Title, Reprints.Body, "2023-08-01")));
        Assert.Multiple(() =>
        {
            Assert.That(_t.Engine.ClusterKeyOf("b"), Is.EqualTo("a"));
            Assert.That(_t.Engine.ClusterKeyOf("y"), Is.EqualTo("y"));
        });
    }

    [Test]
    public void AReprintOfAReprint_JoinsTheSameCluster()
    {
        _t.AddSeed("1.jsonl", Jsonl.Lines(Original()));
        _t.AddSeed("2.jsonl", Jsonl.Lines(Reprint()));
        _t.AddSeed("3.jsonl", Jsonl.Lines(Jsonl.Record("d", "转载", Reprints.ReprintBody + "\n（来源：新华网）")));
        Assert.That(_t.Engine.ClusterKeyOf("d"), Is.EqualTo("a"));
    }

    [Test]
    public void RemovingTheFirstArticleOfACluster_LeavesItsKeyAsTheLabelOfTheRest()
    {
        _t.AddSeed("1.jsonl", Jsonl.Lines(Original()));
        _t.AddSeed("2.jsonl", Jsonl.Lines(Reprint()));
        File.Delete(Path.Combine(_t.SeedsPath, "1.jsonl"));
        _t.Engine.SyncOnce();
        _t.AddSeed("3.jsonl", Jsonl.Lines(Original("e")));
        Assert.Multiple(() =>
        {
            Assert.That(_t.Engine.ClusterKeyOf("b"), Is.EqualTo("a"));
            Assert.That(_t.Engine.ClusterKeyOf("e"), Is.EqualTo("a"), "a new copy finds the cluster through the copy that stayed");
        });
    }

    [Test]
    public void ACollapsedSearch_JoinsAClusterAcrossSegments_AndKeepsArticlesOfOtherClustersApart()
    {
        // Two passes, two segments or more: each numbers its own cluster keys from 0, so m (first segment) and n (a
        // later one) can have the same ordinal there, and a and its reprint b share a key but not necessarily an ordinal.
        _t.AddSeed("1.jsonl", Jsonl.Lines(Original("a"), Other("m")));
        _t.AddSeed("2.jsonl", Jsonl.Lines(Reprint("b"),
            Jsonl.Record("n", "C919机组完成培训", "首批C919飞行员今天在上海完成全部模拟机课程，将于下月开始执飞航班。")));
        Assert.That(TestEngine.CommittedSegments(_t.GenerationPath).Count, Is.GreaterThanOrEqualTo(2));

        var result = _t.Engine.Search(new SearchRequest("C919"));
        var story = result.Hits.Single(h => h.Id is "a" or "b");
        Assert.Multiple(() =>
        {
            Assert.That(result.Hits.Select(h => h.Id).ToList(), Has.Count.EqualTo(3).And.Contains("m").And.Contains("n"));
            Assert.That(story.CollapsedIds, Is.EqualTo(new[] { story.Id == "a" ? "b" : "a" }));
            Assert.That(result.TotalClusters, Is.EqualTo(3));
        });
    }

    [Test]
    public void ClusterKeys_SurviveARestart_AndAreListedAsClusters()
    {
        _t.AddSeed("news.jsonl", Jsonl.Lines(Original(), Reprint(), Other()));
        _t.Restart();
        Assert.That(_t.Engine.NearDuplicateClusters().Select(c => (c.Key, string.Join(",", c.Ids))),
            Is.EqualTo(new[] { ("a", "a,b") }));
    }

    [Test]
    public void APassLongerThanTheInMemoryLimit_StillFindsReprintsOfArticlesItNoLongerHoldsInMemory()
    {
        var saved = NearDuplicateDetector.MaxInFlight;
        NearDuplicateDetector.MaxInFlight = 2;
        try
        {
            var fillers = Enumerable.Range(0, 5).Select(i => Jsonl.Record($"f{i}", $"其他新闻{i}",
                $"第{i}条与客机无关的消息：今年秋粮收购工作进展顺利，各地粮食部门加强调度，确保农民售粮方便快捷，收购价格总体稳定。编号{i * 7919}"));
            _t.AddSeed("news.jsonl", Jsonl.Lines([Original(), .. fillers, Reprint()]));
            Assert.Multiple(() =>
            {
                Assert.That(_t.Engine.ClusterKeyOf("b"), Is.EqualTo("a"));
                Assert.That(_t.Engine.GetStats().ArticleCount, Is.EqualTo(7));
            });
        }
        finally
        {
            NearDuplicateDetector.MaxInFlight = saved;
        }
    }
}
