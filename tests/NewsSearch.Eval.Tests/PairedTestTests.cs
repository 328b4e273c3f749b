using NUnit.Framework;
using NewsSearch.Eval;

namespace NewsSearch.Eval.Tests;

public class PairedTestTests
{
    [Test]
    public void NoDifferenceAtAll_IsEntirelyExplainedByChance() =>
        Assert.That(PairedTest.SignFlipP([0, 0, 0, 0, 0]), Is.EqualTo(1.0));

    [Test]
    public void DifferencesThatCancelOut_AreEntirelyExplainedByChance() =>
        Assert.That(PairedTest.SignFlipP([0.2, -0.2, 0.1, -0.1, 0.3, -0.3]), Is.EqualTo(1.0));

    [Test]
    public void TwentyQueriesThatAllRiseAlike_AreVeryUnlikelyByChance() =>
        // Only the two assignments with every sign alike reach the observed sum: about 2 in 2^20.
        Assert.That(PairedTest.SignFlipP(Enumerable.Repeat(0.05, 20).ToList()), Is.LessThan(0.001));

    [Test]
    public void OneQueryThatRisesALot_AmongManyThatMoveAlittleBothWays_IsNotSignificant()
    {
        // The shape the LeCaRD notes describe: the whole mean gain is one query, the rest split either way.
        var differences = new List<double> { 0.45 };
        for (var i = 0; i < 49; i++) differences.Add(i % 2 == 0 ? 0.02 : -0.02);
        Assert.That(PairedTest.SignFlipP(differences), Is.GreaterThan(0.2));
    }

    [Test]
    public void ThePValueIsTheSameEveryTime_AndDoesNotDependOnTheSignOfTheDifference()
    {
        double[] up = [0.1, 0.05, -0.02, 0.08, 0.0, 0.03, -0.01, 0.06];
        var down = up.Select(d => -d).ToList();
        var p = PairedTest.SignFlipP(up);
        Assert.Multiple(() =>
        {
            Assert.That(PairedTest.SignFlipP(up.ToList()), Is.EqualTo(p));
            Assert.That(PairedTest.SignFlipP(down), Is.EqualTo(p));
            Assert.That(p, Is.InRange(0.01, 0.2));
        });
    }

    [Test]
    public void Differences_CountAMissingQueryAsZero()
    {
        var a = new Dictionary<string, double> { ["q1"] = 0.5, ["q2"] = 0.25 };
        var b = new Dictionary<string, double> { ["q1"] = 0.25 };
        var differences = PairedTest.Differences<double>(k => a.GetValueOrDefault(k), k => b.GetValueOrDefault(k), ["q1", "q2", "q3"], x => x);
        Assert.That(differences, Is.EqualTo(new[] { 0.25, 0.25, 0.0 }));
    }
}
