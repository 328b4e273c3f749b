using System.Runtime.CompilerServices;
using Grpc.Core;
using NewsSearch.Api.V1;

namespace NewsSearch.Client;

/// <summary>
/// Shorthands over the generated <see cref="ArticleSearch.ArticleSearchClient"/> (<see cref="Grpc"/>), which stays
/// available for everything else: a call failing still throws <see cref="RpcException"/> with the service's status.
/// </summary>
public sealed class NewsSearchClient(ArticleSearch.ArticleSearchClient grpc)
{
    /// <summary>The generated client, with the same channel, deadline, retries and key.</summary>
    public ArticleSearch.ArticleSearchClient Grpc { get; } = grpc;

    /// <summary>
    /// The first page of hits for <paramref name="query"/>. Dates are inclusive, <c>YYYY-MM-DD</c> or RFC 3339;
    /// <paramref name="pageSize"/> 0 means the service's default of 10.
    /// </summary>
    public async Task<SearchResponse> SearchAsync(string query, string? publishedFrom = null, string? publishedTo = null,
        int pageSize = 0, CancellationToken cancellationToken = default) =>
        await Grpc.SearchAsync(new SearchRequest
        {
            Query = query, PublishedFrom = publishedFrom ?? "", PublishedTo = publishedTo ?? "", PageSize = pageSize,
        }, cancellationToken: cancellationToken);

    /// <summary>The article with <paramref name="id"/>; NOT_FOUND (as <see cref="RpcException"/>) when there is none.</summary>
    public async Task<Article> GetArticleAsync(string id, CancellationToken cancellationToken = default) =>
        await Grpc.GetArticleAsync(new GetArticleRequest { Id = id }, cancellationToken: cancellationToken);

    /// <summary>
    /// Every article matching <paramref name="request"/>, in (published, id) order, as the service streams them. Unlike
    /// the other calls it has no default deadline (an export of a large archive takes a while); pass
    /// <paramref name="deadline"/> for one. After a broken stream, send the request again with the last item's cursor.
    /// </summary>
    public async IAsyncEnumerable<ExportItem> ExportAsync(ExportRequest request, DateTime? deadline = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var call = Grpc.Export(request, deadline: deadline ?? DateTime.MaxValue, cancellationToken: cancellationToken);
        await foreach (var item in call.ResponseStream.ReadAllAsync(cancellationToken)) yield return item;
    }

    /// <summary>The articles most about the same story as article <paramref name="id"/>, best first; NOT_FOUND when
    /// there is no such article.</summary>
    public async Task<RelatedResponse> RelatedAsync(string id, string? publishedFrom = null, string? publishedTo = null,
        int pageSize = 0, CancellationToken cancellationToken = default) =>
        await Grpc.RelatedAsync(new RelatedRequest
        {
            Id = id, PublishedFrom = publishedFrom ?? "", PublishedTo = publishedTo ?? "", PageSize = pageSize,
        }, cancellationToken: cancellationToken);

    /// <summary>Figures about the live index.</summary>
    public async Task<Stats> GetStatsAsync(CancellationToken cancellationToken = default) =>
        await Grpc.GetStatsAsync(new GetStatsRequest(), cancellationToken: cancellationToken);
}
