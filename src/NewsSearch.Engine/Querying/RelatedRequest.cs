namespace NewsSearch.Engine.Querying;

/// <summary>A request for the articles most about the same story as article <paramref name="Id"/>; the other fields
/// have the rules of <see cref="SearchRequest"/>.</summary>
/// <param name="Id">The article to start from; never among the answers.</param>
/// <param name="PublishedFrom">Inclusive lower bound, as for <see cref="SearchRequest.PublishedFrom"/>.</param>
/// <param name="PublishedTo">Inclusive upper bound, as for <see cref="SearchRequest.PublishedTo"/>.</param>
/// <param name="PageSize">Hits, 1..100; null or 0 means the default of 10.</param>
public sealed record RelatedRequest(string Id, string? PublishedFrom = null, string? PublishedTo = null, int? PageSize = null)
{
    /// <summary>Adds to each hit why it scored as it did (<see cref="SearchHit.Explanation"/>).</summary>
    public bool Explain { get; init; }

    /// <summary>When not empty, only these article ids are ranked (evaluation ranks a judged pool this way).</summary>
    public IReadOnlyList<string>? Ids { get; init; }
}
