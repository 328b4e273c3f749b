using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NewsSearch.Client;

/// <summary>How the options become a channel: its address, service config and, for several replicas, its resolver.</summary>
internal static class NewsSearchChannel
{
    /// <summary>The address the channel is created for: the one replica, or the static resolver's for several.</summary>
    public static Uri Address(NewsSearchClientOptions options) =>
        options.Addresses.Count == 1 ? options.Addresses[0] : new Uri("static:///news-search");

    public static void Configure(GrpcChannelOptions channel, NewsSearchClientOptions options)
    {
        channel.ServiceConfig = ServiceConfig(options);
        if (options.Addresses.Count == 1) return;

        var replicas = options.Addresses.Select(a => new BalancerAddress(a.DnsSafeHost, a.Port)).ToArray();
        // The channel looks its resolver up in this provider. A private one, so that this client's "static" resolver
        // does not answer for other gRPC clients of the application's container.
        channel.ServiceProvider = new ServiceCollection()
            .AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => replicas))
            .BuildServiceProvider();
        // A resolved address carries no scheme: the credentials say whether to speak TLS (validation keeps one scheme).
        channel.Credentials = options.Addresses[0].Scheme == Uri.UriSchemeHttps ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
    }

    /// <summary>Retries on UNAVAILABLE (a replica stopping or not yet listening), and round-robin over several replicas.</summary>
    public static ServiceConfig ServiceConfig(NewsSearchClientOptions options)
    {
        var config = new ServiceConfig();
        if (options.MaxAttempts > 1)
        {
            config.MethodConfigs.Add(new MethodConfig
            {
                Names = { MethodName.Default },
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = options.MaxAttempts,
                    InitialBackoff = TimeSpan.FromSeconds(0.1),
                    MaxBackoff = TimeSpan.FromSeconds(1),
                    BackoffMultiplier = 1.5,
                    // Every ArticleSearch call is a read, so a retry is always safe. grpc-dotnet reports a call caught
                    // by a replica's graceful stop (HTTP/2 GOAWAY on its connection) as INTERNAL, not UNAVAILABLE.
                    RetryableStatusCodes = { StatusCode.Unavailable, StatusCode.Internal },
                },
            });
        }
        if (options.Addresses.Count > 1) config.LoadBalancingConfigs.Add(new RoundRobinConfig());
        return config;
    }
}
