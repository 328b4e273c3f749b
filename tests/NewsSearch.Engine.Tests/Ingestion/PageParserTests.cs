using NewsSearch.Engine.Ingestion;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Ingestion;

public class PageParserTests
{
    private static readonly string Example = File.ReadAllText(RepoPaths.ExamplePage);

    [Test]
    public void Parse_ExamplePage_RecoversTheHeadlineAsTitle()
    {
        var page = PageParser.Parse(Example)!;
        Assert.That(page.Title, Is.EqualTo("美财长不小心说出实情?中国芯片已经要追上来"));
    }

    [Test]
    public void Parse_ExamplePage_KeepsEveryArticleParagraphInOrder()
    {
        var page = PageParser.Parse(Example)!;
        var paragraphs = page.Body.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(paragraphs, Has.Length.EqualTo(12));
            Assert.That(paragraphs[0], Does.StartWith("美财长不小心说出实情?中国芯片已经要追上来,美国解禁H20芯片"));
            Assert.That(page.Body, Does.Contain("黄仁勋本人在北京链博会上说"));
            Assert.That(paragraphs[^1], Does.StartWith("那么这么来看,美国很可能是在给自己解禁H20挽尊"));
        });
    }

    [Test]
    public void Parse_ExamplePage_LeavesAllPageChromeOut()
    {
        var page = PageParser.Parse(Example)!;
        var text = page.Title + "\n" + page.Body;
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("全球首个可以自主换电的机器人"), "nav teaser");
            Assert.That(text, Does.Not.Contain("相关文章"));
            Assert.That(text, Does.Not.Contain("2025-07-28 0"));
            Assert.That(text, Does.Not.Contain("辽宁一重"), "related teaser");
            Assert.That(text, Does.Not.Contain("Evo-X2"), "related teaser");
            Assert.That(text, Does.Not.Contain("发表评论"));
        });
    }

    [Test]
    public void Parse_ExamplePage_DatesTheArticleByTheNewestListingDate()
    {
        Assert.That(PageParser.Parse(Example)!.ListingDate, Is.EqualTo(new DateOnly(2025, 7, 28)));
    }

    [Test]
    public void Read_ExamplePage_RecordsThatTheDateWasInferredFromTheListing()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var item = new SeedReader(zone).Read(RepoPaths.ExamplePage, "000_df2e5f634929cce1.txt").Single();
        Assert.Multiple(() =>
        {
            Assert.That(item.Article!.Id, Is.EqualTo("000_df2e5f634929cce1"));
            Assert.That(item.Article.DateSource, Is.EqualTo(DateSource.PageListing));
            Assert.That(item.Article.Published, Is.EqualTo(new DateTimeOffset(2025, 7, 28, 0, 0, 0, TimeSpan.FromHours(8))));
        });
    }

    [Test]
    public void Parse_PageOfOnlyChrome_ReturnsNothing()
    {
        Assert.That(PageParser.Parse("某条推荐...\n2025-07-28 3\n相关文章\n发表评论\n"), Is.Null);
    }

    [Test]
    public void Parse_ShortFirstLine_IsTheWholeTitle()
    {
        var page = PageParser.Parse("国产大飞机C919完成首次商业飞行\n第一段。\n第二段。")!;
        Assert.Multiple(() =>
        {
            Assert.That(page.Title, Is.EqualTo("国产大飞机C919完成首次商业飞行"));
            Assert.That(page.Body, Is.EqualTo("第一段。\n第二段。"));
        });
    }

    [Test]
    public void Parse_LongFirstLineWithFullWidthComma_CutsTheHeadlineThere()
    {
        var first = "\u56FD\u4EA7\u5927\u98DE\u673A\u5B8C\u6210\u9996\u98DE\uFF0C" + new string('\u6587', 50);
        var page = PageParser.Parse(first + "\n\u7B2C\u4E8C\u6BB5")!;
        Assert.Multiple(() =>
        {
            Assert.That(page.Title, Is.EqualTo("\u56FD\u4EA7\u5927\u98DE\u673A\u5B8C\u6210\u9996\u98DE"));
            Assert.That(page.Body, Does.StartWith(first));
        });
    }

    [Test]
    public void Parse_TwoDateLinesInARow_DropOnlyTheTeaserBeforeTheFirst()
    {
        var page = PageParser.Parse("标题\n正文一段。\n推荐阅读的标题\n2025-07-28 3\n2025-07-28 5\n正文二段。")!;
        Assert.That(page.Body, Is.EqualTo("正文一段。\n正文二段。"));
    }

    [Test]
    public void Parse_DateLineOfADayThatDoesNotExist_IsStillChromeButDatesNothing()
    {
        var page = PageParser.Parse("标题\n正文。\n推荐阅读的标题\n2025-02-30 3")!;
        Assert.Multiple(() =>
        {
            Assert.That(page.Body, Is.EqualTo("正文。"));
            Assert.That(page.ListingDate, Is.Null);
        });
    }

    [Test]
    public void Parse_LongFirstLineWithoutPunctuation_IsNotCutInsideASurrogatePair()
    {
        // 39 characters, then 𠀀 (U+20000, two UTF-16 units) across the 40-unit cut.
        var first = new string('文', 39) + "\U00020000" + new string('文', 10);
        var page = PageParser.Parse(first + "\n正文。")!;
        Assert.That(page.Title, Is.EqualTo(new string('文', 39)));
    }
}
