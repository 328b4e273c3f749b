using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Indexing;

/// <summary>A build from scratch commits one merged segment (Search:FullBuildSegments); later passes add their own.</summary>
public class FullBuildCompactionTests
{
    private static string Records(string prefix, int n) =>
        Jsonl.Lines(Enumerable.Range(0, n).Select(i => Jsonl.Record($"{prefix}{i}", $"熊猫{prefix}{i}", $"关于熊猫的报道，第{i}篇")).ToArray());

    private static int CommittedSegments(TestEngine t) => TestEngine.CommittedSegments(t.GenerationPath).Count;

    private static void WriteSeeds(TestEngine t)
    {
        for (var f = 0; f < 4; f++) t.WriteSeed($"f{f}.jsonl", Records($"f{f}-", 300));
    }

    [Test]
    public void BuildFromScratch_IsCommittedAsOneSegment_AndALaterPassAddsOneOfItsOwn()
    {
        using var t = new TestEngine(o => o.FullBuildSegments = 1);
        WriteSeeds(t);
        t.Engine.SyncOnce();
        Assert.That(CommittedSegments(t), Is.EqualTo(1));

        t.AddSeed("later.jsonl", Records("later-", 5));
        Assert.Multiple(() =>
        {
            Assert.That(CommittedSegments(t), Is.GreaterThan(1), "an incremental pass adds segments rather than rewriting the big one");
            Assert.That(t.Engine.Search(new SearchRequest("熊猫")).TotalHits, Is.EqualTo(4 * 300 + 5));
        });
    }
}
