using Grpc.Core;

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
internal sealed class ApiKeyInterceptor(string apiKey) : CallOptionsInterceptor
{
    private const string Header = "authorization";
    private readonly string _value = "Bearer " + apiKey;

    protected override CallOptions Adjust(CallOptions options)
    {
        if (options.Headers?.Get(Header) is not null) return options;
        // A copy, so the caller's Metadata (perhaps reused across calls) is left as it was.
        var headers = new Metadata();
        foreach (var entry in options.Headers ?? []) headers.Add(entry);
        headers.Add(Header, _value);
        return options.WithHeaders(headers);
    }
}
