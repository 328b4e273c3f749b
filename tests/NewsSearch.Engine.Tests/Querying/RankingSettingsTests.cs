using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

public class RankingSettingsTests
{
    private TestEngine _t = null!;

    // A pasted paragraph: more than QueryBuilder.LongQueryConcepts distinct words.
    private const string Pasted = "华为 今天 发布 新款 折叠屏 手机 小米 第三季度 销量 同比 增长 苹果 中国 市场 降价 促销 智能 汽车";

    [OneTimeSetUp]
    public void IndexPhoneNews()
    {
        _t = new TestEngine();
        _t.AddSeed("phones.jsonl", Jsonl.Lines(
            Jsonl.Record("huawei", "华为发布新款手机", "华为今天发布新款折叠屏手机。"),
            Jsonl.Record("xiaomi", "小米手机销量增长", "小米手机第三季度销量同比增长，手机市场回暖。"),
            Jsonl.Record("apple", "苹果手机降价", "苹果手机在中国市场降价促销。"),
            Jsonl.Record("huawei-car", "华为智能汽车", "华为与车企合作推出智能汽车。")));
    }

    [OneTimeTearDown]
    public void Dispose() => _t.Dispose();

    [TearDown]
    public void BackToDefault() => _t.Engine.Ranking = RankingSettings.Default;

    private Dictionary<string, float> Scores(string query) =>
        _t.Engine.Search(new SearchRequest(query, PageSize: 100)).Hits.ToDictionary(h => h.Id, h => h.Score);

    [Test]
    public void RepeatedWordBoost_IsOneForASingleWord_AndGrowsAsEachWeightingSays()
    {
        var log = RankingSettings.Default;
        Assert.Multiple(() =>
        {
            Assert.That(log.RepeatedWordBoost(1), Is.EqualTo(1f));
            Assert.That(log.RepeatedWordBoost(3), Is.EqualTo(1 + MathF.Log(3)));
            Assert.That((log with { RepeatedWords = RepeatedWordWeight.Sqrt }).RepeatedWordBoost(4), Is.EqualTo(2f));
            Assert.That((log with { RepeatedWords = RepeatedWordWeight.None }).RepeatedWordBoost(4), Is.EqualTo(1f));
        });
    }

    [Test]
    public void OtherBm25Parameters_ChangeScoresButNotMatches_AndTheDefaultComesBackExactly()
    {
        var before = Scores("手机");
        _t.Engine.Ranking = RankingSettings.Default with { K1 = 2.0f, B = 0.1f };
        var other = Scores("手机");
        _t.Engine.Ranking = RankingSettings.Default;
        var after = Scores("手机");
        Assert.Multiple(() =>
        {
            Assert.That(other.Keys, Is.EquivalentTo(before.Keys));
            Assert.That(other, Is.Not.EqualTo(before));
            Assert.That(after, Is.EqualTo(before));
        });
    }

    [Test]
    public void PastedTitleBoost_MovesPastedParagraphScores_ButNotShortQueries()
    {
        var pasted = Scores(Pasted);
        var shortQuery = Scores("华为 手机");
        _t.Engine.Ranking = RankingSettings.Default with { PastedTitleBoost = 3f };
        Assert.Multiple(() =>
        {
            Assert.That(Scores(Pasted), Is.Not.EqualTo(pasted));
            Assert.That(Scores("华为 手机"), Is.EqualTo(shortQuery));
        });
    }

    [Test]
    public void PastedMinimumShouldMatch_DecidesHowManyOfAPastedParagraphsWordsADocumentNeeds()
    {
        // 18 words: the default quarter requires 5, which the car story (华为, 智能, 汽车) does not have.
        var byDefault = Scores(Pasted).Keys;
        _t.Engine.Ranking = RankingSettings.Default with { PastedMinimumShouldMatch = 0 };
        var anyWord = Scores(Pasted).Keys;
        _t.Engine.Ranking = RankingSettings.Default with { PastedMinimumShouldMatch = 1.0 };
        var everyWord = Scores(Pasted).Keys;
        Assert.Multiple(() =>
        {
            Assert.That(byDefault, Is.EquivalentTo(new[] { "huawei", "xiaomi", "apple" }));
            Assert.That(anyWord, Is.EquivalentTo(new[] { "huawei", "xiaomi", "apple", "huawei-car" }));
            Assert.That(everyWord, Is.Empty);
        });
    }

    private static readonly object[] PastedExperiments =
    [
        new object[] { "Dirichlet language model", RankingSettings.Default with { PastedModel = PastedModel.LmDirichlet } },
        new object[] { "Jelinek-Mercer language model", RankingSettings.Default with { PastedModel = PastedModel.LmJelinekMercer, PastedSmoothing = 0.4f } },
        new object[] { "BM25 plus the Dirichlet language model", RankingSettings.Default with { PastedModel = PastedModel.Bm25PlusLmDirichlet } },
        new object[] { "BM25+", RankingSettings.Default with { PastedModel = PastedModel.Bm25Plus } },
        new object[] { "DFR In_expB2", RankingSettings.Default with { PastedModel = PastedModel.DfrInExpB2 } },
        new object[] { "DFR PL2", RankingSettings.Default with { PastedModel = PastedModel.DfrPl2 } },
        new object[] { "IB log-logistic", RankingSettings.Default with { PastedModel = PastedModel.IbLl } },
        new object[] { "IB smoothed power law", RankingSettings.Default with { PastedModel = PastedModel.IbSpl } },
        new object[] { "character bigrams beside the words", RankingSettings.Default with { PastedBigramWeight = 0.5f } },
        new object[] { "title and body as a disjunction", RankingSettings.Default with { PastedFieldTieBreaker = 0.2f } },
    ];

    [TestCaseSource(nameof(PastedExperiments))]
    public void EachPastedParagraphExperiment_RescoresTheSameMatches_AndLeavesShortQueriesAlone(string name, RankingSettings experiment)
    {
        var pasted = Scores(Pasted);
        var shortQuery = Scores("华为 手机");
        _t.Engine.Ranking = experiment;
        var rescored = Scores(Pasted);
        Assert.Multiple(() =>
        {
            Assert.That(rescored.Keys, Is.EquivalentTo(pasted.Keys), name);
            Assert.That(rescored, Is.Not.EqualTo(pasted), name);
            Assert.That(Scores("华为 手机"), Is.EqualTo(shortQuery), name);
        });
    }

    [TestCase(PastedModel.DfrInExpB2)]
    [TestCase(PastedModel.DfrPl2)]
    [TestCase(PastedModel.IbLl)]
    [TestCase(PastedModel.IbSpl)]
    public void TheLengthNormalisationsC_ReachesEachDivergenceModel_AndEveryScoreIsAPositiveNumber(PastedModel model)
    {
        _t.Engine.Ranking = RankingSettings.Default with { PastedModel = model };
        var c1 = Scores(Pasted);
        _t.Engine.Ranking = RankingSettings.Default with { PastedModel = model, PastedSmoothing = 4f };
        var c4 = Scores(Pasted);
        Assert.Multiple(() =>
        {
            Assert.That(c1.Values.Concat(c4.Values), Has.All.Matches<float>(s => float.IsFinite(s) && s > 0));
            Assert.That(c4, Is.Not.EqualTo(c1));
        });
    }

    private static readonly object[] OutOfRange =
    [
        new object[] { nameof(RankingSettings.B), RankingSettings.Default with { B = 1.5f } },
        new object[] { nameof(RankingSettings.K1), RankingSettings.Default with { K1 = float.NaN } },
        new object[] { nameof(RankingSettings.PastedSmoothing), RankingSettings.Default with { PastedSmoothing = -1f } },
        new object[] { nameof(RankingSettings.PastedSmoothing), RankingSettings.Default with { PastedModel = PastedModel.DfrPl2, PastedSmoothing = 1e-17f } },
        new object[] { nameof(RankingSettings.PastedSmoothing), RankingSettings.Default with { PastedModel = PastedModel.LmJelinekMercer, PastedSmoothing = 1f } },
        new object[] { nameof(RankingSettings.PastedModel), RankingSettings.Default with { PastedModel = (PastedModel)99 } },
        new object[] { nameof(RankingSettings.PastedKeepShare), RankingSettings.Default with { PastedKeepShare = 0 } },
        new object[] { nameof(RankingSettings.FeedbackWeight), RankingSettings.Default with { FeedbackWeight = 1.0 } },
        new object[] { nameof(RankingSettings.PassageDocs), RankingSettings.Default with { PassageDocs = 0 } },
    ];

    [TestCaseSource(nameof(OutOfRange))]
    public void ASettingOutOfItsRange_IsRefusedByName_AndTheEngineKeepsRankingAsBefore(string knob, RankingSettings bad)
    {
        var before = Scores(Pasted);
        Assert.Multiple(() =>
        {
            Assert.That(() => _t.Engine.Ranking = bad, Throws.ArgumentException.With.Message.Contains(knob));
            Assert.That(_t.Engine.Ranking, Is.EqualTo(RankingSettings.Default));
            Assert.That(Scores(Pasted), Is.EqualTo(before));
        });
    }

    [Test]
    public void TheDefaultSettings_AreInRange() => Assert.That(RankingSettings.Default.Validate, Throws.Nothing);

    [Test]
    public void PastedPairWeight_RaisesArticlesThatHoldNeighbouringWordsInSequence_AndLeavesShortQueriesAlone()
    {
        var unspaced = Pasted.Replace(" ", "");
        var together = Scores(unspaced);
        var shortQuery = Scores("华为 手机");
        _t.Engine.Ranking = RankingSettings.Default with { PastedPairWeight = 0.5f };
        var withPairs = Scores(unspaced);
        Assert.Multiple(() =>
        {
            Assert.That(withPairs.Keys, Is.EquivalentTo(together.Keys));
            // 华为今天发布新款折叠屏手机 is in the Huawei story as the paragraph writes it.
            Assert.That(withPairs["huawei"], Is.GreaterThan(together["huawei"]));
            Assert.That(Scores("华为 手机"), Is.EqualTo(shortQuery));
        });
    }

    [Test]
    public void PassageWeight_RanksAnArticleHoldingTheParagraphsWordsTogetherAboveOneHoldingThemApart()
    {
        // Two articles of the same words and the same length, so the same BM25 score: one holds the paragraph's words
        // in one run, the other spreads them between its filler.
        var words = Pasted.Split(' ');
        var filler = string.Concat(Enumerable.Repeat("今日 天气 晴朗 ", words.Length));
        var spread = string.Join(" ", words.Select(w => w + " 今日 天气 晴朗 今日 天气 晴朗"));
        using var t = new TestEngine();
        t.AddSeed("passages.jsonl", Jsonl.Lines(
            Jsonl.Record("together", "报道", filler + Pasted + " " + filler),
            Jsonl.Record("apart", "报道", spread)));
        Dictionary<string, float> Ranked() => t.Engine.Search(new SearchRequest(Pasted, PageSize: 10) { Collapse = false })
            .Hits.ToDictionary(h => h.Id, h => h.Score);
        var documentOnly = Ranked();
        t.Engine.Ranking = RankingSettings.Default with { PassageWeight = 0.5, PassageWords = 30 };
        var withPassages = Ranked();
        Assert.Multiple(() =>
        {
            Assert.That(documentOnly["together"], Is.EqualTo(documentOnly["apart"]).Within(1e-4));
            Assert.That(withPassages.Keys, Is.EquivalentTo(documentOnly.Keys));
            Assert.That(withPassages["together"], Is.GreaterThan(withPassages["apart"]));
        });
    }

    [Test]
    public void Bm25f_RescoresThePastedParagraphsHits_AndWeighsTitlesAsItsTitleWeightSays()
    {
        Dictionary<string, float> Uncollapsed() => _t.Engine.Search(new SearchRequest(Pasted, PageSize: 10) { Collapse = false })
            .Hits.ToDictionary(h => h.Id, h => h.Score);
        var summed = Uncollapsed();
        _t.Engine.Ranking = RankingSettings.Default with { Bm25f = true, PastedTitleBoost = 0.5f };
        var light = Uncollapsed();
        _t.Engine.Ranking = RankingSettings.Default with { Bm25f = true, PastedTitleBoost = 3f };
        var heavy = Uncollapsed();
        Assert.Multiple(() =>
        {
            Assert.That(light.Keys, Is.EquivalentTo(summed.Keys));
            Assert.That(light, Is.Not.EqualTo(summed));
            // Every hit's title holds some of the paragraph's words; the best hit scores 1 either way.
            Assert.That(heavy, Is.Not.EqualTo(light));
        });
    }

    [Test]
    public void Bm25PlusLanguageModel_ScoresEachHitAsBm25PlusTheWeightedLanguageModelScore()
    {
        var bm25 = Scores(Pasted);
        _t.Engine.Ranking = RankingSettings.Default with { PastedModel = PastedModel.LmDirichlet, PastedSmoothing = 1000 };
        var lm = Scores(Pasted);
        _t.Engine.Ranking = RankingSettings.Default with { PastedModel = PastedModel.Bm25PlusLmDirichlet, PastedSmoothing = 1000, PastedLmWeight = 0.5f };
        var sum = Scores(Pasted);
        Assert.Multiple(() =>
        {
            Assert.That(lm.Values, Has.Some.GreaterThan(0f), "the language model scores something");
            Assert.That(sum.Keys, Is.EquivalentTo(bm25.Keys));
            foreach (var (id, score) in sum)
                Assert.That(score, Is.EqualTo(bm25[id] + 0.5f * lm[id]).Within(1e-4f), id);
        });
    }
}
