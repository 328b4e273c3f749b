using NUnit.Framework;
using NewsSearch.Eval;

namespace NewsSearch.Eval.Tests;

public class KnownItemMetricsTests
{
    [Test]
    public void TargetAtRankThree_HasReciprocalRankOneThird_AndSucceedsAtTenNotAtOne()
    {
        var s = KnownItemMetrics.Score(["x", "y", "t", "t"], "t");
        Assert.Multiple(() =>
        {
            Assert.That(s.Rank, Is.EqualTo(3));
            Assert.That(s.ReciprocalRank, Is.EqualTo(1.0 / 3));
            Assert.That(s.SuccessAt(10), Is.EqualTo(1));
            Assert.That(s.SuccessAt(1), Is.EqualTo(0));
        });
    }

    [Test]
    public void TargetAtRankTen_StillSucceedsAtTen_ButNotAtEleventh()
    {
        var ranking = Enumerable.Range(1, 12).Select(i => i == 10 ? "t" : "d" + i).ToList();
        var s = KnownItemMetrics.Score(ranking, "t");
        Assert.Multiple(() =>
        {
            Assert.That(s.SuccessAt(10), Is.EqualTo(1));
            Assert.That(s.SuccessAt(9), Is.EqualTo(0));
        });
    }

    [Test]
    public void TargetNotRanked_ScoresZero()
    {
        var s = KnownItemMetrics.Score(["x", "y"], "t");
        Assert.Multiple(() =>
        {
            Assert.That(s.Rank, Is.Null);
            Assert.That(s.ReciprocalRank, Is.Zero);
            Assert.That(s.SuccessAt(10), Is.Zero);
        });
    }

    [Test]
    public void MeanReciprocalRank_AveragesOverQueries()
    {
        var scores = new Dictionary<string, KnownItemScore> { ["q1"] = new(1), ["q2"] = new(4), ["q3"] = new(null) };
        var mrr = KnownItemMetrics.Metrics.Single(m => m.Name == "MRR");
        Assert.That(CrossValidation.Mean(scores, ["q1", "q2", "q3"], mrr.Of), Is.EqualTo((1 + 0.25 + 0) / 3).Within(1e-12));
    }
}
