using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Server;

/// <summary>
/// The one place errors become gRPC statuses: a request that cannot be read or served as asked is INVALID_ARGUMENT
/// (with a <c>google.rpc.BadRequest</c> naming the field when there is one), a service not yet open or stopping
/// UNAVAILABLE (the client library retries that), one too busy to take a search UNAVAILABLE with a pushback that says
/// not to retry, a missing article NOT_FOUND, a search
/// past the service's time limit or the call's deadline DEADLINE_EXCEEDED, a call the client gave up CANCELLED;
/// anything else is logged and INTERNAL. No reply carries exception text the service did not write for the client.
/// </summary>
internal sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (MalformedRequests.IsMalformed(request, out var reason))
            throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, reason));
        try
        {
            return await continuation(request, context);
        }
        catch (InvalidRequestException e)
        {
            throw new Google.Rpc.Status
            {
                Code = (int)Code.InvalidArgument,
                Message = e.Message,
                Details =
                {
                    Google.Protobuf.WellKnownTypes.Any.Pack(new BadRequest
                    {
                        FieldViolations = { new BadRequest.Types.FieldViolation { Field = e.Field, Description = e.Message } },
                    }),
                },
            }.ToRpcException();
        }
        catch (ServiceBusyException e)
        {
            // Not to be retried by the client library: a refused search has already waited its turn, and retries into
            // the same queue multiply the load on a node that is turning work away (one call held four places in
            // the queue and learnt it was refused after 4.5 of its 5 s). The caller chooses: back off, or another node.
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, e.Message), new Metadata { { RetryPushbackKey, "-1" } });
        }
        catch (Engine.ServiceNotReadyException e)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, e.Message));
        }
        catch (ArticleNotFoundException e)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, e.Message));
        }
        catch (SearchTimeoutException e)
        {
            LogSearchTimedOut(logger, context.Method, e.Limit.TotalMilliseconds);
            throw new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, e.Message));
        }
        catch (Exception e) when (e is OperationCanceledException || e is not RpcException && context.CancellationToken.IsCancellationRequested)
        {
            // The engine saw the call's deadline pass on its clock, or the call's token fired because the deadline
            // passed (grpc-dotnet has then already answered DEADLINE_EXCEEDED) or the client went away. A stream
            // written to after that fails with InvalidOperationException ("the request is complete"), not a
            // cancellation: the call is over either way, so it is not logged as a fault of the service.
            if (e is not OperationCanceledException) LogFailedAfterCallEnded(logger, context.Method, e);
            var clientLeft = context.CancellationToken.IsCancellationRequested && context.Deadline > DateTime.UtcNow;
            throw clientLeft
                ? new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "the call was cancelled by the client"))
                : new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, "the call's deadline passed before the search finished"));
        }
        catch (Exception e) when (e is not RpcException)
        {
            LogUnexpected(logger, context.Method, e);
            throw new RpcException(new Grpc.Core.Status(StatusCode.Internal, "the service failed to answer; the error is in its log"));
        }
    }

    /// <summary>A streaming call's errors map the same way, whether they come before its first item or after some.</summary>
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        // Through the unary handler, so that there is one mapping; the "response" it passes on is a placeholder.
        UnaryServerHandler<TRequest, TResponse>(request, context, async (r, c) =>
        {
            await continuation(r, responseStream, c);
            return null!;
        });

    /// <summary>gRPC's retry pushback: a negative value tells a client's retry policy not to retry the call.</summary>
    internal const string RetryPushbackKey = "grpc-retry-pushback-ms";

    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Unexpected error answering {Method}")]
    private static partial void LogUnexpected(ILogger logger, string method, Exception e);

    [LoggerMessage(EventId = 502, Level = LogLevel.Debug, Message = "A call to {Method} failed after the client left or its deadline passed")]
    private static partial void LogFailedAfterCallEnded(ILogger logger, string method, Exception e);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "A call to {Method} ran past the service's search limit of {LimitMs} ms and was stopped")]
    private static partial void LogSearchTimedOut(ILogger logger, string method, double limitMs);
}
