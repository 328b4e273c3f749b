using NUnit.Framework;
using NewsSearch.Eval;

namespace NewsSearch.Eval.Tests;

public class ProbeTruthTests
{
    [TestCase("出席G20峰会", "g20", true)]
    [TestCase("g20", "g20", true)]
    [TestCase("参加ＡＧ２０演习", "g20", false)]
    [TestCase("AG20", "g20", false)]
    [TestCase("G200", "g20", false)]
    [TestCase("5G网络", "5g", true)]
    [TestCase("15G", "5g", false)]
    [TestCase("5GB", "5g", false)]
    [TestCase("5G-A网络", "5g", true)]
    [TestCase("AG600M", "ag600", false)]
    [TestCase("AG600M和AG600", "ag600", true)]
    [TestCase("ＰＭ２．５", "pm2.5", true)]
    public void CodesNeedBoundaries(string text, string expected, bool match) =>
        Assert.That(ProbeTruth.Matches(ProbeTruth.Document("", text), expected, ProbeTruth.IsCode(expected)), Is.EqualTo(match));

    [Test]
    public void HanLiteralsAreSubstringsButNotAcrossTitleAndBody()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ProbeTruth.Matches(ProbeTruth.Document("共建一带", "一路"), "一带一路", false), Is.False);
            Assert.That(ProbeTruth.Matches(ProbeTruth.Document("", "共建一带一路倡议"), "一带一路", false), Is.True);
            Assert.That(ProbeTruth.IsCode("一带一路"), Is.False);
            Assert.That(ProbeTruth.IsCode("PM2.5"), Is.True);
        });
    }

    [Test]
    public void EveryKindHasAtLeastFourQueries() =>
        Assert.That(Enum.GetValues<ProbeKind>().Select(k => ProbeQueries.All.Count(q => q.Kind == k)), Is.All.GreaterThanOrEqualTo(4));

    [Test]
    public void ProbeScoreCountsTopTenAndRecall()
    {
        var truth = new HashSet<string> { "a", "b", "c", "z" };
        var s = ProbeMetrics.Score(["a", "x", "b", "c"], truth);
        Assert.Multiple(() =>
        {
            Assert.That(s.PrecisionAt10, Is.EqualTo(0.75));
            Assert.That(s.Recall, Is.EqualTo(0.75));
            Assert.That(s.Found, Is.EqualTo(3));
        });
    }
}
