namespace NewsSearch.Engine.Ingestion;

/// <summary>How an article's publication instant was obtained.</summary>
public enum DateSource
{
    /// <summary>No date could be found; the article never matches a date-filtered query.</summary>
    None = 0,
    /// <summary>From the record itself (a JSON Lines <c>date</c> or <c>published</c> field).</summary>
    Record = 1,
    /// <summary>From a sidecar metadata file (<c>page.txt.meta.json</c>) that overrides anything inferred.</summary>
    Sidecar = 2,
    /// <summary>Inferred from a scraped page: the newest date of the page's related-article listing.</summary>
    PageListing = 3,
}

/// <summary>One article as ingested from the seeds folder.</summary>
/// <param name="Id">Stable id: the record's own id, else derived from the file path.</param>
/// <param name="Published">Publication instant, or null when unknown.</param>
/// <param name="SourcePath">Seeds-relative path of the file the article came from ('/' separators).</param>
public sealed record Article(
    string Id,
    string Title,
    string Body,
    DateTimeOffset? Published,
    DateSource DateSource,
    string? Url,
    string? Source,
    string SourcePath);

/// <summary>An input (a file or one line of a file) that was skipped, and why.</summary>
public sealed record SkippedInput(string Path, int? Line, string Reason)
{
    public override string ToString() => Line is null ? $"{Path}: {Reason}" : $"{Path}:{Line}: {Reason}";
}
