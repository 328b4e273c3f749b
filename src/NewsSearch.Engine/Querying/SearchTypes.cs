namespace NewsSearch.Engine.Querying;

/// <summary>Order of results.</summary>
public enum SortOrder { Relevance, NewestFirst, OldestFirst }

/// <summary>A search as a client asks for it; <see cref="NewsSearchEngine"/> validates every field.</summary>
/// <param name="Query">What the reader typed; may be empty when a filter is given.</param>
/// <param name="PublishedFrom">Inclusive lower bound: <c>YYYY-MM-DD</c> (start of that day in the service's zone) or RFC 3339.</param>
/// <param name="PublishedTo">Inclusive upper bound: <c>YYYY-MM-DD</c> (the whole day) or RFC 3339.</param>
/// <param name="PageSize">Hits per page, 1..100; null or 0 means the default of 10.</param>
/// <param name="PageToken">The <see cref="SearchResult.NextPageToken"/> of the previous page, or empty.</param>
/// <param name="Ids">When not empty, only these article ids are searched.</param>
public sealed record SearchRequest(
    string Query,
    string? PublishedFrom = null,
    string? PublishedTo = null,
    int? PageSize = null,
    string? PageToken = null,
    SortOrder Sort = SortOrder.Relevance,
    IReadOnlyList<string>? Ids = null)
{
    /// <summary>Counts over all hits to return beside the page; null for none. Any page may ask; tokens ignore it.</summary>
    public FacetRequest? Facets { get; init; }

    /// <summary>Adds to each hit why it scored as it did (<see cref="SearchHit.Explanation"/>); costs a little more
    /// per hit of the page. Default false.</summary>
    public bool Explain { get; init; }

    /// <summary>Count every hit, however many. By default hits are counted exactly up to
    /// <see cref="NewsSearchEngine.ExactTotalUpTo"/>; past that a search in relevance order may skip hits that cannot
    /// reach the page, and <see cref="SearchResult.TotalIsLowerBound"/> says the total is then "at least". Facets
    /// always count every hit. Default false.</summary>
    public bool ExactTotal { get; init; }

    /// <summary>Related: an article's text, ranked as a pasted paragraph instead of <see cref="Query"/> (never parsed
    /// as query syntax).</summary>
    internal string? ArticleText { get; init; }

    /// <summary>Related: documents holding any of these terms are never hits (<see cref="RelatedExclusion"/>).</summary>
    internal IReadOnlyList<Lucene.Net.Index.Term>? Excluded { get; init; }

    /// <summary>Show each near-duplicate cluster once, as its first hit in the requested order (see
    /// <see cref="SearchHit.CollapsedIds"/>); null means true, unless <see cref="Ids"/> names the articles wanted.</summary>
    public bool? Collapse { get; init; }

    /// <summary>Whether this search collapses: <see cref="Collapse"/>, or when unset, true unless ids are given.</summary>
    internal bool Collapses => Collapse ?? !(Ids is { Count: > 0 });
}

/// <summary>One hit. <see cref="Snippet"/> is plain text with the matched characters wrapped in
/// <c>&lt;em&gt;</c>…<c>&lt;/em&gt;</c>; the text itself is HTML-escaped.</summary>
public sealed record SearchHit(string Id, string Title, DateTimeOffset? Published, float Score, string? Url, string Snippet)
{
    /// <summary>The whole title, HTML-escaped, with the matched characters wrapped in <c>&lt;em&gt;</c>…<c>&lt;/em&gt;</c>.</summary>
    public string HighlightedTitle { get; init; } = "";

    /// <summary>Why it scored as it did, when the request asked (<see cref="SearchRequest.Explain"/>); else null.</summary>
    public HitExplanation? Explanation { get; init; }

    /// <summary>When collapsed: how many other hits of this search are near-duplicates of this one (its cluster).</summary>
    public int CollapsedCount { get; init; }

    /// <summary>When collapsed: the ids of those hits in the requested order, at most 50.</summary>
    public IReadOnlyList<string> CollapsedIds { get; init; } = [];
}

/// <summary>A page of results. <see cref="NextPageToken"/> is empty on the last page.
/// <see cref="TotalHits"/> counts articles, collapsed or not.</summary>
public sealed record SearchResult(long TotalHits, IReadOnlyList<SearchHit> Hits, string NextPageToken, TimeSpan Elapsed)
{
    /// <summary>True when <see cref="TotalHits"/> (and <see cref="TotalClusters"/>) are lower bounds: the search counted
    /// at least <see cref="NewsSearchEngine.ExactTotalUpTo"/> hits, then skipped hits that could not reach the page
    /// (see <see cref="SearchRequest.ExactTotal"/>).</summary>
    public bool TotalIsLowerBound { get; init; }

    /// <summary>When collapsed: the number of near-duplicate clusters the hits fall into, which pages step through;
    /// null when not collapsed.</summary>
    public long? TotalClusters { get; init; }

    /// <summary>The counts <see cref="SearchRequest.Facets"/> asked for, or null when it asked for none.</summary>
    public FacetResult? Facets { get; init; }
}

/// <summary>Figures about the live index.</summary>
public sealed record IndexStats(
    long ArticleCount,
    DateTimeOffset? LastIndexedAt,
    long IndexSizeBytes,
    int InputsSkipped,
    IReadOnlyList<Ingestion.SkippedInput> SkippedExamples,
    string Generation)
{
    /// <summary>Copies of articles not served because another input holds the same id (see the duplicate rule).</summary>
    public int DuplicateCopies { get; init; }

    /// <summary>Why indexing is not keeping up with the seeds folder right now, or null when it is.</summary>
    public IndexingProblem? Problem { get; init; }
}

/// <summary>A problem that keeps indexing from following the seeds folder, since <paramref name="Since"/>. The message
/// names no absolute path: it is shown to clients.</summary>
public sealed record IndexingProblem(string Message, DateTimeOffset Since);
