using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>Issue 9's reader features: words held together rank first, model numbers find their variants, titles are marked.</summary>
public class ReaderQueryFeatureTests
{
    private TestEngine _t = null!;

    [OneTimeSetUp]
    public void IndexArticles()
    {
        _t = new TestEngine();
        _t.AddSeed("news.jsonl", Jsonl.Lines(
            // Apart: both words, more often than in "together", far from each other: it wins on word counts alone.
            Jsonl.Record("apart", "民航工业动态", "国产汽车出口增长,国产芯片也在进步。另据报道,大飞机模型展览开幕,大飞机爱好者到场。", "2025-07-01"),
            Jsonl.Record("together", "民航发展综述", "今年国产大飞机交付航空公司,运营平稳。", "2025-07-02"),
            Jsonl.Record("ag600", "AG600完成试飞", "AG600水陆两栖飞机完成试飞。", "2025-07-03"),
            Jsonl.Record("ag600m", "AG600M灭火型交付", "AG600M灭火型飞机交付使用。", "2025-07-04"),
            Jsonl.Record("ag6000", "AG6000型号", "一种名为AG6000的设备。", "2025-07-05"),
            Jsonl.Record("g20", "G20峰会开幕", "二十国集团领导人峰会开幕。", "2025-07-06"),
            Jsonl.Record("g200", "G200公务机", "湾流G200公务机亮相。", "2025-07-07"),
            Jsonl.Record("chips", "英伟达H20芯片恢复供货<说明>", "美方解禁芯片对华销售。", "2025-07-08")));
    }

    [OneTimeTearDown]
    public void TearDown() => _t.Dispose();

    private SearchResult Search(string query) => _t.Engine.Search(new SearchRequest(query, PageSize: 20));

    private string[] Ids(string query) => Search(query).Hits.Select(h => h.Id).ToArray();

    [Test]
    public void ShortQueryInTraditionalCharacters_RanksTheArticleHoldingTheWordsTogetherFirst()
    {
        Assert.That(Ids("國產大飛機").First(), Is.EqualTo("together"));
    }

    [Test]
    public void WordsTypedWithASpace_AlsoRankTheArticleHoldingThemTogetherFirst()
    {
        Assert.That(Ids("国产 大飞机").First(), Is.EqualTo("together"));
    }

    [Test]
    public void ModelNumber_FindsLongerCodesThatExtendItWithLetters_RankedBelowItself()
    {
        var ids = Ids("AG600");
        Assert.That(ids, Is.EquivalentTo(new[] { "ag600", "ag600m" }));
        Assert.That(ids[0], Is.EqualTo("ag600"));
    }

    [Test]
    public void ModelNumber_NeverFindsCodesThatExtendItWithDigits()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Ids("G20"), Is.EqualTo(new[] { "g20" }));
            Assert.That(Ids("AG600"), Does.Not.Contain("ag6000"));
        });
    }

    [Test]
    public void Hit_CarriesItsTitleWithTheMatchedCharactersMarked_AndEscaped()
    {
        var hit = Search("H20 芯片").Hits.Single(h => h.Id == "chips");
        Assert.That(hit.HighlightedTitle, Is.EqualTo("英伟达<em>H20芯片</em>恢复供货&lt;说明&gt;"));
    }

    [Test]
    public void Hit_MarksALongerCodeInTheSnippetAndTitle()
    {
        var hit = Search("AG600").Hits.Single(h => h.Id == "ag600m");
        Assert.Multiple(() =>
        {
            Assert.That(hit.HighlightedTitle, Is.EqualTo("<em>AG600</em>M灭火型交付"));
            Assert.That(hit.Snippet, Does.Contain("<em>AG600</em>M"));
        });
    }
}
