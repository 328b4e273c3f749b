using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine.Tests.Querying;

public class UserQueryParserTests
{
    [Test]
    public void Parse_WordsPhrasesRequiredAndExcluded_GivesOneClauseEach()
    {
        var nodes = UserQueryParser.Parse("芯片 \"出口 管制\" +美国 -日本");
        Assert.That(nodes, Is.EqualTo(new QueryNode[]
        {
            new TextNode("芯片", Occurrence.Default),
            new PhraseNode("出口 管制", Occurrence.Default),
            new TextNode("美国", Occurrence.Required),
            new TextNode("日本", Occurrence.Excluded),
        }));
    }

    [Test]
    public void Parse_OrBetweenClauses_JoinsThemAsAlternatives()
    {
        var nodes = UserQueryParser.Parse("(华为 OR 小米) 手机");
        Assert.Multiple(() =>
        {
            Assert.That(nodes, Has.Count.EqualTo(2));
            Assert.That(((GroupNode)nodes[0]).Clauses.Single(), Is.TypeOf<AnyNode>());
        });
    }

    [Test]
    public void Parse_PastedTextWithChineseQuotesAndFullWidthBrackets_IsPlainText()
    {
        var pasted = "经审理查明:2019年5月,被告人李某\uFF08男,汉族\uFF09以\u201C帮忙办理贷款\u201D为由,骗取被害人人民币3万元。\u201C";
        var nodes = UserQueryParser.Parse(pasted);
        Assert.That(nodes.All(n => n is TextNode { Occurrence: Occurrence.Default }), Is.True);
    }

    [TestCase("国产大飞机C919执行首次商业飞行 (东方航空MU9191航班从上海虹桥机场起飞，平稳降落在北京首都机场", TestName = "an opening bracket cut off")]
    [TestCase("东方航空MU9191航班从上海虹桥机场起飞) 平稳降落在北京首都机场，这是C919首次投入商业运营", TestName = "a closing bracket without its opening one")]
    [TestCase("中国商飞表示 \"C919的商业运营标志着国产大飞机正式进入民航市场", TestName = "a quote cut off")]
    [TestCase("OR 东方航空机组表示，飞机操纵性能良好，旅客乘坐体验舒适。民航局将继续做好适航审定", TestName = "OR with nothing before it")]
    public void Parse_PastedParagraphWhoseSyntaxDoesNotParse_IsReadAsPlainTextWhole(string pasted)
    {
        Assert.That(UserQueryParser.MayBePasted(pasted), Is.True);
        Assert.That(UserQueryParser.Parse(pasted), Is.EqualTo(new QueryNode[] { new TextNode(pasted, Occurrence.Default) }));
    }

    [TestCase("(芯片 OR 产业")]
    [TestCase("\"芯片 产业")]
    [TestCase("\"climate change\" (policy OR regulation", TestName = "an English query of 34 letters in five words")]
    public void Parse_TypedQueryWhoseSyntaxDoesNotParse_IsStillRefused_SoTheReaderCanFixIt(string typed)
    {
        Assert.That(UserQueryParser.MayBePasted(typed), Is.False);
        Assert.Throws<InvalidRequestException>(() => UserQueryParser.Parse(typed));
    }

    [Test]
    public void MayBePasted_CountsChineseCharactersAndOtherWords_NotSpacesOrPunctuation()
    {
        Assert.Multiple(() =>
        {
            Assert.That(UserQueryParser.MayBePasted(new string('中', UserQueryParser.PastedLetters)), Is.False);
            Assert.That(UserQueryParser.MayBePasted(new string('中', UserQueryParser.PastedLetters + 1)), Is.True);
            Assert.That(UserQueryParser.MayBePasted(new string(' ', 500) + "芯片" + new string('，', 500)), Is.False);
            Assert.That(UserQueryParser.MayBePasted(string.Join(' ', Enumerable.Repeat("word", 12))), Is.False, "12 English words");
            Assert.That(UserQueryParser.MayBePasted(string.Join(' ', Enumerable.Repeat("word", 13))), Is.True, "13 English words");
        });
    }

    [Test]
    public void Parse_HyphenInsideAWord_IsPartOfTheWord()
    {
        Assert.That(UserQueryParser.Parse("COVID-19"), Is.EqualTo(new QueryNode[] { new TextNode("COVID-19", Occurrence.Default) }));
    }
}
