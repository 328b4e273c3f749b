namespace NewsSearch.Engine.Querying;

/// <summary>The calendar period of a date histogram's buckets, in the service's time zone.</summary>
public enum FacetInterval { None, Day, Week, Month, Year }

/// <summary>
/// Counts a search may ask for over all its hits, not only the page. They count articles as matched (before any
/// collapsing of near-duplicates), so they add up to the hit count of the query and filters.
/// </summary>
public sealed record FacetRequest
{
    /// <summary>Most source counts one request may ask for.</summary>
    public const int MaxSourceTop = 1_000;

    /// <summary>The histogram's period; <see cref="FacetInterval.None"/> for no histogram. Weeks start on Monday (ISO 8601).</summary>
    public FacetInterval DateHistogram { get; init; }

    /// <summary>How many of the most frequent sources to count by name (0 to <see cref="MaxSourceTop"/>); 0 for no source counts.</summary>
    public int SourceTop { get; init; }

    /// <summary>True when the request asks for any count.</summary>
    public bool AsksForAny => DateHistogram != FacetInterval.None || SourceTop > 0;
}

/// <summary>
/// Counts over all hits. With a histogram, the buckets' counts plus <see cref="Undated"/> add up to the hit count; with
/// source counts, <see cref="Sources"/> plus <see cref="OtherSources"/> plus <see cref="MissingSource"/> do.
/// </summary>
/// <param name="DateBuckets">In time order, empty ones included, from the bucket of <c>published_from</c> (or of the
/// first hit when open) to that of <c>published_to</c> (or of the last hit); empty when no histogram was asked.</param>
/// <param name="Undated">Hits without a publication date (never any when a date filter is given).</param>
/// <param name="Sources">The most frequent sources, most hits first, ties by name (ordinal).</param>
/// <param name="OtherSources">Hits whose source is not among <paramref name="Sources"/>.</param>
/// <param name="MissingSource">Hits whose article names no source.</param>
public sealed record FacetResult(
    IReadOnlyList<DateBucket> DateBuckets,
    long Undated,
    IReadOnlyList<SourceCount> Sources,
    long OtherSources,
    long MissingSource);

/// <summary>One calendar period: hits published from <paramref name="Start"/> (inclusive) to <paramref name="End"/>
/// (exclusive; null for the last period the calendar holds). <paramref name="Label"/> is its local start:
/// <c>2024-03-25</c> for a day or a week, <c>2024-03</c> for a month, <c>2024</c> for a year.</summary>
public sealed record DateBucket(DateTimeOffset Start, DateTimeOffset? End, string Label, long Count);

/// <summary>Hits whose article names <paramref name="Source"/>.</summary>
public sealed record SourceCount(string Source, long Count);
