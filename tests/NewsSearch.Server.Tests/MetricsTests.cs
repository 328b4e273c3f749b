using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;
using NewsSearch.Api.V1;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>
/// Metrics, against the real process: what Prometheus scrapes from <c>Search:MetricsUrl</c> after a few searches, that
/// the metrics listener is HTTP/1.1 and serves nothing but <c>/metrics</c>, that the gRPC port never serves them, that
/// an empty <c>Search:MetricsUrl</c> opens no listener, and the JSON log with trace ids.
/// </summary>
[NonParallelizable]
public partial class MetricsTests
{
    private TempFolder _folder = null!;
    private ServerProcess _server = null!;
    private int _metricsPort;
    private string Seeds => _folder.Combine("seeds");

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _folder = new TempFolder("metrics");
        Directory.CreateDirectory(Seeds);
        File.WriteAllText(Path.Combine(Seeds, "a.jsonl"), Jsonl.Lines(
            Jsonl.Record("a1", "熊猫新闻", "大熊猫在成都", "2025-03-01"),
            Jsonl.Record("a2", "港口新闻", "港口吞吐量创新高", "2025-03-02"),
            Jsonl.Record("a3", "熊猫基地", "熊猫宝宝满月", "2025-03-03"),
            "{not json"));
        _metricsPort = ServerProcess.FreePort();
        _server = ServerProcess.Start([.. Args(_folder), "--Search:MetricsUrl", $"http://127.0.0.1:{_metricsPort}"]);
        await _server.WaitForStatsAsync(s => s.ArticleCount == 3, TimeSpan.FromSeconds(60));
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _server.Dispose();
        _folder.Dispose();
    }

    private static string[] Args(TempFolder folder) =>
    [
        "--contentRoot", folder.Path, "--Search:SeedsPath", folder.Combine("seeds"), "--Search:IndexPath", folder.Combine("index"),
        "--Search:PollInterval", "00:00:00.100",
    ];

    [Test]
    public async Task Scrape_AfterSearches_HasTheSeriesADashboardNeeds()
    {
        const int searches = 4;
        for (var i = 0; i < searches; i++)
            Assert.That((await _server.Client.SearchAsync(new SearchRequest { Query = "熊猫" })).TotalHits, Is.EqualTo(2));
        var invalid = Assert.ThrowsAsync<RpcException>(async () => await _server.Client.SearchAsync(new SearchRequest { Query = "" }));
        Assert.That(invalid!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        var stats = await _server.Client.GetStatsAsync(new GetStatsRequest());

        var text = await Scrape();
        var samples = Parse(text);
        Assert.Multiple(() =>
        {
            // gRPC calls by method and status
            Assert.That(Sum(samples, "rpc_server_duration_seconds_count", ("rpc_method", "Search"), ("rpc_grpc_status_code", "0")),
                Is.GreaterThanOrEqualTo(searches));
            Assert.That(Sum(samples, "rpc_server_duration_seconds_count", ("rpc_method", "Search"), ("rpc_grpc_status_code", "3")),
                Is.EqualTo(1), "the empty query, INVALID_ARGUMENT");
            Assert.That(Sum(samples, "rpc_server_duration_seconds_count", ("rpc_service", "search.v1.ArticleSearch"), ("rpc_method", "GetStats")),
                Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum(samples, "rpc_server_duration_seconds_bucket", ("rpc_method", "Search"), ("rpc_grpc_status_code", "0"), ("le", "+Inf")),
                Is.EqualTo(Sum(samples, "rpc_server_duration_seconds_count", ("rpc_method", "Search"), ("rpc_grpc_status_code", "0"))));

            // the index
            Assert.That(Sum(samples, "newssearch_index_articles"), Is.EqualTo(3));
            Assert.That(Sum(samples, "newssearch_index_size_bytes"), Is.EqualTo(stats.IndexSizeBytes).Within(stats.IndexSizeBytes / 2),
                "about what GetStats says (segments may merge between the two)");
            Assert.That(Sum(samples, "newssearch_index_generation", ("generation", stats.Generation)), Is.EqualTo(1));
            Assert.That(Sum(samples, "newssearch_indexing_problem"), Is.Zero);

            // indexing
            Assert.That(Sum(samples, "newssearch_indexing_articles_total"), Is.EqualTo(3));
            Assert.That(Sum(samples, "newssearch_indexing_skipped_total", ("reason", "invalid_json")), Is.EqualTo(1));
            Assert.That(samples.Where(s => s.Name == "newssearch_indexing_skipped_total" && s.Labels["reason"] == "link_outside")
                .Select(s => s.Value), Is.EqualTo(new[] { 0.0 }), "kinds that never happened are reported at 0");
            Assert.That(Sum(samples, "newssearch_indexing_failures_total"), Is.Zero);
            Assert.That(Sum(samples, "newssearch_indexing_skipped_total"), Is.EqualTo(stats.InputsSkipped));
            Assert.That(Sum(samples, "newssearch_indexing_pass_duration_seconds_count"), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum(samples, "newssearch_indexing_lag_seconds_count"), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum(samples, "newssearch_indexing_lag_seconds_sum"), Is.GreaterThan(0));

            // searches by phase: every answered search records each phase once
            foreach (var phase in new[] { "parse", "search", "fetch_snippets" })
                Assert.That(Sum(samples, "newssearch_search_duration_seconds_count", ("phase", phase)), Is.GreaterThanOrEqualTo(searches), phase);
            Assert.That(Sum(samples, "newssearch_search_duration_seconds_sum", ("phase", "search")), Is.GreaterThan(0));

            // admission: nothing waits or runs between calls, nothing was refused
            foreach (var lane in new[] { "short", "long", "export" })
            {
                Assert.That(Sum(samples, "newssearch_admission_running", ("lane", lane)), Is.Zero, lane);
                Assert.That(Sum(samples, "newssearch_admission_queued", ("lane", lane)), Is.Zero, lane);
                Assert.That(samples.Where(s => s.Name == "newssearch_admission_refused_total" && s.Labels["lane"] == lane).Select(s => s.Value),
                    Is.EqualTo(new[] { 0.0 }), lane);
            }

            // the runtime
            Assert.That(samples.Any(s => s.Name == "dotnet_gc_collections_total"), Is.True, "GC collections");
            Assert.That(samples.Any(s => s.Name.StartsWith("dotnet_thread_pool_thread_count", StringComparison.Ordinal)), Is.True, "thread pool");
            Assert.That(samples.Any(s => s.Name == "dotnet_gc_heap_total_allocated_bytes_total"), Is.True, "allocations");
        });
        Assert.That(text, Does.Contain("# TYPE newssearch_search_duration_seconds histogram"));
    }

    /// <summary>
    /// Calls the service refuses before grpc-dotnet reads them (a deadline already passed, a message cut short) are the
    /// same calls to an operator: they are counted by method and status like the rest, and a made-up path adds no series.
    /// </summary>
    [Test]
    public async Task Scrape_CountsCallsRefusedForTheirFraming_UnderTheirMethodAndStatus()
    {
        var statsBefore = await RpcCount("GetStats", StatusCode.DeadlineExceeded);
        var articleBefore = await RpcCount("GetArticle", StatusCode.InvalidArgument);

        Assert.That(await Raw("GetStats", [0, 0, 0, 0, 0], timeout: "0S"), Is.EqualTo(StatusCode.DeadlineExceeded));
        Assert.That(await Raw("GetArticle", [0, 0, 0, 0, 9, 1, 2]), Is.EqualTo(StatusCode.InvalidArgument), "9 bytes announced, 2 sent");
        Assert.That(await Raw("MadeUp", [0, 0, 0, 0, 0], timeout: "0S"), Is.EqualTo(StatusCode.DeadlineExceeded));

        // The exporter may answer a scrape from its cache of the last one for a moment.
        var samples = new List<Sample>();
        await RunningService.WaitUntil(async () =>
        {
            samples = Parse(await Scrape());
            return Sum(samples, "rpc_server_duration_seconds_count", ("rpc_method", "GetArticle"), ("rpc_grpc_status_code", "3")) > articleBefore;
        }, TimeSpan.FromSeconds(10));
        Assert.Multiple(() =>
        {
            Assert.That(Sum(samples, "rpc_server_duration_seconds_count", ("rpc_method", "GetStats"), ("rpc_grpc_status_code", "4")),
                Is.EqualTo(statsBefore + 1));
            Assert.That(Sum(samples, "rpc_server_duration_seconds_count", ("rpc_method", "GetArticle"), ("rpc_grpc_status_code", "3")),
                Is.EqualTo(articleBefore + 1));
            Assert.That(samples.Where(s => s.Name.StartsWith("rpc_server_duration", StringComparison.Ordinal)
                && s.Labels.GetValueOrDefault("rpc_method") == "MadeUp"), Is.Empty);
        });
    }

    private async Task<double> RpcCount(string method, StatusCode status) =>
        Sum(Parse(await Scrape()), "rpc_server_duration_seconds_count", ("rpc_method", method), ("rpc_grpc_status_code", ((int)status).ToString(CultureInfo.InvariantCulture)));

    /// <summary>Raw bytes as a request to one of the service's paths over HTTP/2; the gRPC status answered.</summary>
    private async Task<StatusCode> Raw(string method, byte[] body, string? timeout = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_server.Address}/search.v1.ArticleSearch/{method}")
        {
            Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        if (timeout is not null) request.Headers.TryAddWithoutValidation("grpc-timeout", timeout);
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = response.Headers.TryGetValues("grpc-status", out var v) || response.TrailingHeaders.TryGetValues("grpc-status", out v) ? v.Single() : "-1";
        return (StatusCode)int.Parse(status, CultureInfo.InvariantCulture);
    }

    [Test]
    public async Task MetricsListener_IsHttp11_AndServesOnlyMetrics()
    {
        using var http = new HttpClient();
        using var metrics = await http.GetAsync($"http://127.0.0.1:{_metricsPort}/metrics");
        using var other = await http.GetAsync($"http://127.0.0.1:{_metricsPort}/search.v1.ArticleSearch/GetStats");
        Assert.Multiple(() =>
        {
            Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(metrics.Version, Is.EqualTo(HttpVersion.Version11));
            Assert.That(metrics.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(ListeningPorts(_server.Pid), Is.EquivalentTo(new[] { _server.Port, _metricsPort }));
        });
        // gRPC is not answered there either: the listener does not speak HTTP/2.
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{_metricsPort}");
        var e = Assert.ThrowsAsync<RpcException>(async () =>
            await new ArticleSearch.ArticleSearchClient(channel).GetStatsAsync(new GetStatsRequest(), deadline: DateTime.UtcNow.AddSeconds(10)));
        Assert.That(e!.StatusCode, Is.Not.EqualTo(StatusCode.OK));
    }

    [Test]
    public async Task GrpcPort_DoesNotServeMetrics_WhateverTheAuthority()
    {
        // Every connection goes to the gRPC port, whatever port the URL (and so the :authority) names: a client cannot
        // reach the metrics by claiming the metrics port.
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, _server.Port, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        foreach (var port in new[] { _server.Port, _metricsPort })
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port}/metrics");
            var body = await response.Content.ReadAsStringAsync();
            Assert.Multiple(() =>
            {
                Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"authority port {port}");
                Assert.That(body, Does.Not.Contain("newssearch_"), $"authority port {port}");
            });
        }
    }

    [Test]
    public async Task EmptyMetricsUrl_OpensNoListener()
    {
        using var folder = new TempFolder("metrics-off");
        Directory.CreateDirectory(folder.Combine("seeds"));
        folder.Write("seeds/a.jsonl", Jsonl.Lines(Jsonl.Record("a1", "熊猫新闻", "大熊猫", "2025-03-01")));
        using var p = ServerProcess.Start([.. Args(folder), "--Search:MetricsUrl", ""]);
        await p.WaitForStatsAsync(s => s.ArticleCount == 1, TimeSpan.FromSeconds(60));
        Assert.Multiple(() =>
        {
            Assert.That(ListeningPorts(p.Pid), Is.EquivalentTo(new[] { p.Port }), "the gRPC port only");
            Assert.That(p.Lines.Where(l => l.Contains("Now listening on")).ToList(), Has.Count.EqualTo(1), p.Output);
        });
    }

    [Test]
    public async Task MetricsOnAllInterfaces_WithGrpcOnLoopback_GivesNoWarningAboutMissingApiKeys()
    {
        using var folder = new TempFolder("metrics-any");
        folder.Write("seeds/a.jsonl", Jsonl.Lines(Jsonl.Record("a1", "熊猫新闻", "大熊猫", "2025-03-01")));
        var port = ServerProcess.FreePort();
        using var p = ServerProcess.Start([.. Args(folder), "--Search:MetricsUrl", $"http://0.0.0.0:{port}"]);
        await p.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient();
        Assert.That((await http.GetAsync($"http://127.0.0.1:{port}/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // The warning is logged as the host reports it has started, just before "Application started".
        await WaitForLine(p, l => l.Contains("Application started", StringComparison.Ordinal));
        Assert.That(p.Output, Does.Not.Contain("without API keys"), "keys guard RPCs, and the metrics listener answers none");
    }

    [Test]
    public async Task MetricsPortInUse_StopsTheServiceWithOneLineNamingTheKey()
    {
        using var folder = new TempFolder("metrics-busy");
        Directory.CreateDirectory(folder.Combine("seeds"));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var p = ServerProcess.Start([.. Args(folder), "--Search:MetricsUrl", $"http://127.0.0.1:{port}"]);
            Assert.That(await p.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.True, "the process stopped by itself");
            var lines = p.Lines.Where(l => l.Contains("Cannot start")).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(p.ExitCode, Is.EqualTo(StartupFailure.ExitCode), p.Output);
                Assert.That(lines, Has.Count.EqualTo(1), p.Output);
                Assert.That(lines.FirstOrDefault(), Does.Contain("Search:MetricsUrl").And.Contain($"127.0.0.1:{port}").And.Contain("already in use"));
                Assert.That(p.Output, Does.Not.Contain("   at "), "no stack trace at the default log level");
            });
        }
        finally
        {
            listener.Stop();
        }
    }

    [TestCase("https://127.0.0.1:9464")]
    [TestCase("http://127.0.0.1:0")]
    [TestCase("not a url")]
    public async Task BadMetricsUrl_StopsTheServiceWithOneLineNamingTheKey(string url)
    {
        using var folder = new TempFolder("metrics-bad");
        Directory.CreateDirectory(folder.Combine("seeds"));
        using var p = ServerProcess.Start([.. Args(folder), "--Search:MetricsUrl", url]);
        Assert.That(await p.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.True, "the process stopped by itself");
        var lines = p.Lines.Where(l => l.Contains("Cannot start")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(p.ExitCode, Is.EqualTo(StartupFailure.ExitCode), p.Output);
            Assert.That(lines, Has.Count.EqualTo(1), p.Output);
            Assert.That(lines.FirstOrDefault(), Does.Contain("Search:MetricsUrl").And.Contain(url));
        });
    }

    [Test]
    public async Task JsonLog_IsOneObjectPerLine_WithTheRequestsTraceId()
    {
        using var folder = new TempFolder("metrics-json");
        Directory.CreateDirectory(folder.Combine("seeds"));
        folder.Write("seeds/a.jsonl", Jsonl.Lines(Jsonl.Record("a1", "熊猫新闻", "大熊猫", "2025-03-01")));
        using var p = ServerProcess.Start([.. Args(folder), "--Search:LogFormat", "json", "--Search:ApiKeys:0", "0123456789abcdef-metrics"]);
        await p.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        // A call without the key is refused, and the refusal is logged while the request is being answered.
        Assert.ThrowsAsync<RpcException>(async () => await p.Client.SearchAsync(new SearchRequest { Query = "熊猫" }));
        var refused = await WaitForLine(p, l => l.Contains("Refused", StringComparison.Ordinal));

        using var doc = JsonDocument.Parse(refused);
        Assert.Multiple(() =>
        {
            Assert.That(doc.RootElement.GetProperty("@m").GetString(), Does.Contain("/search.v1.ArticleSearch/Search"));
            Assert.That(doc.RootElement.GetProperty("@tr").GetString(), Does.Match("^[0-9a-f]{32}$"));
            Assert.That(doc.RootElement.GetProperty("@sp").GetString(), Does.Match("^[0-9a-f]{16}$"));
            Assert.That(p.Lines.Where(l => l.StartsWith('{')).ToList(), Is.Not.Empty);
            Assert.That(p.Lines.Where(l => l.StartsWith('[')).ToList(), Is.Empty, "no text lines");
        });
        foreach (var line in p.Lines.Where(l => l.StartsWith('{')))
            Assert.DoesNotThrow(() => JsonDocument.Parse(line).Dispose(), line);
    }

    [Test]
    public async Task Traces_AreExportedOverOtlp_WhenTheEndpointIsSet()
    {
        using var folder = new TempFolder("metrics-otlp");
        folder.Write("seeds/a.jsonl", Jsonl.Lines(Jsonl.Record("a1", "熊猫新闻", "大熊猫", "2025-03-01")));
        // A stand-in collector: OTLP over HTTP posts protobuf to /v1/traces.
        var collectorPort = ServerProcess.FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{collectorPort}/");
        collector.Start();
        var received = new MemoryStream();
        var receiving = Task.Run(async () =>
        {
            while (true)
            {
                var context = await collector.GetContextAsync();
                if (context.Request.Url?.AbsolutePath == "/v1/traces") await context.Request.InputStream.CopyToAsync(received);
                context.Response.StatusCode = 200;
                context.Response.Close();
                // The request's own span ends after the engine's, so it may come in a later batch: wait for both.
                var text = Encoding.UTF8.GetString(received.ToArray());
                if (text.Contains("Search fetch_snippets", StringComparison.Ordinal)
                    && text.Contains("/search.v1.ArticleSearch/Search", StringComparison.Ordinal)) return;
            }
        });
        // The standard OTEL_* variables, given as configuration keys on the command line (OpenTelemetry reads both).
        using var p = ServerProcess.Start([.. Args(folder), "--OTEL_EXPORTER_OTLP_ENDPOINT", $"http://127.0.0.1:{collectorPort}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "--OTEL_BSP_SCHEDULE_DELAY", "200"]);
        await p.WaitForStatsAsync(s => s.ArticleCount == 1, TimeSpan.FromSeconds(60));
        await p.Client.SearchAsync(new SearchRequest { Query = "熊猫" });

        Assert.That(await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromSeconds(30))), Is.SameAs(receiving), "spans arrived");
        await receiving;
        var spans = Encoding.UTF8.GetString(received.ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(spans, Does.Contain(TelemetryRegistration.ServiceName));
            Assert.That(spans, Does.Contain("Search parse").And.Contain("Search search").And.Contain("Search fetch_snippets"));
            Assert.That(spans, Does.Contain("/search.v1.ArticleSearch/Search"), "the request's span from ASP.NET Core");
        });
    }

    private static async Task<string> WaitForLine(ServerProcess p, Func<string, bool> match)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (p.Lines.FirstOrDefault(match) is { } line) return line;
            await Task.Delay(100);
        }
        Assert.Fail($"no such log line:\n{p.Output}");
        return "";
    }

    private async Task<string> Scrape()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync($"http://127.0.0.1:{_metricsPort}/metrics");
    }

    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    /// <summary>The samples of a Prometheus text exposition (comments skipped).</summary>
    private static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var m = SampleLine().Match(line);
            Assert.That(m.Success, Is.True, $"not a sample line: {line}");
            var labels = LabelPair().Matches(m.Groups["labels"].Value)
                .ToDictionary(l => l.Groups["k"].Value, l => Regex.Unescape(l.Groups["v"].Value));
            var value = m.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(m.Groups["name"].Value, labels, value));
        }
        return samples;
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include <paramref name="labels"/>.</summary>
    private static double Sum(List<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>Ports on which process <paramref name="pid"/> holds a listening TCP socket: its socket inodes
    /// (/proc/pid/fd) matched against the listening sockets in /proc/net/tcp and tcp6.</summary>
    private static HashSet<int> ListeningPorts(int pid)
    {
        var inodes = new HashSet<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                    inodes.Add(target["socket:[".Length..^1]);
            }
            catch (IOException)
            {
                // closed while listing
            }
        }
        var ports = new HashSet<int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
            foreach (var row in File.ReadLines(table).Skip(1))
            {
                var f = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 9 && f[3] == "0A" && inodes.Contains(f[9]))
                    ports.Add(int.Parse(f[1][(f[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        return ports;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<k>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<v>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();
}
