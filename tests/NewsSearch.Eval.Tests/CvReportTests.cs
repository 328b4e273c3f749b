using NUnit.Framework;
using NewsSearch.Engine.Querying;
using NewsSearch.Eval;

namespace NewsSearch.Eval.Tests;

public class CvReportTests
{
    private static readonly Metric<double> Score = new("AP", x => x);
    private static readonly List<IReadOnlyList<string>> Folds =
        Enumerable.Range(0, 5).Select(f => (IReadOnlyList<string>)Enumerable.Range(0, 4).Select(i => $"q{f * 4 + i}").ToList()).ToList();
    private static IEnumerable<string> Keys => Folds.SelectMany(f => f);

    private static string Report(params Dictionary<string, double>[] scores) =>
        CvReport.Write(scores.Select((_, i) => new RankingVariant(i == 0 ? "default" : $"v{i}", RankingSettings.Default)).ToList(),
            scores.Cast<IReadOnlyDictionary<string, double>>().ToList(), Folds, [Score], Score, null);

    private static string Line(string report, string start) => report.Split('\n').Single(l => l.StartsWith(start, StringComparison.Ordinal));

    [Test]
    public void AVariantBetterOnEveryQuery_IsReportedAboveTheDefault_WithASmallP_AndSoIsTheChoice()
    {
        var baseline = Keys.ToDictionary(k => k, _ => 0.4);
        var better = Keys.ToDictionary(k => k, _ => 0.5);
        var report = Report(baseline, better);
        Assert.Multiple(() =>
        {
            Assert.That(Line(report, "| v1 |"), Does.Contain("| +0.100 (p < 0.001) |"));
            Assert.That(Line(report, "Cross-validated choice"), Does.Contain("AP +0.100 (p < 0.001)"));
        });
    }

    [Test]
    public void AVariantThatWinsOnOneQueryOnly_IsReportedWithALargeP()
    {
        var baseline = Keys.ToDictionary(k => k, k => int.Parse(k[1..]) % 2 == 0 ? 0.3 : 0.6);
        var lucky = baseline.ToDictionary(p => p.Key, p => p.Key == "q7" ? p.Value + 0.4 : p.Value);
        var report = Report(baseline, lucky);
        Assert.That(Line(report, "| v1 |"), Does.Contain("| +0.020 (p 1.000) |"));
    }

    [Test]
    public void AVariantThatWinsOnOneFoldOnly_IsBestOnAllQueries_ButTheCrossValidatedChoiceGainsNothing()
    {
        // Chosen without fold 1, the variant ties the default (which is kept); chosen with fold 1, it is scored on
        // folds where it equals the default. An in-sample choice would claim the whole +0.100.
        var baseline = Keys.ToDictionary(k => k, _ => 0.4);
        var oneFold = Keys.ToDictionary(k => k, k => Folds[0].Contains(k) ? 0.9 : 0.4);
        var report = Report(baseline, oneFold);
        Assert.Multiple(() =>
        {
            Assert.That(Line(report, "| v1 |"), Does.Contain("| +0.100 ("));
            Assert.That(Line(report, "Cross-validated choice"), Does.Contain("AP 0.000 (p 1.000)"));
        });
    }
}
