using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// One export: every match of a query in (publication, id) order over one view of the index, read a batch at a time.
/// A batch is a search for the next <see cref="BatchSize"/> matches after the last one sent (Lucene's search-after
/// on the sort key and the id's doc values), so memory stays one batch whatever the number of matches, and there is
/// no result window. The view is the searcher the export borrowed when it began; <see cref="Dispose"/> gives it back.
/// </summary>
/// <remarks>
/// The first batch walks every match and samples their dates (<see cref="ExportWindows"/>); each later batch searches
/// only the date window it is in, a span of dates holding about a batch of matches, with the date filter leading
/// the query. Without the windows every batch walked every match again, so a whole export cost matches² / batch:
/// at 1 M articles the last batches of an export of everything cost as much as the first
/// (BENCHMARKS.md, "Export at scale"). Undated matches come last, after every window, through a filter of the undated.
/// </remarks>
public sealed class ArticleExport : IDisposable
{
    /// <summary>Matches sent per batch: at most a few hundred kilobytes of items.</summary>
    public const int BatchSize = 2048;

    private static readonly Sort Order = new(new SortField(ArticleFields.OldestKey, SortFieldType.INT64), new SortField(ArticleFields.IdKey, SortFieldType.STRING));

    private readonly IDisposable _lease;
    private readonly DirectoryReader _reader;
    private readonly Query _query;
    private readonly long? _from, _to;
    private readonly bool _includeTitles;
    private readonly ExportCursors _cursors;
    private readonly Func<CancellationToken, DateTimeOffset?, SearchStop> _stop;
    private readonly int _batchSize;
    private ExportPosition? _after;
    private ExportWindows? _windows;
    private int _window;
    private long _low = long.MinValue;
    private bool _done;
    private int _disposed;

    internal ArticleExport(IDisposable lease, DirectoryReader reader, Query query, long? from, long? to, bool includeTitles,
        ExportCursors cursors, ExportPosition? after, Func<CancellationToken, DateTimeOffset?, SearchStop> stop,
        int batchSize = BatchSize)
    {
        _lease = lease;
        _reader = reader;
        _query = query;
        (_from, _to) = (from, to);
        _includeTitles = includeTitles;
        _cursors = cursors;
        _after = after;
        _stop = stop;
        _batchSize = batchSize;
    }

    /// <summary>
    /// The next matches, in order; empty once all were read. A batch stops like a search (the caller's cancellation
    /// or deadline, or the service's search limit), and the export can go on from the last item's cursor.
    /// </summary>
    public IReadOnlyList<ExportedArticle> NextBatch(CancellationToken cancel = default, DateTimeOffset? deadline = null)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_done) return [];
        var stop = _stop(cancel, deadline);
        using var searcher = new CancellableSearcher(_reader, stop);
        var batch = new List<ExportedArticle>(_batchSize);
        if (_windows is null)
        {
            // Every match, as the export's first search: its dates choose the windows the later batches search.
            var sample = new ExportWindows.Sampler();
            using var rented = new RentedBits();
            var all = Next(searcher, _query, RangeFilter(_from, _to, rented), _batchSize, sample, stop, batch);
            _windows = sample.Windows(_batchSize);
            _window = _windows.IndexOf(_after?.Key ?? long.MinValue);
            _low = _after?.Key ?? long.MinValue;
            _done = all < _batchSize;
            return batch;
        }
        while (batch.Count < _batchSize)
        {
            var wanted = _batchSize - batch.Count;
            int found;
            if (_window < _windows.Count)
            {
                var high = _windows.End(_window);
                using var rented = new RentedBits();
                var dates = RangeFilter(Math.Max(_low, _from ?? long.MinValue), Min(high, _to), rented);
                found = dates is null ? 0 : Next(searcher, Within(dates), null, wanted, null, stop, batch);
                if (found == wanted) break;
                // The window is read to its end; the next begins past it.
                _window++;
                if (high != long.MaxValue) _low = high + 1;
                continue;
            }
            // Past every window only undated matches are left (none when a date range was asked for).
            if (_windows.Undated == 0)
            {
                _done = true;
                break;
            }
            using (var rented = new RentedBits())
                found = Next(searcher, Within(new UndatedFilter(rented)), null, wanted, null, stop, batch);
            if (found < wanted) _done = true;
            break;
        }
        return batch;
    }

    private static long? Min(long high, long? to) => high == long.MaxValue ? to : to is { } t ? Math.Min(t, high) : high;

    /// <summary>The export's query with the window's dates leading: only the window's documents are visited.</summary>
    private Query Within(Filter dates) => _query is MatchAllDocsQuery
        ? new ConstantScoreQuery(dates)
        : new FilteredQuery(_query, dates, FilteredQuery.LEAP_FROG_FILTER_FIRST_STRATEGY);

    private static Filter? RangeFilter(long? from, long? to, RentedBits rented) =>
        from is null && to is null ? null
        : from is { } f && to is { } t && f > t ? null
        : new PublishedRangeFilter(from, to, rented);

    /// <summary>The documents without a publication date (their sort key is <see cref="long.MaxValue"/>), read from
    /// the sort key's doc values: one look per document, far less than walking every match of the query again.</summary>
    private sealed class UndatedFilter(RentedBits rented) : Filter
    {
        public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs)
        {
            if (context.AtomicReader.GetNumericDocValues(ArticleFields.OldestKey) is not { } keys) return null;
            var maxDoc = context.AtomicReader.MaxDoc;
            FixedBitSet? bits = null;
            for (var doc = 0; doc < maxDoc; doc++)
                if (keys.Get(doc) == long.MaxValue && acceptDocs?.Get(doc) != false)
                    (bits ??= rented.Rent(maxDoc)).Set(doc);
            return bits;
        }
    }

    /// <summary>Searches for the next <paramref name="wanted"/> matches after the last one sent and adds them to
    /// <paramref name="batch"/>; how many were found.</summary>
    private int Next(IndexSearcher searcher, Query query, Filter? filter, int wanted, ExportWindows.Sampler? sample,
        SearchStop stop, List<ExportedArticle> batch)
    {
        // Lucene.Net boxes sort values as J2N numbers. Doc int.MaxValue: an article at the position itself was sent.
        var after = _after is { } p ? new FieldDoc(int.MaxValue, float.NaN, [J2N.Numerics.Int64.GetInstance(p.Key), new BytesRef(p.Id)]) : null;
        var collector = TopFieldCollector.Create(Order, wanted, after, fillFields: true, trackDocScores: false, trackMaxScore: false,
            docsScoredInOrder: false);
        searcher.Search(query, filter, sample is null ? collector : sample.Around(collector));
        var docs = collector.GetTopDocs().ScoreDocs;
        foreach (FieldDoc d in docs)
        {
            stop.ThrowIfStopped();
            var position = new ExportPosition(((J2N.Numerics.Int64)d.Fields[0]).ToInt64(), ((BytesRef)d.Fields[1]).Utf8ToString());
            var title = _includeTitles ? ArticleFields.ReadTitle(searcher.IndexReader, d.Doc) : null;
            batch.Add(new ExportedArticle(position.Id, position.Key == long.MaxValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(position.Key),
                title, _cursors.Encode(position)));
            _after = position;
        }
        return docs.Length;
    }

    /// <summary>Gives the borrowed view back. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _lease.Dispose();
        _cursors.Dispose();
    }
}
