using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

public class InvalidRequestTests
{
    private TestEngine _t = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _t = new TestEngine();
        _t.AddSeed("a.jsonl", Jsonl.Lines(Jsonl.Record("a", "芯片", "芯片产业", "2025-07-01")));
    }

    [OneTimeTearDown]
    public void TearDown() => _t.Dispose();

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new SearchRequest("芯片", "2025-08-01", "2025-07-01"), "published_from", "after published_to").SetName("FromAfterTo");
        yield return new TestCaseData(new SearchRequest("芯片", "2025-13-45"), "published_from", "not a date").SetName("UnparseableFrom");
        yield return new TestCaseData(new SearchRequest("芯片", null, "yesterday"), "published_to", "not a date").SetName("UnparseableTo");
        yield return new TestCaseData(new SearchRequest("芯片", PageSize: 101), "page_size", "between 1 and 100").SetName("PageSizeTooLarge");
        yield return new TestCaseData(new SearchRequest("芯片", PageSize: -1), "page_size", "between 1 and 100").SetName("PageSizeNegative");
        yield return new TestCaseData(new SearchRequest("\"芯片 产业"), "query", "never closed").SetName("UnbalancedQuote");
        yield return new TestCaseData(new SearchRequest("(芯片 OR 产业"), "query", "never closed").SetName("UnclosedParenthesis");
        yield return new TestCaseData(new SearchRequest("芯片) 产业"), "query", "no '(' before it").SetName("StrayClosingParenthesis");
        yield return new TestCaseData(new SearchRequest(""), "query", "query is empty").SetName("EmptyQueryWithoutFilter");
        yield return new TestCaseData(new SearchRequest(new string('(', 5000) + new string(')', 5000)), "query", "more than 16 deep").SetName("DeeplyNestedParentheses");
        yield return new TestCaseData(new SearchRequest(new string('芯', 10_001)), "query", "at most 10000").SetName("OverlongQuery");
        yield return new TestCaseData(new SearchRequest(new string('(', 16) + string.Join(" OR ", Enumerable.Repeat("芯", 1625)) + new string(')', 16)),
            "query", "more than 1024 search clauses").SetName("NestedOrChainPastTheClauseCap");
        yield return new TestCaseData(new SearchRequest(string.Join(" ", Enumerable.Range(0, 3300).Select(i => "-" + (char)('一' + i)))),
            "query", "more than 1024 search clauses").SetName("ThousandsOfExclusions");
        yield return new TestCaseData(new SearchRequest("+" + string.Join("、", Enumerable.Range(0, 300).Select(i => (char)(0x4E00 + i * 5)))), "query", "more than 1024 search clauses").SetName("RequiredListOfCharactersPastTheClauseCap");
        yield return new TestCaseData(new SearchRequest("。,!?"), "query", "nothing searchable").SetName("OnlyPunctuation");
        yield return new TestCaseData(new SearchRequest("   "), "query", "query is empty").SetName("BlankQueryWithoutFilter");
        yield return new TestCaseData(new SearchRequest("芯片", PageToken: "not-a-token"), "page_token", "not a token").SetName("GarbagePageToken");
        yield return new TestCaseData(new SearchRequest("芯片", PageToken: "cDE6OTk5OTk6eHl6"), "page_token", "not a token this service issued").SetName("TokenOfTheOldUnsignedForm");
    }

    [TestCaseSource(nameof(Cases))]
    public void Search_BadRequest_NamesTheFieldAndTheProblem(SearchRequest request, string field, string message)
    {
        var e = Assert.Throws<InvalidRequestException>(() => _t.Engine.Search(request));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Field, Is.EqualTo(field));
            Assert.That(e.Message, Does.Contain(message));
        });
    }

    [Test]
    public void GetArticle_UnknownId_ThrowsNotFound()
    {
        Assert.Throws<ArticleNotFoundException>(() => _t.Engine.GetArticle("nope"));
    }
}
