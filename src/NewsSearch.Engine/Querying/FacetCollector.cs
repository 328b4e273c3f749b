using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// The counts one search asked for, gathered in the same pass as its top hits: <see cref="Search"/> wraps the
/// top-docs collector in a <see cref="FacetCollector"/> that also counts each hit, so asking for facets costs one
/// doc-values read per hit and facet, never a second search.
/// </summary>
internal sealed class FacetCounts
{
    private readonly DateHistogram? _dates;
    private readonly SourceTally? _sources;

    private FacetCounts(DateHistogram? dates, SourceTally? sources)
    {
        _dates = dates;
        _sources = sources;
    }

    /// <summary>
    /// The counts <paramref name="request"/> asks for, or null for none. Checked here, before the search: a histogram
    /// between two given bounds that needs more than <paramref name="maxBuckets"/> periods is refused at once.
    /// </summary>
    /// <exception cref="InvalidRequestException">An unknown interval, a source count out of range, or too many buckets.</exception>
    public static FacetCounts? For(FacetRequest? request, DateTimeOffset? from, DateTimeOffset? to, TimeZoneInfo zone, int maxBuckets)
    {
        if (request is null) return null;
        if (!Enum.IsDefined(request.DateHistogram))
            throw new InvalidRequestException(DateHistogram.Field, $"date_histogram {(int)request.DateHistogram} is not one of DAY, WEEK, MONTH, YEAR");
        if (request.SourceTop is < 0 or > FacetRequest.MaxSourceTop)
            throw new InvalidRequestException(SourceTally.Field, $"source_top must be between 0 and {FacetRequest.MaxSourceTop}; got {request.SourceTop}");
        if (!request.AsksForAny) return null;
        return new FacetCounts(
            request.DateHistogram == FacetInterval.None ? null : new DateHistogram(new CalendarBuckets(request.DateHistogram, zone), maxBuckets, from, to),
            request.SourceTop > 0 ? new SourceTally(request.SourceTop) : null);
    }

    /// <summary>The top <paramref name="n"/> hits as <see cref="IndexSearcher.Search(Query, Filter, int, Sort, bool, bool)"/>
    /// finds them (scores filled in), while every hit is counted.</summary>
    public TopDocs Search(IndexSearcher searcher, Query query, Filter? filter, int n, Sort sort)
    {
        // As IndexSearcher does: a collector needs room for at least one hit, and never more than the index holds.
        n = Math.Max(1, Math.Min(n, searcher.IndexReader.MaxDoc));
        // Not told whether the scorer goes in doc order, so take the collector that works either way.
        var top = TopFieldCollector.Create(sort, n, fillFields: true, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
        searcher.Search(query, filter, Counting(top));
        return top.GetTopDocs();
    }

    /// <summary>A collector that passes every hit on to <paramref name="inner"/> and counts it.</summary>
    public ICollector Counting(ICollector inner) => new FacetCollector(inner, this);

    public FacetResult Result()
    {
        var (sources, other, missing) = _sources?.Result() ?? ([], 0, 0);
        return new FacetResult(_dates?.Buckets() ?? [], _dates?.Undated ?? 0, sources, other, missing);
    }

    /// <summary>Passes every hit on to the top-docs collector and counts it.</summary>
    private sealed class FacetCollector(ICollector inner, FacetCounts counts) : ICollector
    {
        private NumericDocValues? _published;

        public bool AcceptsDocsOutOfOrder => inner.AcceptsDocsOutOfOrder;

        public void SetScorer(Scorer scorer) => inner.SetScorer(scorer);

        public void SetNextReader(AtomicReaderContext context)
        {
            inner.SetNextReader(context);
            // NewestKey holds the publication instant, and long.MinValue for an undated article.
            if (counts._dates is not null) _published = context.AtomicReader.GetNumericDocValues(ArticleFields.NewestKey);
            counts._sources?.SetNextReader(context.AtomicReader);
        }

        public void Collect(int doc)
        {
            inner.Collect(doc);
            counts._dates?.Add(_published?.Get(doc) ?? long.MinValue);
            counts._sources?.Add(doc);
        }
    }
}
