using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine;

public sealed partial class NewsSearchEngine
{
    /// <summary>
    /// Starts an export of every article matching <paramref name="request"/>'s query and date range, oldest first by
    /// publication (undated last), ties by id (ordinal). The export reads the view of the index current now until it
    /// is disposed; dispose it as soon as the caller is done or gone.
    /// </summary>
    /// <remarks>
    /// A cursor resumes in the same order from the article it names, in the view current when the new export starts:
    /// nothing up to the cursor is sent again and nothing after it is skipped. An article added or removed in between
    /// is sent or not according to where it falls; one whose date changed may be missed or sent twice.
    /// </remarks>
    /// <exception cref="InvalidRequestException">The request cannot be served as asked (as a search), or its cursor was not issued for it.</exception>
    public ArticleExport Export(ExportRequest request, CancellationToken cancel = default, DateTimeOffset? deadline = null) =>
        Export(request, ArticleExport.BatchSize, cancel, deadline);

    /// <summary>As the public overload, with batches of <paramref name="batchSize"/> (tests walk many windows with few articles).</summary>
    internal ArticleExport Export(ExportRequest request, int batchSize, CancellationToken cancel = default, DateTimeOffset? deadline = null)
    {
        try
        {
            return StartExport(request, batchSize, cancel, deadline);
        }
        catch (BooleanQuery.TooManyClausesException)
        {
            throw TooManyClauses();
        }
    }

    private ArticleExport StartExport(ExportRequest request, int batchSize, CancellationToken cancel, DateTimeOffset? deadline)
    {
        var (from, to) = ParseRange(request.PublishedFrom, request.PublishedTo);
        // What a cursor is bound to: the query and the range, as given.
        var scope = new SearchRequest(request.Query ?? "", request.PublishedFrom, request.PublishedTo);
        var cursors = new ExportCursors(PageTokens, scope);
        try
        {
            return OpenExport(request, from, to, cursors, batchSize, cancel, deadline);
        }
        catch
        {
            cursors.Dispose();
            throw;
        }
    }

    /// <summary>The export itself, once its range is read; it owns <paramref name="cursors"/> when it returns.</summary>
    private ArticleExport OpenExport(ExportRequest request, DateTimeOffset? from, DateTimeOffset? to, ExportCursors cursors,
        int batchSize, CancellationToken cancel, DateTimeOffset? deadline)
    {
        var after = cursors.Decode(request.Cursor);
        var ranking = _ranking;
        var built = ranking.Queries.Build(UserQueryParser.Parse(request.Query ?? ""), new SearchStop(cancel, _clock, _options.SearchTimeout, deadline));
        if (built.Query is null && from is null && to is null)
            throw new InvalidRequestException("query", string.IsNullOrWhiteSpace(request.Query)
                ? "query is empty; give a query, or published_from or published_to to export a date range"
                : "query has nothing searchable (only punctuation or symbols)");
        Query query = built.Query ?? new MatchAllDocsQuery();
        var lease = Borrow();
        try
        {
            var reader = (DirectoryReader)lease.Searcher.IndexReader;
            // The same matches as Search: a pasted paragraph's words are selected the same way (feedback only reorders).
            if (FeedbackExpansion.IsPasted(built.Query) && PastedTermSelection.Applies(ranking.Settings))
                query = PastedTermSelection.Select(reader, (BooleanQuery)query, ranking.Settings);
            return new ArticleExport(lease, reader, query, from?.ToUnixTimeMilliseconds(), to?.ToUnixTimeMilliseconds(),
                request.IncludeTitles, cursors, after, (c, d) => new SearchStop(c, _clock, _options.SearchTimeout, d), batchSize);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }
}
