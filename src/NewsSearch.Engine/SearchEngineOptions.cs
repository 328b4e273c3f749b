using System.ComponentModel.DataAnnotations;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine;

/// <summary>Configuration section <c>Search</c>. Relative paths are resolved against the host's content root.</summary>
public sealed class SearchEngineOptions : IValidatableObject
{
    public const string Section = "Search";

    /// <summary>Folder of article files, searched recursively. Default <c>seeds</c>.</summary>
    [Required] public string SeedsPath { get; set; } = "seeds";

    /// <summary>Folder holding the index generations. Default <c>index-data</c>.</summary>
    [Required] public string IndexPath { get; set; } = "index-data";

    /// <summary>IANA zone in which <c>YYYY-MM-DD</c> dates are whole days. Default Asia/Shanghai.</summary>
    [Required] public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Optional user dictionary: one word per line, kept whole by the segmenter; reloaded when edited.</summary>
    public string? UserDictionaryPath { get; set; }

    /// <summary>How often the seeds folder, the dictionary and the live-generation pointer are checked. Default 500 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Threads that analyse and index documents; 0 means one per core.</summary>
    [Range(0, 256)] public int IndexingThreads { get; set; }

    /// <summary>
    /// Indexing RAM buffer in MB before a segment is flushed. Default 64: each indexing thread then flushes its own
    /// segments while indexing, instead of one thread flushing everything at the final commit, and peak memory is lower
    /// (cctv: 2,029 → 2,168 warm articles/s, peak RSS 465 → 317 MB against 256).
    /// </summary>
    [Range(16, 4096)] public double RamBufferMb { get; set; } = 64;

    /// <summary>
    /// Segments that a pass building the index from scratch (<c>--reindex</c>, a first start on an empty index, a
    /// schema change) merges the index into before it commits; 0 leaves them as indexing left them. Default 1: every
    /// search looks each query term up and sets up its postings once per segment, so fewer segments cost less per
    /// search (cctv in process, 5 segments → 1: p50 1.6–1.9 → 1.1–1.2 ms, allocation per search 977 → 459 KB), at the
    /// price of a longer build (see BENCHMARKS.md). Later passes add small segments, which the merge policy merges.
    /// </summary>
    [Range(0, 10_000)] public int FullBuildSegments { get; set; } = 1;

    /// <summary>
    /// Whether a seeds folder that holds no article files may empty an index that holds articles. Off by default: an
    /// emptied folder (an unmounted volume, a wrong path) is reported and the index kept.
    /// </summary>
    public bool AllowEmptySeeds { get; set; }

    /// <summary>Longest JSON Lines line or page file, in bytes (default 4 MiB); longer ones are skipped with a reason.</summary>
    [Range(1024, 1 << 30)] public int MaxArticleBytes { get; set; } = IngestionLimits.DefaultMaxArticleBytes;

    /// <summary>Largest seed file on disk, in bytes (default 8 GiB); larger ones are skipped.</summary>
    [Range(1024, long.MaxValue)] public long MaxFileBytes { get; set; } = IngestionLimits.DefaultMaxFileBytes;

    /// <summary>Most bytes one <c>.jsonl.gz</c> may expand to (default 8 GiB); reading stops there with a reason.</summary>
    [Range(1024, long.MaxValue)] public long MaxDecompressedBytes { get; set; } = IngestionLimits.DefaultMaxDecompressedBytes;

    /// <summary>The ingestion limits these options set.</summary>
    public IngestionLimits Limits => new(MaxArticleBytes, MaxFileBytes, MaxDecompressedBytes);

    /// <summary>
    /// Longest a search may run on the server, whatever deadline the client sets; a search still running then is
    /// stopped and answered DEADLINE_EXCEEDED. Default 5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SearchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Base64 key (at least 16 bytes; 32 recommended) that authenticates page tokens. Replicas behind one address must
    /// share it, or a token one issued is refused by another. When empty, a random key is created once in the index
    /// folder (<c>page-token.key</c>, readable by the owner only) and kept across restarts.
    /// </summary>
    public string? PageTokenKey { get; set; }

    /// <summary>Most buckets one date histogram may hold (default 1,000, about 2.7 years of days); a search that would
    /// need more is refused as INVALID_ARGUMENT.</summary>
    [Range(1, 10_000)] public int MaxFacetBuckets { get; set; } = 1_000;

    /// <summary>Single characters' prefix filters kept between searches (a character in one field each; default 256,
    /// about 125 KB each at 1 M articles); 0 keeps none, and every single-character search enumerates its grams.</summary>
    [Range(0, 100_000)] public int PrefixFilterCacheSize { get; set; } = 256;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(PageTokenKey)) yield break;
        byte[]? key = null;
        try { key = Convert.FromBase64String(PageTokenKey.Trim()); }
        catch (FormatException) { }
        if (key is null || key.Length < Querying.PageTokens.MinKeyBytes)
            yield return new ValidationResult(
                $"{Section}:PageTokenKey must be base64 of at least {Querying.PageTokens.MinKeyBytes} random bytes (for example the output of 'openssl rand -base64 32')",
                [nameof(PageTokenKey)]);
    }

    /// <summary>Returns a copy with paths made absolute against <paramref name="contentRoot"/>.</summary>
    public SearchEngineOptions ResolvedAgainst(string contentRoot) => new()
    {
        SeedsPath = Path.GetFullPath(SeedsPath, contentRoot),
        IndexPath = Path.GetFullPath(IndexPath, contentRoot),
        TimeZone = TimeZone,
        UserDictionaryPath = string.IsNullOrWhiteSpace(UserDictionaryPath) ? null : Path.GetFullPath(UserDictionaryPath, contentRoot),
        PollInterval = PollInterval,
        IndexingThreads = IndexingThreads,
        RamBufferMb = RamBufferMb,
        FullBuildSegments = FullBuildSegments,
        AllowEmptySeeds = AllowEmptySeeds,
        MaxArticleBytes = MaxArticleBytes,
        MaxFileBytes = MaxFileBytes,
        MaxDecompressedBytes = MaxDecompressedBytes,
        SearchTimeout = SearchTimeout,
        PageTokenKey = PageTokenKey,
        MaxFacetBuckets = MaxFacetBuckets,
        PrefixFilterCacheSize = PrefixFilterCacheSize,
    };
}
