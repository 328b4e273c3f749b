using NUnit.Framework;
using NewsSearch.Eval;

namespace NewsSearch.Eval.Tests;

public class CrossValidationTests
{
    private static readonly string[] Keys = Enumerable.Range(1, 23).Select(i => "q" + i).ToArray();

    [Test]
    public void Split_PutsEveryKeyInExactlyOneFold_WithSizesWithinOne()
    {
        var folds = CrossValidation.Split(Keys, 5, seed: 7);
        Assert.Multiple(() =>
        {
            Assert.That(folds, Has.Count.EqualTo(5));
            Assert.That(folds.SelectMany(f => f), Is.EquivalentTo(Keys));
            Assert.That(folds.Max(f => f.Count) - folds.Min(f => f.Count), Is.LessThanOrEqualTo(1));
        });
    }

    [Test]
    public void Split_DependsOnTheSeedAndTheKeysOnly_NotTheirOrderOrRepeats()
    {
        var shuffled = Keys.Reverse().Concat(Keys.Take(3)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(CrossValidation.Split(shuffled, 5, seed: 7), Is.EqualTo(CrossValidation.Split(Keys, 5, seed: 7)));
            Assert.That(CrossValidation.Split(Keys, 5, seed: 8), Is.Not.EqualTo(CrossValidation.Split(Keys, 5, seed: 7)));
        });
    }

    [Test]
    public void Split_RefusesFewerKeysThanFolds() =>
        Assert.That(() => CrossValidation.Split(["a", "b"], 3, seed: 1), Throws.ArgumentException);

    // Two variants over four queries in two folds: A is better on fold 0's queries, B on fold 1's.
    private static readonly List<IReadOnlyList<string>> TwoFolds = [["a", "b"], ["c", "d"]];
    private static readonly Dictionary<string, double> A = new() { ["a"] = 1.0, ["b"] = 1.0, ["c"] = 0.0, ["d"] = 0.2 };
    private static readonly Dictionary<string, double> B = new() { ["a"] = 0.0, ["b"] = 0.2, ["c"] = 1.0, ["d"] = 1.0 };

    [Test]
    public void Choose_PicksForEachFoldTheBestVariantOnTheOtherFolds()
    {
        var choices = CrossValidation.Choose([A, B], TwoFolds, x => x);
        Assert.Multiple(() =>
        {
            // Held fold 0 is chosen on fold 1, where B wins; held fold 1 on fold 0, where A wins.
            Assert.That(choices.Select(c => c.Variant), Is.EqualTo(new[] { 1, 0 }));
            Assert.That(choices.Select(c => c.TrainObjective), Is.EqualTo(new[] { 1.0, 1.0 }));
        });
    }

    [Test]
    public void HeldMean_ScoresEachFoldWithTheVariantChosenWithoutIt()
    {
        var variants = new List<IReadOnlyDictionary<string, double>> { A, B };
        var choices = CrossValidation.Choose(variants, TwoFolds, x => x);
        // Fold 0 scored by B: (0 + 0.2) / 2; fold 1 scored by A: (0 + 0.2) / 2. Tuning on the held data would give 1.0.
        Assert.That(CrossValidation.HeldMean(variants, TwoFolds, choices, x => x), Is.EqualTo(0.1).Within(1e-12));
    }

    [Test]
    public void Choose_OnATie_KeepsTheEarlierVariant()
    {
        var same = new Dictionary<string, double>(A);
        var choices = CrossValidation.Choose([A, same], TwoFolds, x => x);
        Assert.That(choices.Select(c => c.Variant), Is.All.EqualTo(0));
    }

    [Test]
    public void Mean_CountsAQueryAVariantHasNoScoreForAsZero() =>
        Assert.That(CrossValidation.Mean(new Dictionary<string, double> { ["a"] = 1.0 }, ["a", "b"], x => x), Is.EqualTo(0.5));
}
