using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using NewsSearch.Api.V1;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>
/// Requests a hostile or careless client sends, through a real client against the real host: each gets a status
/// that says what was wrong, never INTERNAL or UNKNOWN, and the service stays healthy.
/// </summary>
public class HostileRequestTests
{
    private static readonly StatusCode[] Acceptable =
    [
        StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.ResourceExhausted,
        StatusCode.DeadlineExceeded, StatusCode.Unauthenticated,
    ];

    private RunningService _service = null!;
    private string _realToken = "";

    [OneTimeSetUp]
    public async Task StartWithThirtyArticles()
    {
        _service = await RunningService.StartAsync(s => File.WriteAllText(Path.Combine(s.SeedsPath, "news.jsonl"),
            Jsonl.Lines(Enumerable.Range(0, 30).Select(i =>
                Jsonl.Record($"n{i}", $"第{i}条芯片新闻", "芯片产业发展迅速,港口吞吐量同比增长。", $"2025-07-{i % 28 + 1:00}")).ToArray())));
        await RunningService.WaitUntil(async () => (await _service.Client.GetStatsAsync(new GetStatsRequest())).ArticleCount == 30,
            TimeSpan.FromSeconds(30));
        // The thirty share one body: near-duplicates, which collapse into one hit (and no next page) unless asked not to.
        _realToken = (await _service.Client.SearchAsync(new SearchRequest { Query = "芯片", PageSize = 5, Collapse = false })).NextPageToken;
    }

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create<byte[]>(b => b, b => b);

    private static Method<byte[], byte[]> RawMethod(string name) => new(MethodType.Unary, "search.v1.ArticleSearch", name, Raw, Raw);

    private async Task<StatusCode> SendRaw(string method, byte[] body)
    {
        try
        {
            await _service.Channel.CreateCallInvoker().AsyncUnaryCall(RawMethod(method), null,
                new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), body);
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static async Task<RpcException?> Failure(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }

    /// <summary>A gRPC frame: the compressed flag, the length the header announces, then the bytes.</summary>
    private static byte[] Frame(byte flag, uint length, byte[] bytes) =>
        [flag, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, .. bytes];

    /// <summary>A Search request for 芯片, serialised.</summary>
    private static byte[] SearchBytes => Google.Protobuf.MessageExtensions.ToByteArray(new SearchRequest { Query = "芯片" });

    private static IEnumerable<TestCaseData> Frames()
    {
        var search = SearchBytes;
        yield return new TestCaseData(Array.Empty<byte>(), "", StatusCode.InvalidArgument).SetArgDisplayNames("no message");
        yield return new TestCaseData(new byte[] { 0, 0, 0 }, "", StatusCode.InvalidArgument).SetArgDisplayNames("half a header");
        yield return new TestCaseData(Frame(2, (uint)search.Length, search), "", StatusCode.InvalidArgument).SetArgDisplayNames("compressed flag 2");
        yield return new TestCaseData(Frame(0, uint.MaxValue, search), "", StatusCode.ResourceExhausted).SetArgDisplayNames("length 0xFFFFFFFF");
        yield return new TestCaseData(Frame(0, 100, search), "", StatusCode.InvalidArgument).SetArgDisplayNames("cut short");
        yield return new TestCaseData((byte[])[.. Frame(0, (uint)search.Length, search), .. Frame(0, (uint)search.Length, search)], "",
            StatusCode.InvalidArgument).SetArgDisplayNames("two messages");
        yield return new TestCaseData(Frame(1, (uint)search.Length, search), "", StatusCode.InvalidArgument).SetArgDisplayNames("compressed, no encoding");
        yield return new TestCaseData(Frame(1, 12, "notgzipatall"u8.ToArray()), "gzip", StatusCode.InvalidArgument).SetArgDisplayNames("gzip that is not");
        yield return new TestCaseData(Frame(1, 12, "notgzipatall"u8.ToArray()), "deflate", StatusCode.InvalidArgument).SetArgDisplayNames("deflate that is not");
        yield return new TestCaseData(Frame(0, (uint)search.Length, search), "", StatusCode.OK).SetArgDisplayNames("a whole message");
        using var packed = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gz.Write(search);
        yield return new TestCaseData(Frame(1, (uint)packed.Length, packed.ToArray()), "gzip", StatusCode.OK).SetArgDisplayNames("a gzip message");
    }

    [TestCaseSource(nameof(Frames))]
    public async Task BadlyFramedRequest_GetsAStatusNamingTheProblem_NeverInternalOrUnknown(byte[] body, string encoding, StatusCode expected)
    {
        var (status, message) = await SendFrame(body, encoding);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(expected), message);
            if (expected != StatusCode.OK) Assert.That(message, Is.Not.Empty);
        });
    }

    /// <summary>
    /// A timeout of zero (or under the server clock's 100 ns) has passed when the call arrives; grpc-dotnet read it, and
    /// any timeout it could not read, as no deadline at all, and ran the search unbounded.
    /// </summary>
    [TestCase("0n", StatusCode.DeadlineExceeded)]
    [TestCase("1n", StatusCode.DeadlineExceeded)]
    [TestCase("99n", StatusCode.DeadlineExceeded)]
    [TestCase("0S", StatusCode.DeadlineExceeded)]
    [TestCase("soon", StatusCode.InvalidArgument)]
    [TestCase("5", StatusCode.InvalidArgument)]
    [TestCase("123456789S", StatusCode.InvalidArgument)]
    [TestCase("-5S", StatusCode.InvalidArgument)]
    [TestCase("5S", StatusCode.OK)]
    [TestCase("30000000n", StatusCode.OK)]
    public async Task RequestTimeout_ThatHasPassedOrCannotBeRead_IsAnsweredAsSuch_NotRunWithoutADeadline(string timeout, StatusCode expected)
    {
        var search = SearchBytes;
        var (status, message) = await SendFrame(Frame(0, (uint)search.Length, search), "", timeout);
        Assert.That(status, Is.EqualTo(expected), message);
        if (expected != StatusCode.OK) Assert.That(message, Does.Contain("grpc-timeout"));
    }

    /// <summary>A request of raw bytes on its own HTTP/2 stream; the gRPC status and message it gets.</summary>
    private async Task<(StatusCode Status, string Message)> SendFrame(byte[] body, string encoding, string? timeout = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _service.Address.Replace("//0.0.0.0:", "//127.0.0.1:") + "/search.v1.ArticleSearch/Search")
        {
            Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        if (encoding.Length > 0) request.Headers.Add("grpc-encoding", encoding);
        if (timeout is not null) request.Headers.TryAddWithoutValidation("grpc-timeout", timeout);

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var v) || response.TrailingHeaders.TryGetValues(name, out v) ? v.Single() : null;
        return ((StatusCode)int.Parse(Header("grpc-status") ?? "-1", System.Globalization.CultureInfo.InvariantCulture),
            Uri.UnescapeDataString(Header("grpc-message") ?? ""));
    }

    /// <summary>A request body that is a gRPC header announcing a message, then nothing until the client gives up.</summary>
    private sealed class HeaderOnly(uint announced, TimeSpan wait) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(Frame(0, announced, []));
            await stream.FlushAsync();
            await Task.Delay(wait);
            throw new IOException("the client gives up");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    [Test]
    public async Task HeadersAnnouncingLargeMessages_DoNotMakeTheServiceHoldThatMemory()
    {
        // 200 streams, 5 bytes each, each announcing 4 MB: 800 MB were allocated at once when the frame's buffer was
        // sized from its header. The service runs in this process, so its allocations are counted here.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });
        var calls = Enumerable.Range(0, 200).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _service.Address.Replace("//0.0.0.0:", "//127.0.0.1:") + "/search.v1.ArticleSearch/Search")
            {
                Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new HeaderOnly(4_000_000, TimeSpan.FromSeconds(2)),
            };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
            try { using var response = await http.SendAsync(request); }
            catch (HttpRequestException) { } // the client's own give-up
        }).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        await Task.WhenAll(calls);

        Assert.That(allocated, Is.LessThan(200_000_000), $"{allocated / 1_000_000} MB allocated for 1,000 bytes sent");
    }

    /// <summary>Field 1 (a string in every request of the service) holding bytes that are not UTF-8.</summary>
    private static readonly byte[] InvalidUtf8 = [0x0A, 0x03, 0xFF, 0xFE, 0xC0];
    /// <summary>Field 1 announcing 16 bytes and carrying one.</summary>
    private static readonly byte[] Truncated = [0x0A, 0x10, (byte)'a'];

    [TestCase("Search")]
    [TestCase("GetArticle")]
    public async Task AnyMethod_StringFieldThatIsNotUtf8_IsInvalidArgumentSayingSo(string method)
    {
        var e = await Failure(() => _service.Channel.CreateCallInvoker().AsyncUnaryCall(RawMethod(method), null, new CallOptions(), InvalidUtf8).ResponseAsync);
        Assert.Multiple(() =>
        {
            Assert.That(e?.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(e?.Status.Detail, Does.Contain("not valid UTF-8"));
        });
    }

    [TestCase("Search")]
    [TestCase("GetArticle")]
    [TestCase("GetStats")]
    public async Task AnyMethod_TruncatedMessage_IsInvalidArgumentSayingSo(string method)
    {
        var e = await Failure(() => _service.Channel.CreateCallInvoker().AsyncUnaryCall(RawMethod(method), null, new CallOptions(), Truncated).ResponseAsync);
        Assert.Multiple(() =>
        {
            Assert.That(e?.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(e?.Status.Detail, Does.Contain("truncated"));
        });
    }

    [Test]
    public async Task Reflection_StillListsTheSearchService()
    {
        var reflection = new ServerReflection.ServerReflectionClient(_service.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.That(await call.ResponseStream.MoveNext(), Is.True);
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name);
        Assert.That(names, Does.Contain("search.v1.ArticleSearch"));
    }

    private static IEnumerable<TestCaseData> KnownHostileRequests()
    {
        string Nest(string inner) => new string('(', 16) + inner + new string(')', 16);
        yield return new TestCaseData(new SearchRequest { Query = Nest(string.Join(" OR ", Enumerable.Repeat("芯", 1625))) }).SetName("SixteenNestedParenthesesAroundAnOrChain");
        yield return new TestCaseData(new SearchRequest { Query = string.Join(" ", Enumerable.Range(0, 2400).Select(i => "-" + (char)('一' + i))) }).SetName("ThousandsOfExclusions");
        yield return new TestCaseData(new SearchRequest { Query = "芯片", PublishedTo = "9999-12-31" }).SetName("PublishedToTheLastDay");
        yield return new TestCaseData(new SearchRequest { Query = "芯片", PublishedFrom = "0001-01-01" }).SetName("PublishedFromTheFirstDay");
        yield return new TestCaseData(new SearchRequest { Query = "芯片", PublishedFrom = "0001-01-01T00:00:00+14:00", PublishedTo = "9999-12-31T23:59:59-12:00" }).SetName("InstantsPastBothEnds");
        yield return new TestCaseData(new SearchRequest { Query = "芯片", PageToken = Convert.ToBase64String(Encoding.UTF8.GetBytes($"p1:{int.MaxValue - 3}:0123456789ABCDEF")) }).SetName("OldStyleTokenNearTwoToThe31");
        yield return new TestCaseData(new SearchRequest { Query = "芯片", PageSize = int.MaxValue }).SetName("HugePageSize");
        yield return new TestCaseData(new SearchRequest { Query = "芯片", Sort = (SortOrder)int.MinValue }).SetName("UnknownSort");
        yield return new TestCaseData(new SearchRequest { Query = "\"" }).SetName("LoneQuote");
        yield return new TestCaseData(new SearchRequest { Query = "\uD83D\uDE00 \U00020000 (\uD83D\uDE00 OR \U0002A6D6)" }).SetName("CharactersOutsideTheBasicPlane");
        yield return new TestCaseData(new SearchRequest { Query = new string('芯', 10_001) }).SetName("OverlongQuery");
    }

    [TestCaseSource(nameof(KnownHostileRequests))]
    public async Task Search_KnownHostileRequest_IsAnsweredOrRefusedWithAStatusThatSaysWhy(SearchRequest request)
    {
        var e = await Failure(() => _service.Client.SearchAsync(request, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);
        Assert.That(e?.StatusCode ?? StatusCode.OK, Is.AnyOf(Acceptable), e?.Status.Detail);
    }

    [Test]
    public async Task GetArticleAndRelated_ForAnIdOfTensOfKilobytes_AreNotFound_QuotingItShort_AndTheChannelKeepsWorking()
    {
        // The status message travels in a header: quoting a 24 KB id whole made the client drop the connection.
        var id = new string('中', 8000);
        var get = await Failure(() => _service.Client.GetArticleAsync(new GetArticleRequest { Id = id }).ResponseAsync);
        var related = await Failure(() => _service.Client.RelatedAsync(new RelatedRequest { Id = id }).ResponseAsync);
        var after = await _service.Client.SearchAsync(new SearchRequest { Query = "芯片" });
        Assert.Multiple(() =>
        {
            Assert.That(get?.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(get?.Status.Detail, Does.StartWith("no article has id '中中中").And.Length.LessThan(100));
            Assert.That(related?.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(after.TotalHits, Is.GreaterThan(0));
        });
    }

    [TestCase("")]
    [TestCase("  ")]
    public async Task Search_RestrictedToABlankId_IsInvalidArgumentNamingIt_NotASearchOfEverything(string blank)
    {
        var e = await Failure(() => _service.Client.SearchAsync(new SearchRequest { Query = "芯片", Ids = { "n1", blank } }).ResponseAsync);
        Assert.Multiple(() =>
        {
            Assert.That(e?.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(e?.Status.Detail, Does.Contain("ids[1] is empty"));
        });
    }

    [Test]
    public async Task Search_ForgedOrTamperedPageToken_IsNotATokenThisServiceIssued()
    {
        var tampered = _realToken[..^1] + (_realToken[^1] == 'A' ? 'B' : 'A');
        var e = await Failure(() => _service.Client.SearchAsync(new SearchRequest { Query = "芯片", PageSize = 5, PageToken = tampered }).ResponseAsync);
        Assert.Multiple(() =>
        {
            Assert.That(e?.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(e?.Status.Detail, Is.EqualTo("page_token is not a token this service issued"));
        });
    }

    [Test]
    public async Task Fuzz_SeveralHundredRandomRequests_GetOnlyStatusesThatSayWhatWasWrong_AndTheServiceStaysServing()
    {
        const int seed = 20261108;
        var random = new Random(seed);
        var outcomes = new List<(StatusCode Code, string What)>();
        for (var i = 0; i < 400; i++)
        {
            var kind = random.Next(10);
            if (kind < 7)
            {
                var request = RandomRequest(random);
                var deadline = DateTime.UtcNow.AddMilliseconds(random.Next(5) == 0 ? random.Next(1, 50) : 10_000);
                var e = await Failure(() => _service.Client.SearchAsync(request, deadline: deadline).ResponseAsync);
                outcomes.Add((e?.StatusCode ?? StatusCode.OK, $"Search {request} → {e?.Status.Detail}"));
            }
            else if (kind < 8)
            {
                var id = RandomText(random, random.Next(0, 40));
                var e = await Failure(() => _service.Client.GetArticleAsync(new GetArticleRequest { Id = id }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
                outcomes.Add((e?.StatusCode ?? StatusCode.OK, $"GetArticle '{id}' → {e?.Status.Detail}"));
            }
            else
            {
                var method = new[] { "Search", "GetArticle", "GetStats" }[random.Next(3)];
                var body = RandomBytes(random);
                outcomes.Add((await SendRaw(method, body), $"{method} raw {Convert.ToHexString(body[..Math.Min(body.Length, 24)])}"));
            }
        }
        var health = await _service.Health.CheckAsync(new HealthCheckRequest());
        TestContext.Out.WriteLine(string.Join(", ", outcomes.GroupBy(o => o.Code).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));
        var unacceptable = outcomes.Where(o => !Acceptable.Contains(o.Code)).Select(o => $"{o.Code}: {o.What}").Take(10).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(unacceptable, Is.Empty, $"seed {seed}");
            Assert.That(health.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
        });
    }

    private SearchRequest RandomRequest(Random r)
    {
        var request = new SearchRequest
        {
            Query = r.Next(4) switch
            {
                0 => RandomText(r, r.Next(0, 30)),
                1 => RandomSyntax(r),
                2 => string.Join(" OR ", Enumerable.Range(0, r.Next(1, 700)).Select(_ => RandomText(r, r.Next(1, 3)))),
                _ => "芯片",
            },
            PublishedFrom = RandomDate(r),
            PublishedTo = RandomDate(r),
            PageSize = r.Next(4) switch { 0 => 0, 1 => r.Next(-5, 120), 2 => int.MaxValue, _ => r.Next() },
            PageToken = r.Next(4) switch
            {
                0 => "",
                1 => _realToken,
                2 => Convert.ToBase64String(RandomNumberGenerator.GetBytes(r.Next(0, 40))).Replace('+', '-').Replace('/', '_').TrimEnd('='),
                _ => RandomText(r, r.Next(0, 60)),
            },
            Sort = (SortOrder)(r.Next(5) == 0 ? r.Next() : r.Next(0, 3)),
        };
        if (r.Next(6) == 0) request.Ids.AddRange(Enumerable.Range(0, r.Next(1, 10_050)).Select(i => $"n{i}"));
        return request;
    }

    private static string RandomDate(Random r) => r.Next(6) switch
    {
        0 => "",
        1 => new DateOnly(r.Next(1, 10_000), r.Next(1, 13), r.Next(1, 29)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        2 => new[] { "0001-01-01", "9999-12-31", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "0000-00-00", "9999-99-99" }[r.Next(6)],
        3 => $"{r.Next(1, 10_000):0000}-{r.Next(1, 13):00}-{r.Next(1, 29):00}T{r.Next(24):00}:{r.Next(60):00}:{r.Next(60):00}{(r.Next(2) == 0 ? "+" : "-")}{r.Next(15):00}:{r.Next(60):00}",
        4 => RandomText(r, r.Next(0, 30)),
        _ => "",
    };

    private static readonly string[] Pieces = ["(", ")", "\"", "+", "-", " OR ", " ", "芯片", "港口", "的", "a", "C919", "\uD83D\uDE00", "\U00020000", "(((", ")))", "OR"];

    private static string RandomSyntax(Random r) => string.Concat(Enumerable.Range(0, r.Next(1, 40)).Select(_ => Pieces[r.Next(Pieces.Length)]));

    private static string RandomText(Random r, int length)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
            sb.Append(r.Next(5) switch
            {
                0 => ((char)r.Next(0x20, 0x7F)).ToString(),
                1 => ((char)r.Next(0x4E00, 0x9FA6)).ToString(),
                // A surrogate pair: a client cannot send a lone surrogate (its encoder refuses), raw bytes test the wire.
                2 => char.ConvertFromUtf32(r.Next(0x10000, 0x30000)),
                3 => ((char)r.Next(0, 0x20)).ToString(),
                _ => ((char)r.Next(0xFF00, 0xFFFF)).ToString(),
            });
        return sb.ToString();
    }

    private static byte[] RandomBytes(Random r)
    {
        var body = new byte[r.Next(0, 64)];
        r.NextBytes(body);
        return r.Next(3) switch
        {
            0 => body,
            1 => [0x0A, (byte)(body.Length + r.Next(0, 5)), .. body], // field 1 as a string of arbitrary bytes, maybe cut short
            _ => [0x0A, 0x02, 0xE4, 0xB8, 0x12, (byte)r.Next(0, 200), .. body], // a cut UTF-8 character, then a field that may overrun
        };
    }
}
