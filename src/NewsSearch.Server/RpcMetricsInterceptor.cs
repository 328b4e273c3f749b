using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace NewsSearch.Server;

/// <summary>
/// <c>rpc.server.duration</c> (seconds, by method and gRPC status): every call to the service's methods, whether an
/// interceptor sees it (<see cref="RpcMetricsInterceptor"/>) or <see cref="RequestFraming"/> answers it before grpc-dotnet
/// reads it. ASP.NET Core's own <c>http.server.request.duration</c> cannot tell these apart: a gRPC call that fails is
/// still HTTP 200, its status travels in the trailers.
/// </summary>
internal sealed class RpcDurations
{
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private readonly Histogram<double> _duration;

    public RpcDurations(IMeterFactory meters)
    {
        _duration = meters.Create(RpcMetricsInterceptor.MeterName).CreateHistogram("rpc.server.duration", "s",
            "Time the server took to answer a gRPC call, by method and gRPC status code",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    /// <summary>Records a call to <paramref name="method"/> ("/package.Service/Method", a registered method: the set
    /// of tags stays bounded) that began at <paramref name="start"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void Record(string method, long start, StatusCode status)
    {
        var name = method.AsSpan().TrimStart('/');
        var slash = name.IndexOf('/');
        var tags = new TagList
        {
            { "rpc.system", "grpc" },
            { "rpc.service", slash < 0 ? "" : name[..slash].ToString() },
            { "rpc.method", slash < 0 ? name.ToString() : name[(slash + 1)..].ToString() },
            { "rpc.grpc.status_code", (int)status },
        };
        _duration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, tags);
    }
}

/// <summary>
/// Times every gRPC call that reaches the interceptors into <see cref="RpcDurations"/>. First in the interceptor chain,
/// so refused keys (UNAUTHENTICATED) and the statuses <see cref="ErrorMappingInterceptor"/> maps are counted as the
/// caller sees them.
/// </summary>
internal sealed class RpcMetricsInterceptor(RpcDurations durations) : Interceptor
{
    public const string MeterName = "NewsSearch.Server";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = await continuation(request, context);
            Record(context, start, context.Status.StatusCode);
            return response;
        }
        catch (Exception e)
        {
            Record(context, start, StatusOf(e));
            throw;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = await continuation(requestStream, context);
            Record(context, start, context.Status.StatusCode);
            return response;
        }
        catch (Exception e)
        {
            Record(context, start, StatusOf(e));
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await continuation(request, responseStream, context);
            Record(context, start, context.Status.StatusCode);
        }
        catch (Exception e)
        {
            Record(context, start, StatusOf(e));
            throw;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await continuation(requestStream, responseStream, context);
            Record(context, start, context.Status.StatusCode);
        }
        catch (Exception e)
        {
            Record(context, start, StatusOf(e));
            throw;
        }
    }

    /// <summary>The status grpc-dotnet answers a handler's exception with.</summary>
    private static StatusCode StatusOf(Exception e) => e switch
    {
        RpcException r => r.StatusCode,
        OperationCanceledException => StatusCode.Cancelled,
        _ => StatusCode.Unknown,
    };

    // context.Method is "/package.Service/Method"; only registered methods reach interceptors.
    private void Record(ServerCallContext context, long start, StatusCode status) => durations.Record(context.Method, start, status);
}
