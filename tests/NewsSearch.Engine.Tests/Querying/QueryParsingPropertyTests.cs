using CsCheck;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>Whatever a client types, parsing and building a query either succeed or refuse it as an invalid request.</summary>
public class QueryParsingPropertyTests
{
    private static readonly QueryBuilder Builder = new(new UserDictionary());

    private static readonly string[] Pieces =
    [
        "(", ")", "\"", "+", "-", " OR ", "OR", " ", "  ", "芯片", "港口", "的", "马克龙", "a", "C919", "COVID-19", "。", ",",
        "\uD800", "\uDC00", "\uD83D\uDE00", "\U00020000", "(((", ")))", "\"\"", "-(", "+\"", "\t", "\u3000", "ＡＢＣ", "華為",
    ];

    /// <summary>Text built from the query syntax, Chinese words and awkward characters, lone surrogates included.</summary>
    private static readonly Gen<string> Syntax = Gen.OneOf(Pieces).Array[0, 60].Select(string.Concat);

    private static readonly Gen<string> AnyText = Gen.String[Gen.Char, 0, 200];

    private static readonly Gen<string> DeepNesting =
        Gen.Select(Gen.Int[0, 40], Gen.Int[0, 40], Syntax, (open, close, inner) => new string('(', open) + inner + new string(')', close));

    private static readonly Gen<string> OrChains =
        Gen.Select(Gen.Int[1, 2500], Gen.OneOf("芯", "片", "a", "港口", "(芯 片)", "-芯", "\"芯片\""), Gen.Int[0, 16],
            (n, alternative, depth) => new string('(', depth) + string.Join(" OR ", Enumerable.Repeat(alternative, n)) + new string(')', depth));

    private static void ParsesAndBuildsOrRefuses(string query)
    {
        try
        {
            Builder.Build(UserQueryParser.Parse(query));
        }
        catch (InvalidRequestException)
        {
        }
    }

    [Test]
    public void ParseAndBuild_AnyText_SucceedOrRefuseAsInvalidRequest() => AnyText.Sample(ParsesAndBuildsOrRefuses, iter: 2000);

    [Test]
    public void ParseAndBuild_QuerySyntaxInAnyOrder_SucceedOrRefuseAsInvalidRequest() => Syntax.Sample(ParsesAndBuildsOrRefuses, iter: 3000);

    [Test]
    public void ParseAndBuild_DeepOrUnbalancedNesting_SucceedOrRefuseAsInvalidRequest() => DeepNesting.Sample(ParsesAndBuildsOrRefuses, iter: 1000);

    [Test]
    public void ParseAndBuild_LongOrChains_SucceedOrRefuseAsInvalidRequest() => OrChains.Sample(ParsesAndBuildsOrRefuses, iter: 150);

    [Test]
    public void Build_SixteenLevelsOfFourteenWordGroups_BuildsOneQuery()
    {
        // 16 nested groups of 14 words each: once built twice per level (2^16 builds), now once per level.
        const string level = "芯片 港口 铁路 航空 能源 环境 教育 医疗 文化 体育 新闻 记者 会议 投资";
        var query = "经济";
        for (var d = 0; d < 16; d++) query = level + " (" + query + ")";
        Assert.That(Builder.Build(UserQueryParser.Parse(query)).Query, Is.Not.Null);
    }
}
