using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Analysis;

/// <summary>Readers find what they type: Traditional, full-width, codes, unknown names, single characters, phrases.</summary>
public class ChineseRelevanceTests
{
    private TestEngine _t = null!;

    [OneTimeSetUp]
    public void IndexRealSentences()
    {
        _t = new TestEngine();
        _t.AddSeed("news.jsonl", Jsonl.Lines(
            Jsonl.Record("simplified", "美国财长贝森特谈关税", "美国财长贝森特表示,美方愿与中方继续磋商。", "2025-07-01"),
            Jsonl.Record("traditional", "美國財長談經濟前景", "美國財長週三在華盛頓表示,經濟前景仍不明朗。", "2025-07-02"),
            Jsonl.Record("apart", "贝壳森林特别报道", "记者走进贝壳博物馆,又来到森林公园,特别关注生态保护。", "2025-07-03"),
            Jsonl.Record("c919", "国产大飞机C919开启商业运营", "C919大型客机从上海虹桥机场起飞。", "2025-07-04"),
            Jsonl.Record("fullwidth", "国产客机Ｃ９１９交付", "第５架Ｃ９１９交付东方航空。", "2025-07-05"),
            Jsonl.Record("g20", "G20峰会在约翰内斯堡举行", "二十国集团(G20)领导人第二十次峰会开幕。", "2025-07-06"),
            Jsonl.Record("g-and-20", "g组比赛20日开赛", "本届赛事g组的比赛将于20日在体育中心举行。", "2025-07-07"),
            Jsonl.Record("covid", "COVID-19疫苗研发进展", "多家机构公布COVID-19疫苗的最新数据。", "2025-07-08"),
            Jsonl.Record("h20", "英伟达H20芯片恢复供货", "美方解禁H20芯片对华销售。", "2025-07-09"),
            Jsonl.Record("tiger", "东北林区发现老虎踪迹", "护林员在雪地里拍到了东北虎的足迹。", "2025-07-10"),
            Jsonl.Record("zelensky", "泽连斯基会见欧洲领导人", "乌克兰总统泽连斯基当天在基辅会见来访的欧洲领导人。", "2025-07-11"),
            Jsonl.Record("phrase", "高质量发展扎实推进", "各地坚持以高质量发展为主题,推进产业升级。", "2025-07-12"),
            Jsonl.Record("phrase-apart", "发展质量稳步提高", "各地注重发展质量,高水平建设产业园区。", "2025-07-13"),
            Jsonl.Record("numbers", "宾夕法尼亚州获得900亿美元投资", "当地时间7月15日,宣布该州将获得超过900亿美元的投资。", "2025-07-14")));
    }

    [OneTimeTearDown]
    public void TearDown() => _t.Dispose();

    private SearchResult Search(string query) => _t.Engine.Search(new SearchRequest(query, PageSize: 20));

    private string[] Ids(string query) => Search(query).Hits.Select(h => h.Id).ToArray();

    [Test]
    public void TraditionalQuery_FindsSimplifiedText()
    {
        Assert.That(Ids("美國財長"), Does.Contain("simplified"));
    }

    [Test]
    public void SimplifiedQuery_FindsTraditionalText()
    {
        Assert.That(Ids("美国财长"), Does.Contain("traditional"));
    }

    [Test]
    public void FullWidthQuery_FindsHalfWidthText_AndTheReverse()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Ids("Ｃ９１９"), Is.EquivalentTo(new[] { "c919", "fullwidth" }));
            Assert.That(Ids("c919"), Is.EquivalentTo(new[] { "c919", "fullwidth" }));
        });
    }

    [TestCase("H20", "h20")]
    [TestCase("COVID-19", "covid")]
    [TestCase("covid", "covid")]
    [TestCase("G20", "g20")]
    public void Code_IsFoundWhole(string query, string expected)
    {
        Assert.That(Ids(query), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void G20_DoesNotMatchAnArticleThatMerelyHasAGAndA20()
    {
        Assert.That(Ids("G20"), Does.Not.Contain("g-and-20"));
    }

    [Test]
    public void UnknownName_MatchesOnlyTheExactSequence()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Ids("贝森特"), Is.EqualTo(new[] { "simplified" }), "贝, 森 and 特 apart is no match");
            Assert.That(Ids("泽连斯基"), Is.EqualTo(new[] { "zelensky" }));
        });
    }

    [Test]
    public void SingleCharacter_FindsArticlesContainingIt()
    {
        Assert.That(Ids("虎"), Is.EqualTo(new[] { "tiger" }));
    }

    [Test]
    public void QuotedPhrase_MatchesTheExactSequenceAcrossWordBoundaries()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Ids("\"高质量发展\""), Is.EqualTo(new[] { "phrase" }));
            Assert.That(Ids("\"量发\""), Is.EqualTo(new[] { "phrase" }), "a sequence that straddles two words");
        });
    }

    [Test]
    public void Numbers_InTheTextStaySearchable()
    {
        Assert.That(Ids("900亿美元"), Is.EqualTo(new[] { "numbers" }));
    }

    [Test]
    public void LongPastedParagraph_StillRanksTheArticleItDescribesFirst()
    {
        var pasted = "据报道,乌克兰总统泽连斯基当天在基辅会见了来访的欧洲领导人,双方就局势等问题交换了意见。";
        Assert.That(Ids(pasted).First(), Is.EqualTo("zelensky"));
    }

    [Test]
    public void Snippet_MarksExactlyTheMatchedCharacters()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Search("美国财长").Hits.Single(h => h.Id == "traditional").Snippet, Does.Contain("<em>美國財長</em>"));
            Assert.That(Search("C919").Hits.Single(h => h.Id == "fullwidth").Snippet, Does.Contain("<em>Ｃ９１９</em>"));
            Assert.That(Search("贝森特").Hits.Single().Snippet, Does.Contain("财长<em>贝森特</em>表示"));
            Assert.That(Search("H20").Hits.Single().Snippet, Is.EqualTo("美方解禁<em>H20</em>芯片对华销售。"));
            Assert.That(Search("虎").Hits.Single().Snippet, Is.EqualTo("护林员在雪地里拍到了东北<em>虎</em>的足迹。"));
        });
    }
}
