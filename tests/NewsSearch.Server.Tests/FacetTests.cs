using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using NewsSearch.Api.V1;

namespace NewsSearch.Server.Tests;

/// <summary>Date histograms and source counts on Search, through the real service, in its default zone (Asia/Shanghai).</summary>
public class FacetTests
{
    private const int MaxBuckets = 60;
    private RunningService _service = null!;

    /// <summary>Every article mentions 芯片; one is undated and one names no source.</summary>
    private static readonly (string Id, string? Published, string? Source)[] Articles =
    [
        ("jan", "2024-01-15", "央视新闻"),
        ("late-march-shanghai", "2024-03-31T23:30:00+08:00", "央视新闻"), // 15:30 UTC: March in Shanghai
        ("late-march-utc", "2024-03-31T23:30:00Z", "新华社"),             // 07:30 on April 1 in Shanghai
        ("sunday", "2024-03-24T23:59:00+08:00", "新华社"),                // the last minute of ISO week 2024-W12
        ("monday", "2024-03-25", "央视新闻"),                             // the first day of ISO week 2024-W13
        ("april", "2024-04-02", null),
        ("undated", null, "人民日报"),
    ];

    [OneTimeSetUp]
    public async Task StartWithArticlesAroundMonthAndWeekBoundaries()
    {
        _service = await RunningService.StartAsync(s => s.WriteSeed("news.jsonl", string.Join('\n', Articles.Select(Line)) + "\n"),
            extraArgs: ["--Search:MaxFacetBuckets", MaxBuckets.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await RunningService.WaitUntil(async () => (await _service.Client.GetStatsAsync(new GetStatsRequest())).ArticleCount == Articles.Length,
            TimeSpan.FromSeconds(20));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    private static string Line((string Id, string? Published, string? Source) a) => JsonSerializer.Serialize(
        new Dictionary<string, string?> { ["id"] = a.Id, ["title"] = "芯片产业 " + a.Id, ["body"] = "国产芯片的新进展。", ["published"] = a.Published, ["source"] = a.Source }
            .Where(kv => kv.Value is not null).ToDictionary());

    private Task<SearchResponse> Search(FacetRequest facets, string from = "", string to = "") =>
        _service.Client.SearchAsync(new SearchRequest { Query = "芯片", PublishedFrom = from, PublishedTo = to, Facets = facets }).ResponseAsync;

    [Test]
    public async Task MonthHistogram_CountsEveryHitInItsShanghaiMonth_WithEmptyMonthsAndTheUndatedApart()
    {
        var response = await Search(new FacetRequest { DateHistogram = FacetInterval.Month });

        var buckets = response.Facets.DateBuckets;
        Assert.Multiple(() =>
        {
            Assert.That(buckets.Select(b => (b.Label, b.Count)),
                Is.EqualTo(new[] { ("2024-01", 1L), ("2024-02", 0L), ("2024-03", 3L), ("2024-04", 2L) }));
            Assert.That(response.Facets.Undated, Is.EqualTo(1));
            Assert.That(buckets.Sum(b => b.Count) + response.Facets.Undated, Is.EqualTo(response.TotalHits));
            Assert.That(buckets[2].Start.ToDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.FromHours(8))));
            Assert.That(buckets[2].End.ToDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2024, 4, 1, 0, 0, 0, TimeSpan.FromHours(8))));
        });
    }

    [Test]
    public async Task WeekHistogram_StartsWeeksOnMonday_AndShowsEveryWeekOfTheRequestedRange()
    {
        var response = await Search(new FacetRequest { DateHistogram = FacetInterval.Week }, from: "2024-03-11", to: "2024-04-14");

        Assert.Multiple(() =>
        {
            // The week of the 11th holds nothing and the week of the 8th only the end of the range: both are shown.
            Assert.That(response.Facets.DateBuckets.Select(b => (b.Label, b.Count)),
                Is.EqualTo(new[] { ("2024-03-11", 0L), ("2024-03-18", 1L), ("2024-03-25", 2L), ("2024-04-01", 2L), ("2024-04-08", 0L) }));
            Assert.That(response.Facets.DateBuckets.Sum(b => b.Count), Is.EqualTo(response.TotalHits));
            Assert.That(response.Facets.Undated, Is.Zero);
        });
    }

    [Test]
    public async Task SourceCounts_NameTheMostFrequentAndCountTheRestAndTheMissing()
    {
        var response = await Search(new FacetRequest { SourceTop = 1 });

        Assert.Multiple(() =>
        {
            Assert.That(response.Facets.Sources.Select(s => (s.Source, s.Count)), Is.EqualTo(new[] { ("央视新闻", 3L) }));
            Assert.That(response.Facets.OtherSources, Is.EqualTo(3), "新华社 twice, 人民日报 once");
            Assert.That(response.Facets.MissingSource, Is.EqualTo(1));
            Assert.That(3 + response.Facets.OtherSources + response.Facets.MissingSource, Is.EqualTo(response.TotalHits));
            Assert.That(response.Facets.DateBuckets, Is.Empty, "no histogram was asked for");
        });
    }

    [Test]
    public async Task Facets_OnTheSecondPage_CountAllHitsAsOnTheFirst()
    {
        var facets = new FacetRequest { DateHistogram = FacetInterval.Year, SourceTop = 5 };
        var first = await _service.Client.SearchAsync(new SearchRequest { Query = "芯片", PageSize = 3, Facets = facets });
        var second = await _service.Client.SearchAsync(new SearchRequest { Query = "芯片", PageSize = 3, Facets = facets, PageToken = first.NextPageToken });

        Assert.Multiple(() =>
        {
            Assert.That(second.Hits.Select(h => h.Id), Is.Not.EquivalentTo(first.Hits.Select(h => h.Id)));
            Assert.That(second.Facets, Is.EqualTo(first.Facets));
            Assert.That(second.Facets.DateBuckets.Single().Count, Is.EqualTo(6));
        });
    }

    [Test]
    public async Task Search_WithoutFacets_ReturnsNone()
    {
        var response = await _service.Client.SearchAsync(new SearchRequest { Query = "芯片" });
        Assert.That(response.Facets, Is.Null);
    }

    private static IEnumerable<TestCaseData> TooManyBuckets()
    {
        yield return new TestCaseData(new FacetRequest { DateHistogram = FacetInterval.Day }, "2024-01-01", "2024-12-31").SetName("DaysOfAGivenYear");
        // Open-ended: the hits themselves span January 15 to April 2, 79 days.
        yield return new TestCaseData(new FacetRequest { DateHistogram = FacetInterval.Day }, "", "").SetName("DaysBetweenTheHits");
        yield return new TestCaseData(new FacetRequest { DateHistogram = FacetInterval.Year }, "1900-01-01", "2024-12-31").SetName("YearsOfACentury");
    }

    [TestCaseSource(nameof(TooManyBuckets))]
    public void DateHistogram_NeedingMoreBucketsThanAllowed_IsInvalidArgumentSayingSo(FacetRequest facets, string from, string to)
    {
        var e = Assert.ThrowsAsync<RpcException>(async () => await Search(facets, from, to));
        Assert.Multiple(() =>
        {
            Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field, Is.EqualTo("facets.date_histogram"));
            Assert.That(e.Status.Detail, Does.Contain($"more than {MaxBuckets} buckets"));
            // Advice the client can follow: no longer interval than a year to ask for.
            Assert.That(e.Status.Detail, facets.DateHistogram == FacetInterval.Year ? Does.Not.Contain("interval") : Does.Contain("longer interval"));
        });
    }

    [TestCase(-1)]
    [TestCase(1001)]
    public void SourceTop_OutOfRange_IsInvalidArgumentNamingIt(int top)
    {
        var e = Assert.ThrowsAsync<RpcException>(async () => await Search(new FacetRequest { SourceTop = top }));
        Assert.Multiple(() =>
        {
            Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field, Is.EqualTo("facets.source_top"));
        });
    }

    [Test]
    public void DateHistogram_UnknownInterval_IsInvalidArgument()
    {
        var e = Assert.ThrowsAsync<RpcException>(async () => await Search(new FacetRequest { DateHistogram = (FacetInterval)9 }));
        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }
}
