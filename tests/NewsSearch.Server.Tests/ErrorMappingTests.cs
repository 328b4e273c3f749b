using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Api.V1;
using NewsSearch.Engine.Querying;
using SearchRequest = NewsSearch.Api.V1.SearchRequest;
using Status = Grpc.Core.Status;

namespace NewsSearch.Server.Tests;

/// <summary>What each failure becomes on the wire, as <see cref="ErrorMappingInterceptor"/> maps it.</summary>
public class ErrorMappingTests
{
    private static readonly ErrorMappingInterceptor Interceptor = new(NullLogger<ErrorMappingInterceptor>.Instance);

    private static RpcException Mapped(Exception thrown, CallContext? context = null, SearchRequest? request = null)
    {
        var e = Assert.ThrowsAsync<RpcException>(async () => await Interceptor.UnaryServerHandler<SearchRequest, SearchResponse>(
            request ?? new SearchRequest(), context ?? new CallContext(), (_, _) => throw thrown));
        return e!;
    }

    [Test]
    public void InvalidRequest_IsInvalidArgumentWithABadRequestNamingTheField()
    {
        var e = Mapped(new InvalidRequestException("page_size", "page_size must be between 1 and 100"));
        Assert.Multiple(() =>
        {
            Assert.That(e.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field, Is.EqualTo("page_size"));
        });
    }

    [Test]
    public void SearchPastTheServiceLimit_IsDeadlineExceededSayingSo()
    {
        var e = Mapped(new SearchTimeoutException(TimeSpan.FromSeconds(5)));
        Assert.Multiple(() =>
        {
            Assert.That(e.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
            Assert.That(e.Status.Detail, Does.Contain("(5 s)"));
        });
    }

    [Test]
    public void CancelledBeforeTheDeadline_IsCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var e = Mapped(new OperationCanceledException(), new CallContext(DateTime.UtcNow.AddMinutes(1), cancelled.Token));
        Assert.That(e.StatusCode, Is.EqualTo(StatusCode.Cancelled));
    }

    [Test]
    public void StoppedAtTheCallsDeadline_IsDeadlineExceeded()
    {
        var e = Mapped(new OperationCanceledException(), new CallContext(DateTime.UtcNow.AddSeconds(-1), CancellationToken.None));
        Assert.That(e.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
    }

    [Test]
    public void UnexpectedError_IsInternalWithoutItsTextOrPaths()
    {
        var e = Mapped(new IOException("Could not find file '/srv/news/index-data/g-1/_0.cfs'"));
        Assert.Multiple(() =>
        {
            Assert.That(e.StatusCode, Is.EqualTo(StatusCode.Internal));
            Assert.That(e.Status.Detail, Is.EqualTo("the service failed to answer; the error is in its log"));
        });
    }

    [Test]
    public void RequestThatCouldNotBeRead_IsInvalidArgumentBeforeTheServiceRuns()
    {
        var notUtf8 = Assert.Throws<InvalidProtocolBufferException>(() => SearchRequest.Parser.ParseFrom([0x0A, 0x03, 0xFF, 0xFE, 0xC0]));
        var placeholder = MalformedRequests.Placeholder<SearchRequest>(notUtf8!);
        var e = Mapped(new InvalidOperationException("the service must not run"), request: placeholder);
        Assert.Multiple(() =>
        {
            Assert.That(e.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(e.Status.Detail, Is.EqualTo("the request could not be read as search.v1.SearchRequest: a string field is not valid UTF-8"));
        });
    }

    /// <summary>A call as the interceptor sees it: a deadline and a token; nothing else is read.</summary>
    internal sealed class CallContext(DateTime? deadline = null, CancellationToken cancel = default) : ServerCallContext
    {
        protected override string MethodCore => "/search.v1.ArticleSearch/Search";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => deadline ?? DateTime.MaxValue;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => cancel;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore { get; } = new(null, []);
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
