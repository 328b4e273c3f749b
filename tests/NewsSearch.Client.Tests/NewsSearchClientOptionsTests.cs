using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsSearch.Api.V1;

namespace NewsSearch.Client.Tests;

public class NewsSearchClientOptionsTests
{
    private static IEnumerable<TestCaseData> BadOptions()
    {
        yield return new TestCaseData((Action<NewsSearchClientOptions>)(_ => { }), "Addresses needs at least one address").SetName("NoAddress");
        yield return new TestCaseData((Action<NewsSearchClientOptions>)(o => o.Addresses = [new Uri("/search", UriKind.Relative)]), "not an absolute URI").SetName("RelativeAddress");
        yield return new TestCaseData((Action<NewsSearchClientOptions>)(o => o.Addresses = [new Uri("ftp://127.0.0.1:5080")]), "not http:// or https://").SetName("OtherScheme");
        yield return new TestCaseData((Action<NewsSearchClientOptions>)(o => o.Addresses = [new Uri("http://127.0.0.1:5080/search")]), "has a path").SetName("AddressWithPath");
        yield return new TestCaseData((Action<NewsSearchClientOptions>)(o => o.Addresses = [new Uri("http://a:1"), new Uri("https://b:2")]), "mixes http and https").SetName("MixedSchemes");
        yield return new TestCaseData((Action<NewsSearchClientOptions>)(o => { o.Addresses = [new Uri("http://a:1")]; o.DefaultDeadline = TimeSpan.Zero; }), "DefaultDeadline must be positive").SetName("ZeroDeadline");
        yield return new TestCaseData((Action<NewsSearchClientOptions>)(o => { o.Addresses = [new Uri("http://a:1")]; o.MaxAttempts = 6; }), "MaxAttempts must be between 1 and 5").SetName("TooManyAttempts");
        yield return new TestCaseData((Action<NewsSearchClientOptions>)(o => { o.Addresses = [new Uri("http://a:1")]; o.ApiKey = "two words"; }), "ApiKey must be printable ASCII").SetName("ApiKeyWithSpace");
    }

    [TestCaseSource(nameof(BadOptions))]
    public void BuildingTheClient_WithBadOptions_FailsNamingTheProblem(Action<NewsSearchClientOptions> configure, string message)
    {
        using var provider = Provider(configure);
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ArticleSearch.ArticleSearchClient>());
        Assert.That(e!.Failures, Has.One.Contains(message));
    }

    [Test]
    public void BuildingTheClient_WithSeveralReplicasOfOneScheme_Succeeds()
    {
        using var provider = Provider(o => o.Addresses = [new Uri("http://127.0.0.1:5080"), new Uri("http://[::1]:5081")]);
        Assert.That(provider.GetRequiredService<NewsSearchClient>().Grpc, Is.Not.Null);
    }

    [Test]
    public void ServiceConfig_RetriesUnavailableAndInternalFourTimesAndBalancesSeveralReplicas()
    {
        var config = NewsSearchChannel.ServiceConfig(new NewsSearchClientOptions { Addresses = [new Uri("http://a:1"), new Uri("http://b:2")] });
        var retry = config.MethodConfigs.Single().RetryPolicy!;
        Assert.Multiple(() =>
        {
            Assert.That(retry.MaxAttempts, Is.EqualTo(4));
            Assert.That(retry.RetryableStatusCodes, Is.EqualTo(new[] { Grpc.Core.StatusCode.Unavailable, Grpc.Core.StatusCode.Internal }));
            Assert.That(config.LoadBalancingConfigs.Single().PolicyName, Is.EqualTo("round_robin"));
        });
    }

    [Test]
    public void ServiceConfig_OneAttemptAndOneAddress_NeitherRetriesNorBalances()
    {
        var config = NewsSearchChannel.ServiceConfig(new NewsSearchClientOptions { Addresses = [new Uri("http://a:1")], MaxAttempts = 1 });
        Assert.That(config.MethodConfigs.Count + config.LoadBalancingConfigs.Count, Is.Zero);
    }

    private static ServiceProvider Provider(Action<NewsSearchClientOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddNewsSearchClient(configure);
        return services.BuildServiceProvider();
    }
}
