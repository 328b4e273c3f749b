namespace NewsSearch.Engine.Querying;

/// <summary>An export as a client asks for it; <see cref="NewsSearchEngine.Export(ExportRequest, CancellationToken, DateTimeOffset?)"/> validates every field.</summary>
/// <param name="Query">As <see cref="SearchRequest.Query"/>; may be empty when a date bound is given.</param>
/// <param name="PublishedFrom">Inclusive lower bound, as <see cref="SearchRequest.PublishedFrom"/>.</param>
/// <param name="PublishedTo">Inclusive upper bound, as <see cref="SearchRequest.PublishedTo"/>.</param>
/// <param name="IncludeTitles">Whether items carry the title (read from stored fields: slower).</param>
/// <param name="Cursor">An <see cref="ExportedArticle.Cursor"/> of an earlier export of the same query and range, to go on after it.</param>
public sealed record ExportRequest(
    string Query,
    string? PublishedFrom = null,
    string? PublishedTo = null,
    bool IncludeTitles = false,
    string? Cursor = null);

/// <summary>One exported article. <see cref="Title"/> is null unless asked for; <see cref="Cursor"/> resumes after it.</summary>
public sealed record ExportedArticle(string Id, DateTimeOffset? Published, string? Title, string Cursor);
