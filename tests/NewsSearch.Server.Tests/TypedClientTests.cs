extern alias client;

using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsSearch.Api.V1;
using NewsSearch.Testing;
using client::Microsoft.Extensions.DependencyInjection;
using client::NewsSearch.Client;
// The client library's own copy of the contract; unqualified names in this file are the server's.
using ClientApi = client::NewsSearch.Api.V1;

namespace NewsSearch.Server.Tests;

/// <summary>The typed client (NewsSearch.Client) built by dependency injection, against the real host.</summary>
public class TypedClientTests
{
    [Test]
    public async Task Search_ThroughAClientBuiltByDependencyInjection_FindsTheExampleArticle()
    {
        await using var service = await StartWithTheExamplePageAsync();
        await using var provider = ClientProvider(o => o.Addresses = [new Uri(service.Address)]);

        var response = await provider.GetRequiredService<NewsSearchClient>().SearchAsync("芯片", publishedFrom: "2025-07-01");
        var article = await provider.GetRequiredService<ClientApi.ArticleSearch.ArticleSearchClient>()
            .GetArticleAsync(new ClientApi.GetArticleRequest { Id = "000_df2e5f634929cce1" });

        Assert.Multiple(() =>
        {
            Assert.That(response.TotalHits, Is.EqualTo(1));
            Assert.That(response.Hits[0].Id, Is.EqualTo("000_df2e5f634929cce1"));
            Assert.That(article.Title, Is.EqualTo(response.Hits[0].Title));
        });
    }

    [Test]
    public async Task Export_ThroughTheTypedClient_StreamsEveryMatchWithItsTitle()
    {
        await using var service = await StartWithTheExamplePageAsync();
        // A default deadline shorter than any export could take: Export must not get it.
        await using var provider = ClientProvider(o => { o.Addresses = [new Uri(service.Address)]; o.DefaultDeadline = TimeSpan.FromTicks(1); });

        var items = await provider.GetRequiredService<NewsSearchClient>()
            .ExportAsync(new ClientApi.ExportRequest { PublishedFrom = "2025-07-01", IncludeTitles = true }).ToListAsync();

        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.Id), Is.EqualTo(new[] { "000_df2e5f634929cce1" }));
            Assert.That(items[0].Title, Is.EqualTo("美财长不小心说出实情?中国芯片已经要追上来"));
            Assert.That(items[0].Cursor, Is.Not.Empty);
        });
    }

    [Test]
    public async Task ServiceWithApiKeys_AnswersAClientConfiguredWithOne_AndRefusesOneWithout()
    {
        const string key = "a-key-of-enough-length-0123";
        await using var service = await RunningService.StartAsync(extraArgs: ["--Search:ApiKeys:0", key]);
        await using var keyed = ClientProvider(o => { o.Addresses = [new Uri(service.Address)]; o.ApiKey = key; });
        await using var bare = ClientProvider(o => o.Addresses = [new Uri(service.Address)]);

        var stats = await keyed.GetRequiredService<ClientApi.ArticleSearch.ArticleSearchClient>().GetStatsAsync(new ClientApi.GetStatsRequest());
        var refused = Assert.ThrowsAsync<RpcException>(async () =>
            await bare.GetRequiredService<ClientApi.ArticleSearch.ArticleSearchClient>().GetStatsAsync(new ClientApi.GetStatsRequest()));
        Assert.Multiple(() =>
        {
            Assert.That(stats.ArticleCount, Is.Zero);
            Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        });
    }

    [Test]
    public async Task TwoReplicas_BothReceiveCalls_AndCallsGoOnWhenOneStops()
    {
        var first = await StartWithTheExamplePageAsync();
        var firstStopped = false;
        try
        {
            await using var second = await StartWithTheExamplePageAsync();
            var callsByPort = new ConcurrentDictionary<int, int>();
            var services = new ServiceCollection();
            // Below the channel's balancer, each request is addressed to the replica it was sent to.
            services.AddNewsSearchClient(o => o.Addresses = [new Uri(first.Address), new Uri(second.Address)])
                .AddHttpMessageHandler(() => new CountByPort(callsByPort));
            await using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<NewsSearchClient>();

            var hitsWithBoth = new List<long>();
            for (var i = 0; i < 20; i++) hitsWithBoth.Add((await client.SearchAsync("芯片")).TotalHits);
            var countsWithBoth = new Dictionary<int, int>(callsByPort);
            await first.DisposeAsync();
            firstStopped = true;
            var hitsWithOne = new List<long>();
            for (var i = 0; i < 20; i++) hitsWithOne.Add((await client.SearchAsync("芯片")).TotalHits);

            Assert.Multiple(() =>
            {
                Assert.That(hitsWithBoth, Is.All.EqualTo(1));
                Assert.That(countsWithBoth.Keys, Is.EquivalentTo(new[] { new Uri(first.Address).Port, new Uri(second.Address).Port }));
                Assert.That(hitsWithOne, Is.All.EqualTo(1), "every call after one replica stopped is answered by the other");
            });
        }
        finally
        {
            if (!firstStopped) await first.DisposeAsync();
        }
    }

    [Test]
    public async Task CallWithoutADeadline_ReachesTheServiceWithTheDefaultDeadline()
    {
        await using var host = await RecordingHost.StartAsync();
        await using var provider = ClientProvider(o => { o.Addresses = [host.Address]; o.DefaultDeadline = TimeSpan.FromHours(1); });

        var before = DateTime.UtcNow;
        await provider.GetRequiredService<NewsSearchClient>().GetStatsAsync();
        var after = DateTime.UtcNow;

        // Bounds an hour wide around the call: this checks which deadline was sent, not how fast anything ran.
        Assert.That(host.Calls.Single().Deadline, Is.InRange(before.AddMinutes(59), after.AddMinutes(61)));
    }

    [Test]
    public async Task CallWithItsOwnDeadline_KeepsIt()
    {
        await using var host = await RecordingHost.StartAsync();
        await using var provider = ClientProvider(o => { o.Addresses = [host.Address]; o.DefaultDeadline = TimeSpan.FromHours(1); });

        var before = DateTime.UtcNow;
        await provider.GetRequiredService<ClientApi.ArticleSearch.ArticleSearchClient>()
            .GetStatsAsync(new ClientApi.GetStatsRequest(), deadline: before.AddHours(3));
        var after = DateTime.UtcNow;

        Assert.That(host.Calls.Single().Deadline, Is.InRange(before.AddMinutes(179), after.AddMinutes(181)));
    }

    [Test]
    public async Task CallToAServiceThatNeverAnswers_EndsWithDeadlineExceeded()
    {
        await using var host = await RecordingHost.StartAsync();
        await using var provider = ClientProvider(o => { o.Addresses = [host.Address]; o.DefaultDeadline = TimeSpan.FromMilliseconds(300); });

        // Only a backstop, so that a client sending no deadline fails this test (CANCELLED) rather than hangs it.
        using var backstop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var e = Assert.ThrowsAsync<RpcException>(() =>
            provider.GetRequiredService<NewsSearchClient>().SearchAsync("never answered", cancellationToken: backstop.Token));
        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
    }

    [Test]
    public async Task CallAnsweredUnavailableTwice_IsRetriedAndSucceeds()
    {
        await using var host = await RecordingHost.StartAsync();
        host.Search.UnavailableAnswersLeft = 2;
        await using var provider = ClientProvider(o => o.Addresses = [host.Address]);

        await provider.GetRequiredService<NewsSearchClient>().GetStatsAsync();

        Assert.That(host.Calls, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task ApiKey_IsSentAsABearerAuthorizationHeader()
    {
        await using var host = await RecordingHost.StartAsync();
        await using var provider = ClientProvider(o => { o.Addresses = [host.Address]; o.ApiKey = "k-123"; });

        await provider.GetRequiredService<NewsSearchClient>().GetStatsAsync();

        Assert.That(host.Calls.Single().Authorization, Is.EqualTo("Bearer k-123"));
    }

    [Test]
    public async Task NoApiKey_SendsNoAuthorizationHeader()
    {
        await using var host = await RecordingHost.StartAsync();
        await using var provider = ClientProvider(o => o.Addresses = [host.Address]);

        await provider.GetRequiredService<NewsSearchClient>().GetStatsAsync();

        Assert.That(host.Calls.Single().Authorization, Is.Null);
    }

    private static ServiceProvider ClientProvider(Action<NewsSearchClientOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddNewsSearchClient(configure);
        return services.BuildServiceProvider();
    }

    private static async Task<RunningService> StartWithTheExamplePageAsync()
    {
        var service = await RunningService.StartAsync(s =>
            File.Copy(RepoPaths.ExamplePage, Path.Combine(s.SeedsPath, Path.GetFileName(RepoPaths.ExamplePage))));
        await RunningService.WaitUntil(async () => (await service.Client.GetStatsAsync(new GetStatsRequest())).ArticleCount == 1,
            TimeSpan.FromSeconds(20));
        return service;
    }

    private sealed class CountByPort(ConcurrentDictionary<int, int> calls) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            calls.AddOrUpdate(request.RequestUri!.Port, 1, (_, n) => n + 1);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>
    /// A bare gRPC app on a free loopback port whose ArticleSearch records each call's deadline and authorization
    /// header; GetStats answers at once (after any UNAVAILABLE answers asked for), Search never answers.
    /// </summary>
    private sealed class RecordingHost : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private RecordingHost(WebApplication app) => _app = app;

        public RecordingSearch Search => _app.Services.GetRequiredService<RecordingSearch>();
        public ConcurrentQueue<(DateTime Deadline, string? Authorization)> Calls => Search.Calls;
        public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        public static async Task<RecordingHost> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
            builder.Services.AddGrpc();
            builder.Services.AddSingleton<RecordingSearch>();
            var app = builder.Build();
            app.MapGrpcService<RecordingSearch>();
            await app.StartAsync();
            return new RecordingHost(app);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class RecordingSearch : ArticleSearch.ArticleSearchBase
    {
        public ConcurrentQueue<(DateTime Deadline, string? Authorization)> Calls { get; } = new();
        /// <summary>How many GetStats calls to answer UNAVAILABLE before answering normally.</summary>
        public int UnavailableAnswersLeft;

        public override Task<Stats> GetStats(GetStatsRequest request, ServerCallContext context)
        {
            Record(context);
            if (Interlocked.Decrement(ref UnavailableAnswersLeft) >= 0) throw new RpcException(new Status(StatusCode.Unavailable, "not yet"));
            return Task.FromResult(new Stats());
        }

        public override async Task<SearchResponse> Search(SearchRequest request, ServerCallContext context)
        {
            Record(context);
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new SearchResponse();
        }

        private void Record(ServerCallContext context) =>
            Calls.Enqueue((context.Deadline, context.RequestHeaders.GetValue("authorization")));
    }
}
