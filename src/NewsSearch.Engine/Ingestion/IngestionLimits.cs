namespace NewsSearch.Engine.Ingestion;

/// <summary>
/// Bounds on what one seed file may cost to read, so that a hostile or broken file is skipped with a reason instead
/// of exhausting memory or stalling indexing. Defaults fit real exports with room to spare.
/// </summary>
/// <param name="MaxArticleBytes">Longest JSON Lines line or page file, in bytes. Longer ones are skipped.</param>
/// <param name="MaxFileBytes">Largest seed file on disk, in bytes. Larger ones are skipped whole.</param>
/// <param name="MaxDecompressedBytes">Most bytes one <c>.jsonl.gz</c> may expand to; reading stops there.</param>
/// <param name="MaxBadLines">Bad lines in one file after which, once they outnumber the good ones, the rest of the file is
/// given up (a file of garbage is not parsed line by line to its end).</param>
public sealed record IngestionLimits(
    int MaxArticleBytes = IngestionLimits.DefaultMaxArticleBytes,
    long MaxFileBytes = IngestionLimits.DefaultMaxFileBytes,
    long MaxDecompressedBytes = IngestionLimits.DefaultMaxDecompressedBytes,
    int MaxBadLines = IngestionLimits.DefaultMaxBadLines)
{
    public const int DefaultMaxArticleBytes = 4 << 20;
    public const long DefaultMaxFileBytes = 8L << 30;
    public const long DefaultMaxDecompressedBytes = 8L << 30;
    public const int DefaultMaxBadLines = 10_000;

    public static IngestionLimits Default { get; } = new();
}
