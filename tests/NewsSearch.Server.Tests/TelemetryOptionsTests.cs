using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace NewsSearch.Server.Tests;

/// <summary>The start-up checks of <c>Search:MetricsUrl</c> and <c>Search:LogFormat</c>, without a process.</summary>
public class TelemetryOptionsTests
{
    private static IReadOnlyList<string> Failures(string metricsUrl, string logFormat = "text", string grpcUrls = ServerProgram.DefaultUrl)
    {
        var result = new TelemetryOptionsValidator(new ListeningAddresses(grpcUrls, null))
            .Validate(null, new TelemetryOptions { MetricsUrl = metricsUrl, LogFormat = logFormat });
        return result.Failed ? result.Failures!.ToList() : [];
    }

    [TestCase("http://127.0.0.1:9464")]
    [TestCase("http://0.0.0.0:9464")]
    [TestCase("http://localhost:9100/")]
    [TestCase("http://*:9464")]
    [TestCase("")]
    public void Validate_UsableOrEmptyMetricsUrl_Passes(string url) => Assert.That(Failures(url), Is.Empty);

    [TestCase("https://127.0.0.1:9464", "not plain http")]
    [TestCase("http://127.0.0.1:0", "fixed port")]
    [TestCase("http://127.0.0.1:9464/prom", "has a path")]
    [TestCase("http://unix:/tmp/metrics.sock", "pipe")]
    [TestCase("9464", "not a listening address")]
    public void Validate_UnusableMetricsUrl_FailsInOneSentenceNamingTheKey(string url, string why)
    {
        var failures = Failures(url);
        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(failures[0], Does.StartWith("Search:MetricsUrl: ").And.Contain(url).And.Contain(why));
    }

    [Test]
    public void Validate_MetricsOnTheGrpcPort_Fails() =>
        Assert.That(Failures("http://0.0.0.0:5080", grpcUrls: "http://127.0.0.1:5081;http://127.0.0.1:5080"),
            Has.One.Contains("Search:MetricsUrl").And.Contains("port of the gRPC address"));

    [TestCase("json")]
    [TestCase(" JSON ")]
    [TestCase("text")]
    public void Validate_KnownLogFormat_Passes(string format) => Assert.That(Failures("", format), Is.Empty);

    [Test]
    public void Validate_UnknownLogFormat_FailsNamingTheKey() =>
        Assert.That(Failures("", "xml"), Has.One.StartsWith("Search:LogFormat: 'xml'"));

    [Test]
    public void MetricsEndpoint_IsNull_WhenTurnedOffOrRefused()
    {
        static BindingAddress? Endpoint(string? url) => TelemetryOptions.MetricsEndpoint(new ConfigurationBuilder()
            .AddInMemoryCollection(url is null ? [] : [new(TelemetryOptions.MetricsUrlKey, url)]).Build());
        Assert.Multiple(() =>
        {
            Assert.That(Endpoint(null)?.Port, Is.EqualTo(9464), "the default");
            Assert.That(Endpoint(""), Is.Null);
            Assert.That(Endpoint("https://127.0.0.1:9464"), Is.Null);
            Assert.That(Endpoint("http://127.0.0.1:9100")?.Port, Is.EqualTo(9100));
        });
    }
}
