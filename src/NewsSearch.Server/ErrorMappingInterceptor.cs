using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Server;

/// <summary>
/// The one place engine exceptions become gRPC statuses: an invalid request is INVALID_ARGUMENT with a
/// <c>google.rpc.BadRequest</c> naming the field, a missing article NOT_FOUND; anything else is logged and INTERNAL.
/// </summary>
internal sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
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
        catch (Engine.ServiceNotReadyException e)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, e.Message));
        }
        catch (ArticleNotFoundException e)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, e.Message));
        }
        catch (Exception e) when (e is not RpcException and not OperationCanceledException)
        {
            LogUnexpected(logger, context.Method, e);
            throw new RpcException(new Grpc.Core.Status(StatusCode.Internal, "the service failed to answer; the error is in its log"));
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Unexpected error answering {Method}")]
    private static partial void LogUnexpected(ILogger logger, string method, Exception e);
}
