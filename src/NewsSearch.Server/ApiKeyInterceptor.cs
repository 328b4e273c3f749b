using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace NewsSearch.Server;

/// <summary>
/// With <c>Search:ApiKeys</c> set, every RPC but the health service needs <c>authorization: Bearer &lt;key&gt;</c>;
/// others get UNAUTHENTICATED. Without keys it lets everything through.
/// <para>An interceptor rather than middleware: it sees every gRPC handler kind (reflection is a duplex stream) and
/// answers with a gRPC status, where middleware would have to write gRPC trailers on an HTTP response by hand.</para>
/// <para>Keys are compared as SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/> against every
/// configured key, so neither the position of the first wrong character nor the key's length shows in the time taken.
/// Neither a presented nor a configured key is ever logged or echoed.</para>
/// </summary>
internal sealed partial class ApiKeyInterceptor : Interceptor
{
    /// <summary>Method prefix of the health service, which load balancers and orchestrators call without a key.</summary>
    public const string HealthServicePrefix = "/grpc.health.v1.Health/";

    private const string Scheme = "Bearer ";
    private readonly byte[][] _digests;
    private readonly ILogger<ApiKeyInterceptor> _logger;

    public ApiKeyInterceptor(IOptions<ApiKeyOptions> options, ILogger<ApiKeyInterceptor> logger)
    {
        _digests = options.Value.ApiKeys.Values.Select(k => Digest(k ?? "")).ToArray();
        _logger = logger;
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    /// <summary>Returns when the call may go on; throws UNAUTHENTICATED otherwise.</summary>
    private void Authenticate(ServerCallContext context)
    {
        if (_digests.Length == 0 || context.Method.StartsWith(HealthServicePrefix, StringComparison.Ordinal)) return;
        var header = context.RequestHeaders.GetValue("authorization");
        string reason;
        if (string.IsNullOrEmpty(header))
            reason = "this service requires an API key: send the metadata 'authorization: Bearer <key>'";
        else if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            reason = "the authorization metadata must be 'Bearer <key>'";
        else if (!IsKnown(header.AsSpan(Scheme.Length).Trim()))
            reason = "the API key is not valid";
        else
            return;
        LogRejected(_logger, context.Method, context.Peer, reason);
        throw new RpcException(new Status(StatusCode.Unauthenticated, reason));
    }

    private bool IsKnown(ReadOnlySpan<char> key)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = new byte[Encoding.UTF8.GetByteCount(key)];
        Encoding.UTF8.GetBytes(key, bytes);
        SHA256.HashData(bytes, digest);
        CryptographicOperations.ZeroMemory(bytes);
        // Every configured key is compared, so the time taken does not depend on which one matched.
        var known = false;
        foreach (var d in _digests) known |= CryptographicOperations.FixedTimeEquals(digest, d);
        return known;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Refused {Method} from {Peer}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string method, string peer, string reason);
}
