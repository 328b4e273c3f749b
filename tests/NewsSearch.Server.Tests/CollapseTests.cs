using Grpc.Core;
using NewsSearch.Api.V1;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>Near-duplicate collapse through the real service: reprints show once, with their copies' ids.</summary>
public class CollapseTests
{
    private const int Families = 7;
    private RunningService _service = null!;

    [OneTimeSetUp]
    public async Task StartWithReprintedNews()
    {
        _service = await RunningService.StartAsync(s =>
        {
            s.WriteSeed("c919.jsonl", Jsonl.Lines(
                Jsonl.Record("a", Reprints.Title, Reprints.Body, "2023-05-28"),
                Jsonl.Record("c", Reprints.OtherTitle, Reprints.OtherBody, "2023-06-01")));
            s.WriteSeed("reprints.jsonl", Jsonl.Lines(Jsonl.Record("b", Reprints.ReprintTitle, Reprints.ReprintBody, "2023-05-29")));
            s.WriteSeed("harbours.jsonl", Jsonl.Lines(HarbourStories().ToArray()));
        });
        await RunningService.WaitUntil(async () => (await _service.Client.GetStatsAsync(new GetStatsRequest())).ArticleCount == 3 + 2 * Families,
            TimeSpan.FromSeconds(30));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    /// <summary>Unrelated stories that all mention 港口, each printed twice (the copy with a note added).</summary>
    private static IEnumerable<string> HarbourStories()
    {
        const string common = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理";
        for (var i = 0; i < Families; i++)
        {
            var random = new Random(1000 + i);
            var text = string.Concat(Enumerable.Range(0, 240).Select(_ => common[random.Next(common.Length)]));
            var body = $"{text[..80]}港口{text[80..160]}。\n{text[160..]}。";
            yield return Jsonl.Record($"h{i}", $"港口新闻{i}", body, $"2024-01-{10 + i:00}");
            yield return Jsonl.Record($"h{i}-copy", $"转载：港口新闻{i}", body + "\n（来源：本报记者）", $"2024-01-{12 + i:00}");
        }
    }

    [Test]
    public async Task AReprintedArticle_AppearsOnce_CarryingItsCopysId()
    {
        var response = await _service.Client.SearchAsync(new SearchRequest { Query = "C919" });
        var story = response.Hits.Single(h => h.Id is "a" or "b");
        Assert.Multiple(() =>
        {
            Assert.That(response.Hits.Select(h => h.Id).ToList(), Has.Count.EqualTo(2).And.Contains("c"));
            Assert.That(story.CollapsedCount, Is.EqualTo(1));
            Assert.That(story.CollapsedIds, Is.EqualTo(new[] { story.Id == "a" ? "b" : "a" }));
            Assert.That(response.Hits.Single(h => h.Id == "c").CollapsedIds, Is.Empty);
            Assert.That(response.TotalHits, Is.EqualTo(3), "total_hits counts articles");
            Assert.That(response.TotalClusters, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task CollapseFalse_ShowsEveryCopy()
    {
        var response = await _service.Client.SearchAsync(new SearchRequest { Query = "C919", Collapse = false });
        Assert.Multiple(() =>
        {
            Assert.That(response.Hits.Select(h => h.Id), Is.EquivalentTo(new[] { "a", "b", "c" }));
            Assert.That(response.Hits.Select(h => h.CollapsedCount), Is.All.Zero);
            Assert.That(response.TotalHits, Is.EqualTo(3));
            Assert.That(response.TotalClusters, Is.Zero);
        });
    }

    [Test]
    public async Task ASearchRestrictedToIds_ShowsEveryNamedArticle_UnlessCollapseIsAsked()
    {
        var named = await _service.Client.SearchAsync(new SearchRequest { Query = "C919", Ids = { "a", "b" } });
        var collapsed = await _service.Client.SearchAsync(new SearchRequest { Query = "C919", Ids = { "a", "b" }, Collapse = true });
        Assert.Multiple(() =>
        {
            Assert.That(named.Hits.Select(h => h.Id), Is.EquivalentTo(new[] { "a", "b" }));
            Assert.That(collapsed.Hits.Select(h => h.CollapsedCount), Is.EqualTo(new[] { 1 }));
        });
    }

    [Test]
    public async Task SortedNewestFirst_ACluster_ShowsItsNewestCopy()
    {
        var response = await _service.Client.SearchAsync(new SearchRequest { Query = "C919", Sort = SortOrder.NewestFirst });
        Assert.That(response.Hits.Select(h => (h.Id, string.Join(",", h.CollapsedIds))), Is.EqualTo(new[] { ("c", ""), ("b", "a") }));
    }

    [Test]
    public async Task Paging_NeverRepeatsAClusterOfAnEarlierPage_AndReachesEveryCluster()
    {
        var shown = new List<string>();
        var request = new SearchRequest { Query = "港口", PageSize = 3 };
        var pages = 0;
        long clusters = 0;
        do
        {
            var response = await _service.Client.SearchAsync(request);
            clusters = response.TotalClusters;
            shown.AddRange(response.Hits.SelectMany(h => h.CollapsedIds.Prepend(h.Id)).Select(id => id.Replace("-copy", "")));
            Assert.That(response.Hits.All(h => h.CollapsedCount == 1), Is.True, $"page {pages + 1}: every story has its copy collapsed into it");
            request.PageToken = response.NextPageToken;
            pages++;
        } while (request.PageToken != "" && pages < 10);
        Assert.Multiple(() =>
        {
            Assert.That(pages, Is.EqualTo(3));
            Assert.That(clusters, Is.EqualTo(Families));
            Assert.That(shown, Has.Count.EqualTo(2 * Families));
            Assert.That(shown.Distinct(), Is.EquivalentTo(Enumerable.Range(0, Families).Select(i => $"h{i}")));
        });
    }

    [Test]
    public async Task APageTokenOfACollapsedSearch_IsRefusedForTheSameSearchWithCollapseOff()
    {
        var first = await _service.Client.SearchAsync(new SearchRequest { Query = "港口", PageSize = 2 });
        var e = Assert.ThrowsAsync<RpcException>(async () =>
            await _service.Client.SearchAsync(new SearchRequest { Query = "港口", PageSize = 2, PageToken = first.NextPageToken, Collapse = false }));
        Assert.Multiple(() =>
        {
            Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(e.Status.Detail, Does.Contain("page_token"));
        });
    }
}
