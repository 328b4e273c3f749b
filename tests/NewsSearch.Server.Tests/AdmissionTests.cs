extern alias client;

using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using NewsSearch.Api.V1;
using client::Microsoft.Extensions.DependencyInjection;
using client::NewsSearch.Client;

namespace NewsSearch.Server.Tests;

/// <summary>
/// Searches past the service's capacity wait their turn, then are turned away with a status a caller can act on, and
/// long ones cannot take the slots short ones need. Each test holds the slots itself, through the service's own
/// <see cref="SearchAdmission"/>, so what it shows does not depend on how fast this machine searches.
/// </summary>
public class AdmissionTests
{
    private const string Words = "国产大飞机";
    /// <summary>More letters than <see cref="Engine.Querying.UserQueryParser.PastedLetters"/>: ranked as a pasted paragraph.</summary>
    private const string Paragraph = "国产大飞机C919执行首次商业飞行，东方航空MU9191航班从上海虹桥机场起飞，平稳降落在北京首都机场。";

    private static Task<RunningService> Serve(params string[] args) => StoryArticles.ServeAsync(args);

    private static SearchAdmission AdmissionOf(RunningService s) => s.Services.GetRequiredService<SearchAdmission>();

    [Test]
    public void LaneOf_PutsAPastedParagraphInTheLongLane_AndAFewWordsInTheShortOne()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SearchAdmission.LaneOf(Paragraph), Is.EqualTo(SearchLane.Long));
            Assert.That(SearchAdmission.LaneOf(Words + " 东方航空 \"首次商业飞行\""), Is.EqualTo(SearchLane.Short));
            Assert.That(SearchAdmission.LaneOf(new string(' ', 500) + Words), Is.EqualTo(SearchLane.Short), "spaces are not words");
        });
    }

    [Test]
    public async Task Search_WhenEverySlotIsTakenAndNoneMayWait_IsRefusedAsUnavailable_AndAnsweredOnceOneFrees()
    {
        await using var s = await Serve("--Search:MaxConcurrentSearches", "1", "--Search:MaxQueuedSearches", "0");
        using (await AdmissionOf(s).EnterAsync(SearchLane.Short, null, default))
        {
            var e = Assert.ThrowsAsync<RpcException>(async () => await s.Client.SearchAsync(new SearchRequest { Query = Words }));
            Assert.Multiple(() =>
            {
                Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
                Assert.That(e.Status.Detail, Does.Contain("busy").And.Contain("retry"));
            });
        }
        Assert.That((await s.Client.SearchAsync(new SearchRequest { Query = Words })).TotalHits, Is.GreaterThan(0));
    }

    [Test]
    public async Task GetArticle_WaitsInTheShortSearchesLane_RefusedAsBusyWhenItIsFull_AndAnsweredOnceASlotFrees()
    {
        await using var s = await Serve("--Search:MaxConcurrentSearches", "1", "--Search:MaxQueuedSearches", "0");
        var request = new GetArticleRequest { Id = StoryArticles.FirstFlight };
        using (await AdmissionOf(s).EnterAsync(SearchLane.Short, null, default))
        {
            var e = Assert.ThrowsAsync<RpcException>(async () => await s.Client.GetArticleAsync(request));
            Assert.Multiple(() =>
            {
                Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
                Assert.That(e.Status.Detail, Does.Contain("busy"));
            });
        }
        Assert.That((await s.Client.GetArticleAsync(request)).Id, Is.EqualTo(StoryArticles.FirstFlight));
    }

    [Test]
    public async Task BusyRefusal_IsNotRetriedByTheClientLibrary_IntoTheSameQueue()
    {
        // The service's defaults (a wait of 1 s) and the client's (4 attempts, retrying UNAVAILABLE, 5 s deadline).
        await using var s = await Serve("--Search:MaxConcurrentSearches", "1");
        var admission = AdmissionOf(s);
        using var slot = await admission.EnterAsync(SearchLane.Short, null, default);
        var services = new ServiceCollection();
        services.AddNewsSearchClient(o => o.Addresses = [new Uri(s.Address.Replace("//0.0.0.0:", "//127.0.0.1:"))]);
        await using var provider = services.BuildServiceProvider();

        var e = Assert.ThrowsAsync<RpcException>(async () => await provider.GetRequiredService<NewsSearchClient>().SearchAsync(Words));
        Assert.Multiple(() =>
        {
            Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(e.Status.Detail, Does.Contain("busy"));
            Assert.That(admission.Refused(SearchLane.Short), Is.EqualTo(1), "one attempt, not one per retry");
        });
    }

    [Test]
    public async Task BusyRefusal_IsTriedOnceMoreOnTheNextReplica_WhenTheClientKnowsSeveral()
    {
        await using var busy = await Serve("--Search:MaxConcurrentSearches", "1", "--Search:MaxQueuedSearches", "0");
        await using var free = await Serve();
        using var slot = await AdmissionOf(busy).EnterAsync(SearchLane.Short, null, default);
        var services = new ServiceCollection();
        services.AddNewsSearchClient(o => o.Addresses = [Loopback(busy), Loopback(free)]);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<NewsSearchClient>();

        // Round-robin sends every other call to the busy replica once both connections are up. Until the channel has
        // connected to both, a retry may find only the busy one: wait for a call refused there and answered elsewhere.
        await RunningService.WaitUntil(async () =>
        {
            var before = AdmissionOf(busy).Refused(SearchLane.Short);
            try
            {
                await client.SearchAsync(Words);
                return AdmissionOf(busy).Refused(SearchLane.Short) == before + 1;
            }
            catch (RpcException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20));
        var refused = AdmissionOf(busy).Refused(SearchLane.Short);
        for (var i = 0; i < 20; i++)
            Assert.That((await client.SearchAsync(Words)).TotalHits, Is.GreaterThan(0), $"call {i}");
        Assert.That(AdmissionOf(busy).Refused(SearchLane.Short) - refused, Is.GreaterThanOrEqualTo(5),
            "calls reached the busy replica and were answered elsewhere");
    }

    private static Uri Loopback(RunningService s) => new(s.Address.Replace("//0.0.0.0:", "//127.0.0.1:"));

    [Test]
    public async Task Search_WaitingForItsTurn_IsAnsweredWhenASlotFrees()
    {
        await using var s = await Serve("--Search:MaxConcurrentSearches", "1", "--Search:MaxQueueWait", "00:00:30");
        var admission = AdmissionOf(s);
        var slot = await admission.EnterAsync(SearchLane.Short, null, default);
        var call = s.Client.SearchAsync(new SearchRequest { Query = Words }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
        await RunningService.WaitUntil(() => Task.FromResult(admission.Load(SearchLane.Short).Waiting == 1), TimeSpan.FromSeconds(10));
        Assert.That(call.IsCompleted, Is.False, "the search waits while the only slot is held");
        slot.Dispose();
        Assert.That((await call).TotalHits, Is.GreaterThan(0));
    }

    [Test]
    public async Task Search_WhoseDeadlinePassesWhileItWaits_GetsDeadlineExceeded()
    {
        await using var s = await Serve("--Search:MaxConcurrentSearches", "1", "--Search:MaxQueueWait", "00:00:30");
        using var slot = await AdmissionOf(s).EnterAsync(SearchLane.Short, null, default);
        var e = Assert.ThrowsAsync<RpcException>(async () =>
            await s.Client.SearchAsync(new SearchRequest { Query = Words }, deadline: DateTime.UtcNow.AddMilliseconds(300)));
        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
        // The client's own timer can end the call a moment before the server's does: the call leaves the queue then.
        await RunningService.WaitUntil(() => Task.FromResult(AdmissionOf(s).Load(SearchLane.Short).Waiting == 0), TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task Search_WaitingLongerThanTheServiceAllows_IsRefusedAsUnavailable_NamingTheWait()
    {
        await using var s = await Serve("--Search:MaxConcurrentSearches", "1", "--Search:MaxQueueWait", "00:00:00.200");
        using var slot = await AdmissionOf(s).EnterAsync(SearchLane.Short, null, default);
        var e = Assert.ThrowsAsync<RpcException>(async () =>
            await s.Client.SearchAsync(new SearchRequest { Query = Words }, deadline: DateTime.UtcNow.AddSeconds(30)));
        Assert.Multiple(() =>
        {
            Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(e.Status.Detail, Does.Contain("within 200 ms"));
        });
    }

    [Test]
    public async Task PastedParagraphsAndRelated_WaitInTheirOwnLane_WhileShortSearchesAreStillAnswered()
    {
        await using var s = await Serve("--Search:MaxConcurrentLongSearches", "1", "--Search:MaxQueuedSearches", "0");
        using var slot = await AdmissionOf(s).EnterAsync(SearchLane.Long, null, default);

        Assert.That((await s.Client.SearchAsync(new SearchRequest { Query = Words })).TotalHits, Is.GreaterThan(0),
            "a short search does not wait behind long ones");
        var paste = Assert.ThrowsAsync<RpcException>(async () => await s.Client.SearchAsync(new SearchRequest { Query = Paragraph }));
        var related = Assert.ThrowsAsync<RpcException>(async () =>
            await s.Client.RelatedAsync(new RelatedRequest { Id = StoryArticles.FirstFlight }));
        Assert.Multiple(() =>
        {
            Assert.That(paste!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(paste.Status.Detail, Does.Contain("long searches"));
            Assert.That(related!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        });
    }

    [Test]
    public async Task Export_WhenEveryExportSlotIsTaken_WaitsPastTheSearchQueueLimit_WhileSearchesAreAnswered_ThenStreamsEverything()
    {
        await using var s = await Serve("--Search:MaxConcurrentExports", "1", "--Search:MaxQueueWait", "00:00:00.200");
        var admission = AdmissionOf(s);
        var request = new ExportRequest { PublishedFrom = "1000-01-01" };
        var expected = await s.Client.Export(request).ResponseStream.ReadAllAsync().CountAsync();
        Assume.That(expected, Is.GreaterThan(0));

        var slot = await admission.EnterAsync(SearchLane.Export, null, default);
        using var call = s.Client.Export(request, deadline: DateTime.UtcNow.AddSeconds(30));
        var items = call.ResponseStream.ReadAllAsync().CountAsync().AsTask();
        await RunningService.WaitUntil(() => Task.FromResult(admission.Load(SearchLane.Export).Waiting == 1), TimeSpan.FromSeconds(10));
        Assert.That((await s.Client.SearchAsync(new SearchRequest { Query = Words })).TotalHits, Is.GreaterThan(0),
            "searches do not wait behind exports");
        await Task.Delay(TimeSpan.FromMilliseconds(600)); // three times the searches' queue limit
        Assert.That(items.IsCompleted, Is.False, "the export waits for its turn");
        slot.Dispose();
        Assert.That(await items, Is.EqualTo(expected));
    }

    [Test]
    public async Task Export_WaitingForItsTurn_EndsWithDeadlineExceeded_WhenItsDeadlinePasses()
    {
        await using var s = await Serve("--Search:MaxConcurrentExports", "1");
        using var slot = await AdmissionOf(s).EnterAsync(SearchLane.Export, null, default);
        using var call = s.Client.Export(new ExportRequest { PublishedFrom = "1000-01-01" }, deadline: DateTime.UtcNow.AddMilliseconds(500));
        var e = Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.ReadAllAsync().CountAsync());
        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
    }

    [Test]
    public async Task Refusals_AreLoggedOnce_NotOncePerSearch()
    {
        var log = new CapturedLog();
        await using var s = await RunningService.StartAsync(x => x.WriteSeed("news.jsonl", StoryArticles.File()),
            ["--Search:MaxConcurrentSearches", "1", "--Search:MaxQueuedSearches", "0"],
            b => b.Services.AddSingleton<Serilog.Core.ILogEventSink>(log));
        using var slot = await AdmissionOf(s).EnterAsync(SearchLane.Short, null, default);
        for (var i = 0; i < 20; i++)
            Assert.ThrowsAsync<RpcException>(async () => await s.Client.SearchAsync(new SearchRequest { Query = Words }));
        Assert.That(log.Events.Count(e => e.RenderMessage().Contains("as busy")), Is.EqualTo(1), "within the 10 s between such lines");
    }
}
