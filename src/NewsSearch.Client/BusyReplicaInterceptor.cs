using Grpc.Core;
using Grpc.Core.Interceptors;

namespace NewsSearch.Client;

/// <summary>
/// With several replicas, a call one replica refused as busy is made once more, and the round-robin balancer sends
/// it to the next replica. A busy refusal carries <c>grpc-retry-pushback-ms: -1</c>, which stops the channel's own
/// retry policy: with one address (or a load balancer in front) a retry would only join the queue that turned the call
/// away. With the replicas' addresses the client can do what the refusal asks: try another node, within the call's
/// deadline, once. (The balancer picks among the replicas it has connected to: in a client's first moments, before a
/// second connection is up, the retry can meet the same busy replica.)
/// </summary>
internal sealed class BusyReplicaInterceptor : Interceptor
{
    /// <summary>The trailer a busy refusal carries (the service's <c>ErrorMappingInterceptor</c>).</summary>
    private const string Pushback = "grpc-retry-pushback-ms";

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var current = continuation(request, context);
        var response = RespondAsync();
        return new AsyncUnaryCall<TResponse>(response, _ => current.ResponseHeadersAsync, _ => current.GetStatus(),
            _ => current.GetTrailers(), _ => current.Dispose(), null!);

        async Task<TResponse> RespondAsync()
        {
            try
            {
                return await current.ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException e) when (IsBusyRefusal(e) && !context.Options.CancellationToken.IsCancellationRequested
                                         && (context.Options.Deadline is not { } d || d > DateTime.UtcNow))
            {
                current.Dispose();
                current = continuation(request, context);
                return await current.ResponseAsync.ConfigureAwait(false);
            }
        }
    }

    /// <summary>UNAVAILABLE with the pushback that tells retry policies not to retry: the service was too busy to queue it.</summary>
    internal static bool IsBusyRefusal(RpcException e) =>
        e.StatusCode == StatusCode.Unavailable && e.Trailers.GetValue(Pushback) == "-1";
}
