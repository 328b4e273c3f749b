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

    [Test]
    public void Parse_HyphenInsideAWord_IsPartOfTheWord()
    {
        Assert.That(UserQueryParser.Parse("COVID-19"), Is.EqualTo(new QueryNode[] { new TextNode("COVID-19", Occurrence.Default) }));
    }
}
