using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>Related takes an article's text as it is: long, or holding what would be query syntax in a search box; and
/// it ranks by the article's most telling words only, so that a long article costs no more than a bounded query.</summary>
public class RelatedArticleTextTests
{
    private const string Vocabulary = "经济发展市场企业政府国际合作科技创新城市农村教育医疗文化体育新闻报道记者会议改革开放建设工程项目投资增长消费出口港口铁路航空能源环境";

    /// <summary>A text of <paramref name="words"/> two-character words drawn from a fixed vocabulary, sentence by sentence.</summary>
    private static string Text(int words, int seed)
    {
        var random = new Random(seed);
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < words; i++)
        {
            var at = random.Next(Vocabulary.Length - 1);
            sb.Append(Vocabulary, at, 2).Append(i % 12 == 11 ? "。" : "，");
        }
        return sb.ToString();
    }

    [Test]
    public void Related_ForAnArticleOfTensOfThousandsOfCharacters_StaysWithinTheClauseCapAndFindsItsSequel()
    {
        using var t = new TestEngine();
        var body = Text(12_000, 1);
        t.AddSeed("a.jsonl", Jsonl.Lines(
            Jsonl.Record("long", "长篇报道", body, "2025-01-01"),
            Jsonl.Record("sequel", "长篇报道续篇", body[..3000], "2025-01-02"),
            Jsonl.Record("other", "体育比赛", "足球比赛今晚进行，主队以二比一获胜，球迷热情高涨。", "2025-01-03")));

        var result = t.Engine.Related(new RelatedRequest("long"));

        Assert.That(body, Has.Length.GreaterThan(30_000));
        Assert.That(result.Hits.Select(h => h.Id).First(), Is.EqualTo("sequel"));
    }

    [Test]
    public void Related_ForAnArticleWithQuotesMinusSignsAndParentheses_ReadsThemAsText()
    {
        using var t = new TestEngine();
        const string body = "记者报道：\"国产大飞机(C919 -首次商业飞行 OR 航班 +旅客 东方航空执飞上海至北京的航班，旅客数量创新高，民航局加强运行监管，航空公司增开航线";
        t.AddSeed("a.jsonl", Jsonl.Lines(
            Jsonl.Record("syntax", "大飞机\"报道", body, "2025-01-01"),
            Jsonl.Record("sequel", "国产大飞机航班增加", "东方航空执飞的国产大飞机航班增加，旅客数量创新高，民航局加强运行监管，航空公司增开航线。", "2025-01-02")));

        Assert.That(t.Engine.Related(new RelatedRequest("syntax")).Hits.Select(h => h.Id), Is.EqualTo(new[] { "sequel" }));
    }

    [Test]
    public void Related_RanksByTheArticlesMostTellingWordsOnly_AsSearchRanksAParagraphCutToThatMany()
    {
        using var t = new TestEngine();
        var records = Enumerable.Range(0, 40).Select(i => Jsonl.Record("a" + i, "报道" + i, Text(40 + 7 * i, 100 + i), "2025-01-01")).ToArray();
        t.AddSeed("a.jsonl", Jsonl.Lines(records));
        var source = t.Engine.GetArticle("a30");
        var text = source.Title + "\n" + source.Body;
        List<string> Related() => t.Engine.Related(new RelatedRequest("a30", PageSize: 20)).Hits.Select(h => h.Id).ToList();
        List<string> SearchFor(RankingSettings settings)
        {
            t.Engine.Ranking = settings;
            return t.Engine.Search(new SearchRequest(text, PageSize: 21)).Hits.Select(h => h.Id).Where(id => id != "a30").Take(20).ToList();
        }

        var cut = SearchFor(RankingSettings.Default with { PastedMaxWords = 12, PastedCutMinimumShouldMatch = 0.1 });
        var whole = SearchFor(RankingSettings.Default);
        t.Engine.Ranking = RankingSettings.Default with { RelatedMaxWords = 12 };
        var relatedCut = Related();
        t.Engine.Ranking = RankingSettings.Default with { RelatedMaxWords = 0 };
        var relatedWhole = Related();

        Assert.Multiple(() =>
        {
            Assert.That(cut, Is.Not.EqualTo(whole), "cutting the paragraph to 12 words changes its ranking");
            Assert.That(relatedCut, Is.EqualTo(cut), "Related with a cap of 12 words");
            Assert.That(relatedWhole, Is.EqualTo(whole), "Related without a cap");
        });
    }

    [Test]
    public void RelatedsSettings_CapTheWordsAndSetTheirRequiredShare_UnlessTheCapIsZero()
    {
        var related = RankingSettings.Default.ForRelated();
        Assert.Multiple(() =>
        {
            Assert.That((related.PastedMaxWords, related.PastedCutMinimumShouldMatch), Is.EqualTo((128, (double?)0.1)));
            Assert.That(related.PastedMinimumShouldMatch, Is.EqualTo(RankingSettings.Default.PastedMinimumShouldMatch),
                "an article of fewer words than the cap ranks as Search ranks it pasted");
            Assert.That(RankingSettings.Default.PastedMaxWords, Is.EqualTo(0), "Search keeps every word of a pasted paragraph");
            Assert.That((RankingSettings.Default with { RelatedMaxWords = 0 }).ForRelated(), Is.EqualTo(RankingSettings.Default with { RelatedMaxWords = 0 }));
        });
    }
}
