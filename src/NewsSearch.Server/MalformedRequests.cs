using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using NewsSearch.Api.V1;

namespace NewsSearch.Server;

/// <summary>
/// Binds <c>search.v1.ArticleSearch</c> the way the generated code does, but with request deserializers that do not
/// throw on a malformed message (invalid UTF-8 in a string, a truncated message). grpc-dotnet reads the request before
/// any interceptor runs and answers a deserializer's exception with UNKNOWN, logging its stack trace at Information
/// (<c>ErrorReadingMessage</c>); it does so even for an RpcException thrown there. So the deserializer hands on an
/// empty placeholder marked as malformed, and <see cref="ErrorMappingInterceptor"/>, the one place errors map, answers
/// it INVALID_ARGUMENT. grpc-dotnet finds this binder through <see cref="BindServiceMethodAttribute"/> on
/// <see cref="ArticleSearchService"/>, and reflection finds <see cref="Descriptor"/> beside it.
/// </summary>
internal static class ArticleSearchBinding
{
    /// <summary>The service's descriptor, where gRPC reflection looks for it (the attribute's bind type).</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => ArticleSearch.Descriptor;

    /// <summary>
    /// Called by grpc-dotnet with the service type's base as the second parameter's type: it resolves each method on
    /// the service through the base method it overrides.
    /// </summary>
    public static void BindService(ServiceBinderBase binder, ArticleSearch.ArticleSearchBase? service) =>
        ArticleSearch.BindService(new TolerantBinder(binder), service!);

    /// <summary>Passes every method on with its request marshaller made tolerant.</summary>
    private sealed class TolerantBinder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Tolerant(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Tolerant(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Tolerant(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Tolerant(method), handler);

        private static Method<TRequest, TResponse> Tolerant<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class where TResponse : class
        {
            var read = method.RequestMarshaller.ContextualDeserializer;
            var marshaller = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, context =>
            {
                try
                {
                    return read(context);
                }
                catch (InvalidProtocolBufferException e)
                {
                    return MalformedRequests.Placeholder<TRequest>(e);
                }
            });
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
        }
    }
}

/// <summary>Empty requests standing for messages that could not be read, each with a reason a person can act on.</summary>
internal static class MalformedRequests
{
    private static readonly ConditionalWeakTable<object, string> Reasons = new();

    public static TRequest Placeholder<TRequest>(InvalidProtocolBufferException error) where TRequest : class
    {
        var placeholder = Activator.CreateInstance<TRequest>();
        var name = placeholder is IMessage m ? m.Descriptor.FullName : typeof(TRequest).Name;
        var what = error.InnerException is DecoderFallbackException || error.Message.Contains("UTF-8", StringComparison.Ordinal)
            ? "a string field is not valid UTF-8"
            : "it is truncated or is not a protobuf message";
        Reasons.AddOrUpdate(placeholder, $"the request could not be read as {name}: {what}");
        return placeholder;
    }

    /// <summary>True when <paramref name="request"/> stands for a message that could not be read.</summary>
    public static bool IsMalformed(object request, [NotNullWhen(true)] out string? reason) => Reasons.TryGetValue(request, out reason);
}
