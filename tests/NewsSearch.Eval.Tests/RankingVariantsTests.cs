using NUnit.Framework;
using NewsSearch.Engine.Querying;
using NewsSearch.Eval;
using NewsSearch.Testing;

namespace NewsSearch.Eval.Tests;

public class RankingVariantsTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("variants-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string File_(string json)
    {
        var path = Path.Combine(_dir, "v.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Test]
    public void Read_PutsTheDefaultFirst_ThenVariants_ThenEveryGridCombination()
    {
        var list = RankingVariants.Read(File_("""
            { "variants": [ { "name": "wide", "pastedMinimumShouldMatch": 0.1 } ],
              "grid": { "pastedTitleBoost": [0.5, 1.0], "repeatedWords": ["none", "sqrt"] } }
            """));
        Assert.Multiple(() =>
        {
            Assert.That(list.Select(v => v.Name), Is.EqualTo(new[]
            {
                "default", "wide",
                "pastedTitleBoost=0.5,repeatedWords=none", "pastedTitleBoost=0.5,repeatedWords=sqrt",
                "pastedTitleBoost=1.0,repeatedWords=none", "pastedTitleBoost=1.0,repeatedWords=sqrt",
            }));
            Assert.That(list[1].Settings, Is.EqualTo(RankingSettings.Default with { PastedMinimumShouldMatch = 0.1 }));
            Assert.That(list[^1].Settings.RepeatedWords, Is.EqualTo(RepeatedWordWeight.Sqrt));
            Assert.That(list[1].Describe(), Is.EqualTo("pastedMinimumShouldMatch=0.1"));
        });
    }

    [Test]
    public void Read_DropsALaterVariantEqualToTheDefault()
    {
        var list = RankingVariants.Read(File_("""{ "grid": { "pastedTitleBoost": [0.5, 1.0] } }"""));
        Assert.That(list.Select(v => v.Name), Is.EqualTo(new[] { "default", "pastedTitleBoost=1.0" }));
    }

    [Test]
    public void Read_RefusesAnUnknownSetting() =>
        Assert.That(() => RankingVariants.Read(File_("""{ "variants": [ { "name": "typo", "pastedTitelBoost": 1 } ] }""")),
            Throws.TypeOf<FormatException>().With.Message.Contains("pastedTitelBoost"));

    [Test]
    public void Read_RefusesASettingOutOfItsRange_NamingIt() =>
        Assert.That(() => RankingVariants.Read(File_("""{ "grid": { "pastedMinimumShouldMatch": [0.25, 1.5] } }""")),
            Throws.TypeOf<FormatException>().With.Message.Contains("PastedMinimumShouldMatch = 1.5"));

    [Test]
    public void Read_RefusesAModelGivenAsANumber_RatherThanRankWithWhatever_ItNames() =>
        Assert.That(() => RankingVariants.Read(File_("""{ "variants": [ { "name": "n", "pastedModel": 9 } ] }""")),
            Throws.TypeOf<FormatException>());

    [Test]
    public void EveryCommittedVariantsFile_ReadsAndIsInRange()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "NewsSearch.Eval", "variants"), "*.json");
        Assert.That(files, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var file in files)
                Assert.That(() => RankingVariants.Read(file), Throws.Nothing, Path.GetFileName(file));
        });
    }
}
