using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NewsSearch.Api.V1;
using NewsSearch.Engine;
using Q = NewsSearch.Engine.Querying;

namespace NewsSearch.Server;

/// <summary>
/// The gRPC face of <see cref="NewsSearchEngine"/>: translation between messages and engine types only. Bound through
/// <see cref="ArticleSearchBinding"/>, so that a request that cannot be read reaches the error mapping.
/// </summary>
[BindServiceMethod(typeof(ArticleSearchBinding), nameof(ArticleSearchBinding.BindService))]
internal sealed class ArticleSearchService(NewsSearchEngine engine, SearchAdmission admission, IHostApplicationLifetime lifetime)
    : ArticleSearch.ArticleSearchBase
{
    public override async Task<SearchResponse> Search(SearchRequest request, ServerCallContext context)
    {
        var sort = request.Sort switch
        {
            SortOrder.Relevance => Q.SortOrder.Relevance,
            SortOrder.NewestFirst => Q.SortOrder.NewestFirst,
            SortOrder.OldestFirst => Q.SortOrder.OldestFirst,
            _ => throw new Q.InvalidRequestException("sort", $"sort {(int)request.Sort} is not one of RELEVANCE, NEWEST_FIRST, OLDEST_FIRST"),
        };
        using var turn = await admission.EnterAsync(SearchAdmission.LaneOf(request.Query), DeadlineOf(context), context.CancellationToken);
        var result = engine.Search(new Q.SearchRequest(request.Query, request.PublishedFrom, request.PublishedTo,
            request.PageSize, request.PageToken, sort, request.Ids)
        {
            Facets = FacetMessages.ToEngine(request.Facets),
            Explain = request.Explain,
            Collapse = request.HasCollapse ? request.Collapse : null,
            ExactTotal = request.ExactTotal,
        }, context.CancellationToken, DeadlineOf(context));
        var response = new SearchResponse
        {
            TotalHits = result.TotalHits, NextPageToken = result.NextPageToken, TotalClusters = result.TotalClusters ?? 0,
            TotalHitsIsLowerBound = result.TotalIsLowerBound,
        };
        if (result.Facets is { } facets) response.Facets = FacetMessages.ToMessage(facets);
        foreach (var h in result.Hits) response.Hits.Add(HitMessages.From(h));
        return response;
    }

    /// <summary>Related searches rank a whole article as their query: they wait in the lane of long searches.</summary>
    public override async Task<RelatedResponse> Related(RelatedRequest request, ServerCallContext context)
    {
        using var turn = await admission.EnterAsync(SearchLane.Long, DeadlineOf(context), context.CancellationToken);
        var result = engine.Related(new Q.RelatedRequest(request.Id, request.PublishedFrom, request.PublishedTo, request.PageSize)
        {
            Explain = request.Explain,
        }, context.CancellationToken, DeadlineOf(context));
        var response = new RelatedResponse { TotalHits = result.TotalHits, TotalHitsIsLowerBound = result.TotalIsLowerBound };
        foreach (var h in result.Hits) response.Hits.Add(HitMessages.From(h));
        return response;
    }

    /// <summary>
    /// Streams every match, a batch at a time: the export holds one view of the index until the call ends (however it
    /// ends: done, cancelled, deadline passed), and writes wait for the client, so a slow reader holds one batch.
    /// Each batch waits its turn in the export lane (<see cref="SearchAdmission"/>).
    /// </summary>
    /// <remarks>
    /// A stream also ends when the service begins to stop, so that a client reading slowly does not hold the shutdown
    /// for the host's whole timeout (30 s) and then lose its connection without a status. The next item it would have
    /// got is UNAVAILABLE instead, and it resumes from the last cursor it received, on another replica or this one once
    /// restarted. A write that has waited for the client since the stop began gets <see cref="StalledWriteGrace"/>;
    /// then the stream is reset (a message half sent cannot be followed by a status).
    /// </remarks>
    public override async Task Export(ExportRequest request, IServerStreamWriter<ExportItem> responseStream, ServerCallContext context)
    {
        var stopping = lifetime.ApplicationStopping;
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        using var onStop = stopping.Register(() => stalled.CancelAfter(StalledWriteGrace));
        using var export = engine.Export(new Q.ExportRequest(request.Query, request.PublishedFrom, request.PublishedTo,
            request.IncludeTitles, request.Cursor), context.CancellationToken, DeadlineOf(context));
        while (await NextBatchAsync(export, context) is { Count: > 0 } batch)
        {
            foreach (var a in batch)
            {
                if (stopping.IsCancellationRequested)
                    throw new ServiceNotReadyException("the service is stopping, so the export ended early; resume it from the last cursor received");
                await responseStream.WriteAsync(new ExportItem
                {
                    Id = a.Id,
                    Published = a.Published is { } p ? Timestamp.FromDateTimeOffset(p) : null,
                    Title = a.Title ?? "",
                    Cursor = a.Cursor,
                }, stalled.Token);
            }
        }
    }

    /// <summary>
    /// An export's next batch, read in the export lane: a batch is a search, and many exports at once must not take
    /// the cores readers' searches need. The turn is held for the batch only, not while its items wait for the client.
    /// </summary>
    private async Task<IReadOnlyList<Q.ExportedArticle>> NextBatchAsync(Q.ArticleExport export, ServerCallContext context)
    {
        using var turn = await admission.EnterAsync(SearchLane.Export, DeadlineOf(context), context.CancellationToken);
        return export.NextBatch(context.CancellationToken, DeadlineOf(context));
    }

    /// <summary>How long an Export write already waiting for its client may go on waiting once the service stops.</summary>
    internal static readonly TimeSpan StalledWriteGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The call's deadline, which the engine checks against its clock: the call's token alone fires from a timer
    /// callback, late when every thread-pool thread is busy searching.
    /// </summary>
    private static DateTimeOffset? DeadlineOf(ServerCallContext context) =>
        context.Deadline == DateTime.MaxValue ? null : new DateTimeOffset(DateTime.SpecifyKind(context.Deadline, DateTimeKind.Utc));

    /// <summary>One stored article: cheap, but a read of the index all the same, so it waits in the lane of short searches.</summary>
    public override async Task<Article> GetArticle(GetArticleRequest request, ServerCallContext context)
    {
        using var turn = await admission.EnterAsync(SearchLane.Short, DeadlineOf(context), context.CancellationToken);
        var a = engine.GetArticle(request.Id);
        return new Article
        {
            Id = a.Id,
            Title = a.Title,
            Body = a.Body,
            Published = a.Published is { } p ? Timestamp.FromDateTimeOffset(p) : null,
            DateSource = (DateSource)(int)a.DateSource,
            Url = a.Url ?? "",
            Source = a.Source ?? "",
            SourcePath = a.SourcePath,
        };
    }

    public override Task<Stats> GetStats(GetStatsRequest request, ServerCallContext context)
    {
        var s = engine.GetStats();
        var stats = new Stats
        {
            ArticleCount = s.ArticleCount,
            LastIndexed = s.LastIndexedAt is { } t ? Timestamp.FromDateTimeOffset(t) : null,
            IndexSizeBytes = s.IndexSizeBytes,
            InputsSkipped = s.InputsSkipped,
            Generation = s.Generation,
            DuplicateCopies = s.DuplicateCopies,
            IndexingProblem = s.Problem?.Message ?? "",
            IndexingProblemSince = s.Problem is { } p ? Timestamp.FromDateTimeOffset(p.Since) : null,
        };
        foreach (var k in s.SkippedExamples)
            stats.Skipped.Add(new SkippedInput { Path = k.Path, Line = k.Line ?? 0, Reason = k.Reason });
        return Task.FromResult(stats);
    }
}
