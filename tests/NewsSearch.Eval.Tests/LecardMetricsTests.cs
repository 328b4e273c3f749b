using NUnit.Framework;
using NewsSearch.Eval;

namespace NewsSearch.Eval.Tests;

public class LecardMetricsTests
{
    private static readonly string[] Judged = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];

    private static Dictionary<string, int> Grades(params (string Id, int Rel)[] g) => g.ToDictionary(x => x.Id, x => x.Rel);

    [Test]
    public void OnlyJudgedIdsAreKeptInRankedOrder()
    {
        // x, y are pool documents that are not judged: they are skipped, not counted as misses.
        var ranking = new[] { "x", "a", "y", "b", "c", "d", "e", "f" };
        var m = LecardMetrics.Score(ranking, Judged, Grades(("a", 3), ("c", 3), ("e", 2)));
        Assert.Multiple(() =>
        {
            Assert.That(m.Kept, Is.EqualTo(6));
            Assert.That(m.P5, Is.EqualTo(2.0 / 5)); // a b c d e: a and c; grade 2 is not relevant
            Assert.That(m.P10, Is.EqualTo(2.0 / 10)); // divided by 10 although only 6 were kept
            Assert.That(m.AP, Is.EqualTo((1.0 / 1 + 2.0 / 3) / 2).Within(1e-12));
            Assert.That(m.APRetrievedOnly, Is.EqualTo(m.AP));
        });
    }

    [Test]
    public void RelevantIdNeverRankedCountsAsZeroInAp()
    {
        var m = LecardMetrics.Score(["a", "b"], Judged, Grades(("a", 3), ("k", 3)));
        Assert.Multiple(() =>
        {
            Assert.That(m.RelevantJudged, Is.EqualTo(2));
            Assert.That(m.RelevantKept, Is.EqualTo(1));
            Assert.That(m.AP, Is.EqualTo(0.5));
            Assert.That(m.APRetrievedOnly, Is.EqualTo(1.0));
        });
    }

    [Test]
    public void RelevantIdOutsideJudgedIsIgnored()
    {
        var m = LecardMetrics.Score(["z", "a"], Judged, Grades(("z", 3), ("a", 3)));
        Assert.Multiple(() =>
        {
            Assert.That(m.RelevantJudged, Is.EqualTo(1));
            Assert.That(m.AP, Is.EqualTo(1.0));
            Assert.That(m.P5, Is.EqualTo(0.2));
        });
    }

    [Test]
    public void QueryWithoutRelevantIdScoresZeroAndCountsInMap()
    {
        var none = LecardMetrics.Score(["a", "b"], Judged, Grades(("a", 1)));
        var perfect = LecardMetrics.Score(["a"], Judged, Grades(("a", 3)));
        var summary = LecardMetrics.Summarize([none, perfect]);
        Assert.Multiple(() =>
        {
            Assert.That(none.AP, Is.Zero);
            Assert.That(summary.MAP, Is.EqualTo(0.5));
            Assert.That(summary.Queries, Is.EqualTo(2));
        });
    }

    [Test]
    public void DuplicatesInRankingCountOnce()
    {
        var m = LecardMetrics.Score(["a", "a", "b"], Judged, Grades(("b", 3)));
        Assert.That(m.AP, Is.EqualTo(0.5));
    }

    [Test]
    public void EmptyRankingScoresZero()
    {
        var m = LecardMetrics.Score([], Judged, Grades(("a", 3)));
        Assert.That(new[] { m.P5, m.P10, m.AP, m.APRetrievedOnly }, Is.All.Zero);
    }
}
