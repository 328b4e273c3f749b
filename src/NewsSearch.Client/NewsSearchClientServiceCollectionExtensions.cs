using Grpc.Net.ClientFactory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NewsSearch.Api.V1;
using NewsSearch.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the news search client.</summary>
public static class NewsSearchClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers the generated <see cref="ArticleSearch.ArticleSearchClient"/> through the gRPC client factory, and
    /// <see cref="NewsSearchClient"/> over it, configured by <paramref name="configure"/>. Options are validated when
    /// the host starts, or else when the client is first built.
    /// </summary>
    /// <returns>The client factory's builder, to add handlers or interceptors of the caller's own.</returns>
    public static IHttpClientBuilder AddNewsSearchClient(this IServiceCollection services, Action<NewsSearchClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<NewsSearchClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NewsSearchClientOptions>, NewsSearchClientOptionsValidator>());
        services.TryAddTransient<NewsSearchClient>();

        return services
            .AddGrpcClient<ArticleSearch.ArticleSearchClient>((sp, o) => o.Address = NewsSearchChannel.Address(Options(sp)))
            // Load balancing needs SocketsHttpHandler at the bottom of the chain; one connection per replica is not
            // enough for many concurrent calls, so allow more than one HTTP/2 connection.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
            .ConfigureChannel((sp, channel) => NewsSearchChannel.Configure(channel, Options(sp)))
            .AddInterceptor(sp => new DefaultDeadlineInterceptor(Options(sp).DefaultDeadline, sp.GetService<TimeProvider>() ?? TimeProvider.System))
            .AddInterceptor(sp => Options(sp).ApiKey is { Length: > 0 } key ? new ApiKeyInterceptor(key) : new PassThroughInterceptor())
            // Innermost of the three: a second attempt goes out with the deadline and key the first had.
            .AddInterceptor(sp => Options(sp).Addresses.Count > 1 ? new BusyReplicaInterceptor() : new PassThroughInterceptor());
    }

    private static NewsSearchClientOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<NewsSearchClientOptions>>().Value;

    private sealed class PassThroughInterceptor : Grpc.Core.Interceptors.Interceptor;
}
