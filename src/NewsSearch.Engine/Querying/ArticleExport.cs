using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// One export: every match of a query in (publication, id) order over one view of the index, read a batch at a time.
/// Each batch is a search for the next <see cref="BatchSize"/> matches after the last one sent (Lucene's search-after
/// on the sort key and the id's doc values), so memory stays one batch whatever the number of matches, and there is
/// no result window. The view is the searcher the export borrowed when it began; <see cref="Dispose"/> gives it back.
/// </summary>
public sealed class ArticleExport : IDisposable
{
    /// <summary>Matches read per search. Each batch walks the query's matches again, so larger batches are cheaper
    /// in total; this many items are at most a few hundred kilobytes.</summary>
    public const int BatchSize = 2048;

    private static readonly Sort Order = new(new SortField(ArticleFields.OldestKey, SortFieldType.INT64), new SortField(ArticleFields.IdKey, SortFieldType.STRING));

    private readonly IDisposable _lease;
    private readonly DirectoryReader _reader;
    private readonly Query _query;
    private readonly Filter? _filter;
    private readonly bool _includeTitles;
    private readonly ExportCursors _cursors;
    private readonly SearchRequest _scope;
    private readonly Func<CancellationToken, DateTimeOffset?, SearchStop> _stop;
    private ExportPosition? _after;
    private bool _done;
    private int _disposed;

    internal ArticleExport(IDisposable lease, DirectoryReader reader, Query query, Filter? filter, bool includeTitles,
        ExportCursors cursors, SearchRequest scope, ExportPosition? after, Func<CancellationToken, DateTimeOffset?, SearchStop> stop)
    {
        _lease = lease;
        _reader = reader;
        _query = query;
        _filter = filter;
        _includeTitles = includeTitles;
        _cursors = cursors;
        _scope = scope;
        _after = after;
        _stop = stop;
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
        // Lucene.Net boxes sort values as J2N numbers. Doc int.MaxValue: an article at the position itself was sent.
        var after = _after is { } p ? new FieldDoc(int.MaxValue, float.NaN, [J2N.Numerics.Int64.GetInstance(p.Key), new BytesRef(p.Id)]) : null;
        var collector = TopFieldCollector.Create(Order, BatchSize, after, fillFields: true, trackDocScores: false, trackMaxScore: false,
            docsScoredInOrder: false);
        searcher.Search(_query, _filter, collector);
        var docs = collector.GetTopDocs().ScoreDocs;
        var batch = new List<ExportedArticle>(docs.Length);
        foreach (FieldDoc d in docs)
        {
            stop.ThrowIfStopped();
            var position = new ExportPosition(((J2N.Numerics.Int64)d.Fields[0]).ToInt64(), ((BytesRef)d.Fields[1]).Utf8ToString());
            var title = _includeTitles ? ArticleFields.ReadTitle(searcher.IndexReader, d.Doc) : null;
            batch.Add(new ExportedArticle(position.Id, position.Key == long.MaxValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(position.Key),
                title, _cursors.Encode(position, _scope)));
            _after = position;
        }
        _done = docs.Length < BatchSize;
        return batch;
    }

    /// <summary>Gives the borrowed view back. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _lease.Dispose();
    }
}
