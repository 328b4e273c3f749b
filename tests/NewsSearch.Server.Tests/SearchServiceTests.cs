using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using NewsSearch.Api.V1;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

public class SearchServiceTests
{
    private RunningService _service = null!;

    [OneTimeSetUp]
    public async Task StartWithTheExamplePage()
    {
        _service = await RunningService.StartAsync(s =>
            File.Copy(RepoPaths.ExamplePage, Path.Combine(s.SeedsPath, Path.GetFileName(RepoPaths.ExamplePage))));
        await RunningService.WaitUntil(async () => (await _service.Client.GetStatsAsync(new GetStatsRequest())).ArticleCount == 1,
            TimeSpan.FromSeconds(20));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    [Test]
    public async Task Search_ChipsSinceJuly2025_FindsTheExampleArticleWithItsRealTitle()
    {
        var response = await _service.Client.SearchAsync(new SearchRequest { Query = "芯片", PublishedFrom = "2025-07-01" });
        Assert.Multiple(() =>
        {
            Assert.That(response.TotalHits, Is.EqualTo(1));
            Assert.That(response.Hits[0].Id, Is.EqualTo("000_df2e5f634929cce1"));
            Assert.That(response.Hits[0].Title, Is.EqualTo("美财长不小心说出实情?中国芯片已经要追上来"));
            Assert.That(response.Hits[0].Snippet, Does.Contain("<em>芯片</em>"));
            Assert.That(response.Hits[0].Published.ToDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2025, 7, 28, 0, 0, 0, TimeSpan.FromHours(8))));
        });
    }

    [Test]
    public async Task GetArticle_ReturnsTheFullArticleAndHowItWasDated()
    {
        var article = await _service.Client.GetArticleAsync(new GetArticleRequest { Id = "000_df2e5f634929cce1" });
        Assert.Multiple(() =>
        {
            Assert.That(article.Body, Does.Contain("黄仁勋本人在北京链博会上说"));
            Assert.That(article.DateSource, Is.EqualTo(DateSource.PageListing));
        });
    }

    [Test]
    public void GetArticle_UnknownId_IsNotFound()
    {
        var e = Assert.ThrowsAsync<RpcException>(async () => await _service.Client.GetArticleAsync(new GetArticleRequest { Id = "no-such-id" }));
        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.NotFound));
    }

    private static IEnumerable<TestCaseData> BadRequests()
    {
        yield return new TestCaseData(new SearchRequest { Query = "芯片", PublishedFrom = "2025-08-01", PublishedTo = "2025-07-01" }, "published_from").SetName("FromAfterTo");
        yield return new TestCaseData(new SearchRequest { Query = "芯片", PublishedTo = "31/07/2025" }, "published_to").SetName("UnparseableDate");
        yield return new TestCaseData(new SearchRequest { Query = "芯片", PageSize = 1000 }, "page_size").SetName("PageSizeOutOfRange");
        yield return new TestCaseData(new SearchRequest { Query = "\"芯片" }, "query").SetName("UnbalancedQuote");
        yield return new TestCaseData(new SearchRequest { Query = "(芯片" }, "query").SetName("UnbalancedParenthesis");
        yield return new TestCaseData(new SearchRequest { Query = "" }, "query").SetName("EmptyQueryNoFilter");
        yield return new TestCaseData(new SearchRequest { Query = "芯片", PageToken = "garbage!" }, "page_token").SetName("InvalidPageToken");
        yield return new TestCaseData(new SearchRequest { Query = "芯片", Sort = (SortOrder)7 }, "sort").SetName("UnknownSort");
    }

    [TestCaseSource(nameof(BadRequests))]
    public void Search_BadRequest_IsInvalidArgumentNamingTheField(SearchRequest request, string field)
    {
        var e = Assert.ThrowsAsync<RpcException>(async () => await _service.Client.SearchAsync(request));
        var violation = e!.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(e.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(violation?.Field, Is.EqualTo(field));
            Assert.That(e.Status.Detail, Does.Contain(field));
        });
    }

    [Test]
    public async Task Health_ReportsServing()
    {
        var reply = await _service.Health.CheckAsync(new HealthCheckRequest());
        Assert.That(reply.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
    }
}
