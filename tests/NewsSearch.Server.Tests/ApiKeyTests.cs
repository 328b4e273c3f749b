using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsSearch.Api.V1;
using NewsSearch.Testing;
using Serilog.Core;

namespace NewsSearch.Server.Tests;

/// <summary>A service with <c>Search:ApiKeys</c> set answers only callers that present one of them.</summary>
public class ApiKeyTests
{
    private const string FirstKey = "first-key-7f3c9a1e5b";
    private const string SecondKey = "second-key-04d8e2b6c1a9";
    private const string WrongKey = "first-key-7f3c9a1e5c";
    private const string ArticleId = "000_df2e5f634929cce1";

    private readonly CapturedLog _log = new();
    private RunningService _service = null!;

    [OneTimeSetUp]
    public async Task StartWithTwoKeys()
    {
        _service = await RunningService.StartAsync(
            s => File.Copy(RepoPaths.ExamplePage, Path.Combine(s.SeedsPath, Path.GetFileName(RepoPaths.ExamplePage))),
            // Verbose everywhere, so that a key logged at any level by any component is caught.
            ["--Search:ApiKeys:0", FirstKey, "--Search:ApiKeys:1", SecondKey, "--Serilog:MinimumLevel:Default", "Verbose"],
            b => b.Services.AddSingleton<ILogEventSink>(_log));
        await RunningService.WaitUntil(
            async () => (await _service.Client.GetStatsAsync(new GetStatsRequest(), Bearer(FirstKey))).ArticleCount == 1,
            TimeSpan.FromSeconds(20));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    private static Metadata Bearer(string key) => new() { { "authorization", $"Bearer {key}" } };

    /// <summary>The three methods of <c>search.v1.ArticleSearch</c>, each called with the given metadata.</summary>
    private static IEnumerable<TestCaseData> Methods()
    {
        yield return new TestCaseData(new Func<ArticleSearch.ArticleSearchClient, Metadata?, Task>(
            async (c, m) => await c.SearchAsync(new SearchRequest { Query = "芯片" }, m))).SetArgDisplayNames("Search");
        yield return new TestCaseData(new Func<ArticleSearch.ArticleSearchClient, Metadata?, Task>(
            async (c, m) => await c.GetStatsAsync(new GetStatsRequest(), m))).SetArgDisplayNames("GetStats");
        yield return new TestCaseData(new Func<ArticleSearch.ArticleSearchClient, Metadata?, Task>(
            async (c, m) => await c.GetArticleAsync(new GetArticleRequest { Id = ArticleId }, m))).SetArgDisplayNames("GetArticle");
    }

    [TestCaseSource(nameof(Methods))]
    public void Call_WithoutAuthorization_IsUnauthenticatedAndSaysWhatToSend(Func<ArticleSearch.ArticleSearchClient, Metadata?, Task> call)
    {
        var e = Assert.ThrowsAsync<RpcException>(() => call(_service.Client, null));
        Assert.Multiple(() =>
        {
            Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(e.Status.Detail, Does.Contain("authorization: Bearer <key>"));
        });
    }

    [TestCaseSource(nameof(Methods))]
    public void Call_WithAWrongKey_IsUnauthenticatedWithoutEchoingIt(Func<ArticleSearch.ArticleSearchClient, Metadata?, Task> call)
    {
        var e = Assert.ThrowsAsync<RpcException>(() => call(_service.Client, Bearer(WrongKey)));
        Assert.Multiple(() =>
        {
            Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(e.Status.Detail, Is.EqualTo("the API key is not valid"));
        });
    }

    [TestCaseSource(nameof(Methods))]
    public void Call_WithEitherConfiguredKey_Succeeds(Func<ArticleSearch.ArticleSearchClient, Metadata?, Task> call)
    {
        Assert.Multiple(() =>
        {
            Assert.DoesNotThrowAsync(() => call(_service.Client, Bearer(FirstKey)));
            Assert.DoesNotThrowAsync(() => call(_service.Client, Bearer(SecondKey)));
        });
    }

    [TestCase("Basic " + FirstKey, "must be 'Bearer <key>'")]
    [TestCase(FirstKey, "must be 'Bearer <key>'")]
    [TestCase("Bearer ", "not valid")]
    [TestCase("Bearer " + FirstKey + "0", "not valid")]
    [TestCase("Bearer " + "first-key-7f3c9a1e5", "not valid")]
    public void Search_WithAMalformedOrNearlyRightHeader_IsUnauthenticated(string header, string detail)
    {
        var e = Assert.ThrowsAsync<RpcException>(async () =>
            await _service.Client.SearchAsync(new SearchRequest { Query = "芯片" }, new Metadata { { "authorization", header } }));
        Assert.Multiple(() =>
        {
            Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(e.Status.Detail, Does.Contain(detail));
        });
    }

    [Test]
    public async Task Search_SchemeInAnyCase_IsAccepted()
    {
        var response = await _service.Client.SearchAsync(new SearchRequest { Query = "芯片" },
            new Metadata { { "authorization", "bearer " + SecondKey } });
        Assert.That(response.TotalHits, Is.EqualTo(1));
    }

    [Test]
    public async Task Health_WithoutAKey_ReportsServing()
    {
        var reply = await _service.Health.CheckAsync(new HealthCheckRequest());
        Assert.That(reply.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
    }

    [Test]
    public void Reflection_WithoutAKey_IsUnauthenticated()
    {
        var e = Assert.ThrowsAsync<RpcException>(() => ListServices(_service, null));
        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
    }

    [Test]
    public async Task Reflection_WithAKey_ListsTheSearchService()
    {
        Assert.That(await ListServices(_service, Bearer(FirstKey)), Does.Contain("search.v1.ArticleSearch"));
    }

    [Test]
    public async Task Logs_AfterRightAndWrongKeys_NeverHoldAKey()
    {
        await _service.Client.GetStatsAsync(new GetStatsRequest(), Bearer(FirstKey));
        Assert.ThrowsAsync<RpcException>(async () => await _service.Client.GetStatsAsync(new GetStatsRequest(), Bearer(WrongKey)));
        Assert.ThrowsAsync<RpcException>(async () => await _service.Client.GetStatsAsync(new GetStatsRequest(), Bearer(SecondKey + "!")));

        var texts = _log.Texts().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(texts, Has.Some.Contains("Refused \"/search.v1.ArticleSearch/GetStats\""), "refusals are logged");
            Assert.That(texts.Count(t => t.Contains("Grpc.AspNetCore") || t.Contains("Kestrel")), Is.GreaterThan(0),
                "the framework's verbose events are captured too");
            Assert.That(texts, Has.None.Contains(FirstKey[..16]));
            Assert.That(texts, Has.None.Contains(SecondKey[..16]));
            Assert.That(texts, Has.None.Contains(WrongKey[..16]));
        });
    }

    /// <summary>Lists the services through server reflection, a duplex stream.</summary>
    internal static async Task<List<string>> ListServices(RunningService service, Metadata? headers)
    {
        var client = new ServerReflection.ServerReflectionClient(service.Channel);
        using var call = client.ServerReflectionInfo(headers);
        try
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server refused the call before the request was written (no key): the write then fails with whatever
            // the client saw of the stream closing (once CANCELLED in CI). The call's own status is read below.
        }
        var names = new List<string>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
            names.AddRange(response.ListServicesResponse.Service.Select(s => s.Name));
        return names;
    }
}

/// <summary>Without keys the service is open; on a non-loopback address it says so once at start.</summary>
public class NoApiKeyTests
{
    [Test]
    public async Task Start_OnAllInterfacesWithoutKeys_WarnsOnceAndAnswersEveryone()
    {
        var log = new CapturedLog();
        await using var service = await RunningService.StartAsync(extraArgs: ["--urls", "http://0.0.0.0:0"],
            configure: b => b.Services.AddSingleton<ILogEventSink>(log));
        var port = new Uri(service.Address).Port;

        var stats = await service.Client.GetStatsAsync(new GetStatsRequest());
        var services = await ApiKeyTests.ListServices(service, null);
        var warnings = log.Events.Where(e => e.MessageTemplate.Text.Contains("without API keys")).Select(e => e.RenderMessage()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(stats.ArticleCount, Is.Zero);
            Assert.That(services, Does.Contain("search.v1.ArticleSearch"));
            Assert.That(warnings, Has.Count.EqualTo(1));
            Assert.That(warnings[0], Does.Contain($"listens on \"0.0.0.0:{port}\" without API keys; set Search:ApiKeys"));
        });
    }

    [TestCase("http://127.0.0.1:5080", ExpectedResult = new string[0])]
    [TestCase("http://localhost:5080", ExpectedResult = new string[0])]
    [TestCase("http://[::1]:5080", ExpectedResult = new string[0])]
    [TestCase("http://unix:/run/newssearch.sock", ExpectedResult = new string[0])]
    [TestCase("http://0.0.0.0:5080", ExpectedResult = new[] { "0.0.0.0:5080" })]
    [TestCase("http://[::]:5080", ExpectedResult = new[] { "[::]:5080" })]
    [TestCase("http://192.168.1.20:5080", ExpectedResult = new[] { "192.168.1.20:5080" })]
    [TestCase("http://news.example:5080", ExpectedResult = new[] { "news.example:5080" })]
    public string[] OpenAddresses_NamesEachAddressReachableFromTheNetwork(string address) =>
        [.. OpenListenerWarning.OpenAddresses([address])];
}

/// <summary>Bad keys stop the service before it answers anything, naming the configuration key but not the key.</summary>
public class ApiKeyConfigurationTests
{
    [TestCase("--Search:ApiKeys:1=short-key-12", "Search:ApiKeys:1 is 12 characters long; an API key needs at least 16")]
    [TestCase("--Search:ApiKeys:1=", "Search:ApiKeys:1 is empty")]
    [TestCase("--Search:ApiKeys:1=                    ", "Search:ApiKeys:1 is empty")]
    [TestCase("--Search:ApiKeys:1= padded-key-0123456789 ", "Search:ApiKeys:1 starts or ends with whitespace")]
    public void Start_WithABadKey_FailsNamingIt(string badKey, string message)
    {
        var e = Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await RunningService.StartAsync(extraArgs: ["--Search:ApiKeys:0=good-key-0123456789", badKey]));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Does.Contain(message));
            Assert.That(e.Message, Does.Not.Contain("Search:ApiKeys:0"), "the good key is not named");
            Assert.That(e.Message, Does.Not.Contain("short-key").And.Not.Contain("padded-key"), "the key itself is not shown");
        });
    }

    [Test]
    public void Start_WithApiKeysAsOneValueInsteadOfAList_FailsRatherThanRunOpen()
    {
        var e = Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await RunningService.StartAsync(extraArgs: ["--Search:ApiKeys=good-key-0123456789"]));
        Assert.That(e!.Message, Does.Contain("Search:ApiKeys must be a list of keys: set Search:ApiKeys:0"));
    }
}
