extern alias client;

using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using NewsSearch.Api.V1;
using client::Microsoft.Extensions.DependencyInjection;
using client::NewsSearch.Client;

namespace NewsSearch.Server.Tests;

/// <summary>Related through the real gRPC service.</summary>
public class RelatedTests
{
    private RunningService _service = null!;

    [OneTimeSetUp]
    public async Task StartWithAStoryAndUnrelatedArticles() => _service = await StoryArticles.ServeAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    private async Task<List<string>> RelatedIds(RelatedRequest request) =>
        (await _service.Client.RelatedAsync(request)).Hits.Select(h => h.Id).ToList();

    [Test]
    public async Task Related_NeverReturnsTheArticleItself()
    {
        var ids = await RelatedIds(new RelatedRequest { Id = StoryArticles.FirstFlight, PageSize = 100 });
        Assert.That(ids, Does.Not.Contain(StoryArticles.FirstFlight));
        Assert.That(ids, Is.Not.Empty);
    }

    [Test]
    public async Task Related_NeverReturnsTheArticlesReprint_WhichSearchCollapsesIntoIt()
    {
        var ids = await RelatedIds(new RelatedRequest { Id = StoryArticles.FirstFlight, PageSize = 100 });
        Assert.That(ids, Does.Not.Contain(StoryArticles.Reprint));
        var search = await _service.Client.SearchAsync(new SearchRequest { Query = "MU9191" });
        Assert.That(search.Hits.Single().CollapsedIds, Is.EqualTo(new[] { StoryArticles.Reprint }).Or.EqualTo(new[] { StoryArticles.FirstFlight }),
            "the two are one near-duplicate cluster, so the exclusion above is the cluster's");
    }

    [Test]
    public async Task Related_RanksTheStorysFollowUpAboveUnrelatedArticles()
    {
        var ids = await RelatedIds(new RelatedRequest { Id = StoryArticles.FirstFlight, PageSize = 100 });
        Assert.That(ids.Take(2), Is.EquivalentTo(new[] { StoryArticles.FollowUp, StoryArticles.Delivery }),
            "the story's other two articles come first; unrelated ones, if they are ranked at all, after them");
    }

    [Test]
    public async Task Related_UnknownId_IsNotFound()
    {
        var e = Assert.ThrowsAsync<RpcException>(async () => await _service.Client.RelatedAsync(new RelatedRequest { Id = "no-such-article" }));
        Assert.Multiple(() =>
        {
            Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(e.Status.Detail, Does.Contain("no-such-article"));
        });
    }

    [Test]
    public async Task Related_DateFilters_KeepOnlyArticlesPublishedInTheRange()
    {
        var until2023 = await RelatedIds(new RelatedRequest { Id = StoryArticles.FirstFlight, PublishedTo = "2023-12-31", PageSize = 100 });
        var since2024 = await RelatedIds(new RelatedRequest { Id = StoryArticles.FirstFlight, PublishedFrom = "2024-01-01", PageSize = 100 });
        Assert.Multiple(() =>
        {
            Assert.That(until2023, Does.Contain(StoryArticles.FollowUp).And.Not.Contain(StoryArticles.Delivery));
            Assert.That(since2024, Is.EqualTo(new[] { StoryArticles.Delivery }));
        });
    }

    [Test]
    public async Task Related_PageSize_LimitsTheHits()
    {
        var ids = await RelatedIds(new RelatedRequest { Id = StoryArticles.FirstFlight, PageSize = 1 });
        Assert.That(ids, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Related_WithExplain_SaysWhichOfTheArticlesWordsMatched()
    {
        var response = await _service.Client.RelatedAsync(new RelatedRequest { Id = StoryArticles.FirstFlight, Explain = true });
        var top = response.Hits[0];
        Assert.Multiple(() =>
        {
            Assert.That(top.Explanation.Parts.Select(p => p.Concept), Does.Contain("c919").And.Contain("旅客"), "words as the engine reads them: folded to lower case and Simplified");
            Assert.That(top.Explanation.Parts.Sum(p => p.Share), Is.EqualTo(1).Within(0.01));
        });
    }

    [Test]
    public async Task RelatedAsync_OfTheTypedClient_ReturnsTheStorysOtherArticles()
    {
        var services = new ServiceCollection();
        services.AddNewsSearchClient(o => o.Addresses = [new Uri(_service.Address)]);
        await using var provider = services.BuildServiceProvider();
        var response = await provider.GetRequiredService<NewsSearchClient>().RelatedAsync(StoryArticles.FirstFlight, publishedTo: "2023-12-31");
        Assert.That(response.Hits.First().Id, Is.EqualTo(StoryArticles.FollowUp));
    }

    private static IEnumerable<TestCaseData> BadRequests()
    {
        yield return new TestCaseData(new RelatedRequest { Id = "" }, "id").SetName("Related_EmptyId");
        yield return new TestCaseData(new RelatedRequest { Id = StoryArticles.FirstFlight, PageSize = 1000 }, "page_size").SetName("Related_PageSizeOutOfRange");
        yield return new TestCaseData(new RelatedRequest { Id = StoryArticles.FirstFlight, PublishedFrom = "yesterday" }, "published_from").SetName("Related_UnparseableDate");
        yield return new TestCaseData(new RelatedRequest { Id = StoryArticles.FirstFlight, PublishedFrom = "2024-01-01", PublishedTo = "2023-01-01" }, "published_from").SetName("Related_FromAfterTo");
    }

    [TestCaseSource(nameof(BadRequests))]
    public void Related_BadRequest_IsInvalidArgumentNamingTheField(RelatedRequest request, string field)
    {
        var e = Assert.ThrowsAsync<RpcException>(async () => await _service.Client.RelatedAsync(request));
        var violation = e!.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(e.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(violation?.Field, Is.EqualTo(field));
        });
    }
}
