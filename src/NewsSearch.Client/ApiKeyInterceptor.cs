using Grpc.Core;
using Grpc.Core.Interceptors;

namespace NewsSearch.Client;

/// <summary>
/// Adds <c>authorization: Bearer &lt;key&gt;</c> to every call that does not carry an authorization header already.
/// </summary>
/// <remarks>
/// An interceptor rather than <see cref="CallCredentials"/>: the service serves cleartext HTTP/2 on loopback by default,
/// and gRPC sends call credentials only over TLS unless the channel opts in with
/// <c>UnsafeUseInsecureChannelCallCredentials</c>, while a balanced channel over cleartext would also need
/// <c>ChannelCredentials.Insecure</c>, which call credentials cannot be composed with. The interceptor sends the same
/// header the same way over http and https, one address or several. Over http the key travels in clear text: use
/// https beyond loopback.
/// </remarks>
internal sealed class ApiKeyInterceptor(string apiKey) : Interceptor
{
    private const string Header = "authorization";
    private readonly string _value = "Bearer " + apiKey;

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithKey(context));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithKey(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithKey(context));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithKey(context));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithKey(context));

    private ClientInterceptorContext<TRequest, TResponse> WithKey<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class where TResponse : class
    {
        if (context.Options.Headers?.Get(Header) is not null) return context;
        // A copy, so the caller's Metadata (perhaps reused across calls) is left as it was.
        var headers = new Metadata();
        foreach (var entry in context.Options.Headers ?? []) headers.Add(entry);
        headers.Add(Header, _value);
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }
}
