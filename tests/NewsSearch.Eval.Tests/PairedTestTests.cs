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
    public void DifferencesThatCancelOutOnlyInExactArithmetic_AreStillEntirelyExplainedByChance() =>
        // Added in this order the four sum to 2.8e-17, while two of the sign flips sum to exactly 0.
        Assert.That(PairedTest.SignFlipP([0.1, 0.2, -0.1, -0.2]), Is.EqualTo(1.0));

    [Test]
    public void TwentyQueriesThatAllRiseAlike_AreVeryUnlikelyByChance_ButNeverImpossible()
    {
        // Only the two assignments with every sign alike reach the observed sum: about 2 in 2^20. The observed
        // assignment itself counts, so p is at least 1 in (rounds + 1).
        var p = PairedTest.SignFlipP(Enumerable.Repeat(0.05, 20).ToList());
        Assert.That(p, Is.LessThan(0.001).And.GreaterThanOrEqualTo(1.0 / (PairedTest.Rounds + 1)));
    }

    [Test]
    public void ADifferenceThatIsNotANumber_IsRefused_RatherThanReadAsSignificant() =>
        Assert.Throws<ArgumentException>(() => PairedTest.SignFlipP([0.1, double.NaN, 0.2]));

    [Test]
    public void PValuesArePrintedToThreeDecimals_OrAsBelowTheTestsResolution() =>
        Assert.Multiple(() =>
        {
            Assert.That(PairedTest.Format(0.0496), Is.EqualTo("p 0.050"));
            Assert.That(PairedTest.Format(0.0072), Is.EqualTo("p 0.007"));
            Assert.That(PairedTest.Format(1.0 / (PairedTest.Rounds + 1)), Is.EqualTo("p < 0.001"));
            Assert.That(PairedTest.Format(1.0), Is.EqualTo("p 1.000"));
        });

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
}
