using NewsSearch.Api.V1;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>Over gRPC: past 10,000 hits the total says "at least" unless the client asks for an exact count.</summary>
public class TotalHitsTests
{
    private const int Articles = 10_600;
    private RunningService _service = null!;

    [OneTimeSetUp]
    public async Task StartWithManyArticlesThatShareAWord()
    {
        _service = await RunningService.StartAsync(s => s.WriteSeed("a.jsonl", CommonWordArticles.Seed(Articles)));
        await RunningService.WaitUntil(async () => (await _service.Client.GetStatsAsync(new GetStatsRequest())).ArticleCount == Articles,
            TimeSpan.FromSeconds(60));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    [Test]
    public async Task ACommonWord_IsCountedAsAtLeastTenThousand_AndExactlyWhenAsked()
    {
        var counted = await _service.Client.SearchAsync(new SearchRequest { Query = CommonWordArticles.Word });
        var exact = await _service.Client.SearchAsync(new SearchRequest { Query = CommonWordArticles.Word, ExactTotal = true });
        Assert.Multiple(() =>
        {
            Assert.That(counted.TotalHitsIsLowerBound, Is.True);
            Assert.That(counted.TotalHits, Is.InRange(10_000, Articles));
            Assert.That(exact.TotalHitsIsLowerBound, Is.False);
            Assert.That(exact.TotalHits, Is.EqualTo(Articles));
            Assert.That(counted.Hits.Select(h => h.Id), Is.EqualTo(exact.Hits.Select(h => h.Id)));
        });
    }
}
