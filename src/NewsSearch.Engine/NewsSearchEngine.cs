using System.Diagnostics;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using QueryBuilder = NewsSearch.Engine.Querying.QueryBuilder;
using Microsoft.Extensions.Logging;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Ingestion;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine;

/// <summary>
/// The search engine: keeps the live index generation in step with the seeds folder and answers searches from it.
/// One instance per index folder per process. Searches never wait for indexing: they borrow the latest committed
/// searcher while <see cref="SyncOnce"/> (called by one background loop) writes.
/// </summary>
public sealed partial class NewsSearchEngine : IDisposable
{
    /// <summary>Hits per page when the request does not say.</summary>
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;
    /// <summary>Deepest hit a page may reach.</summary>
    public const int MaxResultWindow = 10_000;

    private readonly SearchEngineOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly IndexLocation _location;
    private readonly ChineseAnalyzer _analyzer;
    private volatile RankingState _ranking;
    private readonly SeedSynchronizer _sync;
    private readonly object _writeLock = new();
    private volatile IndexGeneration? _live;
    private IndexFolderLock? _folderLock;
    private volatile IndexingProblem? _problem;

    static NewsSearchEngine()
    {
        BooleanQuery.MaxClauseCount = 4096;
    }

    /// <param name="options">Options with absolute paths (<see cref="SearchEngineOptions.ResolvedAgainst"/>).</param>
    public NewsSearchEngine(SearchEngineOptions options, ILoggerFactory loggers, TimeProvider? clock = null)
    {
        _options = options;
        _logger = loggers.CreateLogger<NewsSearchEngine>();
        _clock = clock ?? TimeProvider.System;
        Zone = Dates.FindZone(options.TimeZone);
        Dictionary = new UserDictionary(options.UserDictionaryPath);
        _analyzer = new ChineseAnalyzer(Dictionary);
        _ranking = new RankingState(RankingSettings.Default, new QueryBuilder(Dictionary), null);
        _location = new IndexLocation(options.IndexPath);
        _sync = new SeedSynchronizer(new SeedReader(Zone, options.Limits), _logger, options.IndexingThreads, options.AllowEmptySeeds);
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>True once <see cref="Open"/> has run and until the engine is disposed.</summary>
    public bool IsOpen => _live is not null;
    public UserDictionary Dictionary { get; }
    public SearchEngineOptions Options => _options;

    /// <summary>
    /// Claims the index folder for this process (<see cref="ClaimFolder"/>, unless already claimed) and opens the live
    /// generation, creating an empty one when the index folder has none.
    /// </summary>
    /// <exception cref="IndexFolderLockedException">Another process serves this index folder.</exception>
    public void Open()
    {
        // SmartCn's dictionaries take ~0.2 s to load (more on a cold disk) and every search needs them: load them on another core
        // while the index opens, so the first search after a restart does not wait for them.
        Task.Run(() => Analysis.HhmmSegmenter.Shared);
        lock (_writeLock)
        {
            ClaimFolder();
            var name = _location.ReadCurrent();
            if (name is null)
            {
                name = _location.CreateGeneration(_clock);
                var created = OpenGeneration(name);
                created.Commit(new IndexState());
                _location.Publish(name);
                _live = created;
            }
            else _live = OpenGeneration(name);
            RemoveStaleGenerations();
            using var lease = Borrow();
            LogOpened(_logger, _live.Name, lease.Searcher.IndexReader.NumDocs);
        }
    }

    /// <summary>
    /// Claims the index folder for serving, so that a second server on it fails at once, before it touches anything.
    /// Hosts call this early at start-up; <see cref="Open"/> calls it when they did not.
    /// </summary>
    /// <exception cref="IndexFolderLockedException">Another process serves this index folder.</exception>
    public void ClaimFolder()
    {
        lock (_writeLock) _folderLock ??= IndexFolderLock.Acquire(_location.Root, IndexRole.Server, _clock);
    }

    private IndexGeneration OpenGeneration(string name)
    {
        return IndexGeneration.Open(name, _location.PathOf(name), _analyzer, Similarity, _options.RamBufferMb);
    }

    /// <summary>The ranking function, used at index time (norms) and at query time.</summary>
    internal static readonly Similarity Similarity = new BM25Similarity(k1: 1.2f, b: 0.75f);

    /// <summary>
    /// How searches rank; <see cref="RankingSettings.Default"/> unless changed. Relevance evaluation sets other values
    /// to compare variants on one open index; a search uses the value read when it starts.
    /// </summary>
    public RankingSettings Ranking
    {
        get => _ranking.Settings;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            // BM25's length norms are the same whatever k1 and b are, so other values need only another searcher.
            var similarity = value.K1 == RankingSettings.Default.K1 && value.B == RankingSettings.Default.B
                ? null : new BM25Similarity(value.K1, value.B);
            _ranking = new RankingState(value, new QueryBuilder(Dictionary) { Ranking = value }, similarity);
        }
    }

    private sealed record RankingState(RankingSettings Settings, QueryBuilder Queries, Similarity? Similarity);

    /// <summary>True when the seeds folder differs from what the live generation was built from.</summary>
    public bool SeedsChanged() => SeedSynchronizer.HasChanges(Live.State, SeedScanner.Scan(_options.SeedsPath));

    /// <summary>
    /// One step of the background loop: follows a generation switch made by a rebuild, reloads the user dictionary,
    /// and indexes whatever changed in the seeds folder. Returns what was indexed, or null when nothing changed.
    /// A pass that fails is rolled back: the index stays as the last pass left it.
    /// </summary>
    /// <exception cref="SeedsUnavailableException">The seeds folder is missing, or empty while the index is not.</exception>
    public SyncResult? SyncOnce(IProgress<SyncProgress>? progress = null, CancellationToken cancel = default)
    {
        lock (_writeLock)
        {
            SyncResult result;
            try
            {
                FollowPublishedGeneration(cancel);
                if (Dictionary.Reload()) LogDictionaryReloaded(_logger, Dictionary.Current.Count);
                result = _sync.Sync(Live, _options.SeedsPath, _clock, progress, cancel);
            }
            catch (SeedsUnavailableException e)
            {
                NoteProblem(e.Message);
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                NoteProblem("the last indexing pass failed and was rolled back; it is retried at every poll (the service log has the error)");
                throw;
            }
            _problem = null;
            if (!result.ChangedAnything) return null;
            LogSynced(_logger, result.FilesRead, Plural(result.FilesRead, "file", "files"), result.FilesRemoved, result.ArticlesIndexed,
                result.InputsSkipped, result.Elapsed.TotalMilliseconds);
            return result;
        }
    }

    private static string Plural(int n, string one, string many) => n == 1 ? one : many;

    /// <summary>Runs <see cref="SyncOnce"/> every poll interval until cancelled. A failure is kept for
    /// <see cref="GetStats"/>, logged when it first appears (not at every poll), and the pass retried.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, _clock);
        do
        {
            var before = _problem;
            try
            {
                SyncOnce(cancel: cancel);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                break;
            }
            catch (SeedsUnavailableException e)
            {
                if (!ReferenceEquals(before, _problem)) LogSeedsUnavailable(_logger, _options.SeedsPath, e.Message);
            }
            catch (Exception e)
            {
                if (!ReferenceEquals(before, _problem)) LogSyncFailed(_logger, e);
                else LogSyncFailedAgain(_logger, e.Message);
            }
        } while (await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false));
    }

    /// <summary>Records a problem for stats, unless it is the one already recorded (which keeps its first time).</summary>
    private void NoteProblem(string message)
    {
        if (_problem?.Message != message) _problem = new IndexingProblem(message, _clock.GetUtcNow());
    }

    /// <summary>
    /// Builds a complete new generation from the seeds folder beside the live one and then publishes it. A service
    /// running on the same index keeps answering from the old generation until the switch, then follows it.
    /// </summary>
    /// <remarks>
    /// Only one rebuild may run on an index folder at a time (<see cref="IndexRole.Rebuild"/>). Nothing is published
    /// unless the whole build succeeds: a failed or cancelled rebuild leaves the live generation as it was and deletes
    /// its own. A seeds folder that is missing, or empty while the live index holds articles, is refused
    /// (unless <see cref="SearchEngineOptions.AllowEmptySeeds"/>), so a typo cannot publish an empty index.
    /// </remarks>
    /// <returns>What the build did and the new generation's figures.</returns>
    /// <exception cref="IndexFolderLockedException">Another rebuild of this folder is running.</exception>
    /// <exception cref="SeedsUnavailableException">The seeds folder is missing, or empty while the live index is not.</exception>
    public static (SyncResult Result, IndexStats Stats) Rebuild(SearchEngineOptions options, ILoggerFactory loggers,
        IProgress<SyncProgress>? progress = null, TimeProvider? clock = null, CancellationToken cancel = default)
    {
        clock ??= TimeProvider.System;
        var builder = new NewsSearchEngine(options, loggers, clock);
        using var claim = IndexFolderLock.Acquire(builder._location.Root, IndexRole.Rebuild, clock);
        var scan = SeedScanner.Scan(options.SeedsPath);
        if (!scan.RootExists)
            throw new SeedsUnavailableException($"the seeds folder {options.SeedsPath} (Search:SeedsPath) does not exist; nothing was rebuilt");
        if (scan.Files.Count == 0 && !options.AllowEmptySeeds && builder.LiveFileCount() > 0)
            throw new SeedsUnavailableException($"the seeds folder {options.SeedsPath} holds no article files; the live index was kept " +
                "(set Search:AllowEmptySeeds to publish an empty index)");
        var name = builder._location.CreateGeneration(clock);
        SyncResult result;
        IndexStats stats;
        try
        {
            using var generation = builder.OpenGeneration(name);
            // Commit even when the seeds folder is empty, so that the new generation holds a valid index.
            result = builder._sync.Sync(generation, options.SeedsPath, clock, progress, cancel);
            if (!result.ChangedAnything) generation.Commit(new IndexState { Schema = IndexState.CurrentSchema, LastIndexedAt = clock.GetUtcNow() });
            stats = StatsOf(generation, null);
        }
        catch
        {
            TryDelete(builder._location.PathOf(name));
            throw;
        }
        builder._location.Publish(name);
        builder.RemoveStaleGenerations();
        return (result, stats);
    }

    /// <summary>How many seed files the published generation was built from (0 when there is none).</summary>
    private int LiveFileCount()
    {
        var name = _location.ReadCurrent();
        if (name is null) return 0;
        try
        {
            return IndexGeneration.ReadCommittedState(_location.PathOf(name)).Files.Count;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private IndexGeneration Live => _live ?? throw new InvalidOperationException("the engine is not open; call Open() first");

    private void FollowPublishedGeneration(CancellationToken cancel)
    {
        var published = _location.ReadCurrent();
        var live = Live;
        if (published is null || published == live.Name) return;
        var next = OpenGeneration(published);
        try
        {
            // Catch up with what changed in the seeds since the rebuild read them before switching, so that articles
            // this server indexed meanwhile never vanish from answers.
            _sync.Sync(next, _options.SeedsPath, _clock, cancel: cancel);
        }
        catch (SeedsUnavailableException)
        {
            // Switch all the same: the rebuilt generation is complete, and the next pass reports the problem.
        }
        catch
        {
            next.Dispose();
            throw;
        }
        _live = next;
        live.Dispose();
        LogSwitched(_logger, live.Name, published);
        RemoveStaleGenerations();
    }

    /// <summary>Deletes generation folders that are neither live nor being written by another process.</summary>
    private void RemoveStaleGenerations()
    {
        // A rebuild creates its folder an instant before it locks it: leave folders alone while one runs.
        if (_folderLock is not null && IndexFolderLock.IsHeld(_location.Root, IndexRole.Rebuild)) return;
        foreach (var name in _location.OtherGenerations(_live?.Name, _location.ReadCurrent()))
        {
            var path = _location.PathOf(name);
            try
            {
                using (var dir = Lucene.Net.Store.FSDirectory.Open(path))
                {
                    if (IndexWriter.IsLocked(dir)) continue;
                }
                TryDelete(path);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void TryDelete(string path)
    {
        try { Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Borrows the live searcher; always release it (<see cref="SearcherLease.Dispose"/>).</summary>
    private SearcherLease Borrow()
    {
        while (true)
        {
            var g = _live ?? throw new ServiceNotReadyException();
            var manager = g.Searchers;
            try
            {
                return new SearcherLease(manager, manager.Acquire());
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(g, _live) || !ReferenceEquals(manager, g.Searchers))
            {
                // The generation was switched, or rolled back, between reading it and acquiring: take the new one.
            }
        }
    }

    private readonly struct SearcherLease(SearcherManager manager, IndexSearcher searcher) : IDisposable
    {
        public IndexSearcher Searcher { get; } = searcher;
        public void Dispose() => manager.Release(Searcher);
    }

    /// <summary>Runs a search. Throws <see cref="InvalidRequestException"/> for a request that cannot be served as asked.</summary>
    public SearchResult Search(SearchRequest request)
    {
        var watch = Stopwatch.StartNew();
        var pageSize = request.PageSize is null or 0 ? DefaultPageSize : request.PageSize.Value;
        if (pageSize is < 1 or > MaxPageSize)
            throw new InvalidRequestException("page_size", $"page_size must be between 1 and {MaxPageSize} (or 0 for the default of {DefaultPageSize}); got {pageSize}");
        var (from, to) = ParseRange(request.PublishedFrom, request.PublishedTo);
        var ids = request.Ids?.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct().ToList() ?? [];
        if (ids.Count > 10_000) throw new InvalidRequestException("ids", $"at most 10000 ids may be given; got {ids.Count}");
        if (!Enum.IsDefined(request.Sort)) throw new InvalidRequestException("sort", $"sort {(int)request.Sort} is not a known order");
        var fingerprint = PageToken.Fingerprint(request);
        var offset = PageToken.Decode(request.PageToken, fingerprint);
        if (offset + pageSize > MaxResultWindow)
            throw new InvalidRequestException("page_token", $"pages end at hit {MaxResultWindow}; narrow the query or the date range");

        var nodes = UserQueryParser.Parse(request.Query ?? "");
        var ranking = _ranking;
        var built = ranking.Queries.Build(nodes);
        var hasFilter = from is not null || to is not null || ids.Count > 0;
        if (built.Query is null)
        {
            if (!hasFilter)
                throw new InvalidRequestException("query", string.IsNullOrWhiteSpace(request.Query)
                    ? "query is empty; type something to search for, or give published_from, published_to or ids"
                    : "query has nothing searchable (only punctuation or symbols)");
        }
        Query query = built.Query ?? new MatchAllDocsQuery();
        var filters = new List<Filter>();
        if (from is not null || to is not null)
            filters.Add(NumericRangeFilter.NewInt64Range(ArticleFields.Published, from?.ToUnixTimeMilliseconds(), to?.ToUnixTimeMilliseconds(), true, true));
        if (ids.Count > 0)
            filters.Add(new TermsFilter(ids.Select(i => new Term(ArticleFields.Id, i)).ToList()));
        Filter? filter = filters.Count switch
        {
            0 => null,
            1 => filters[0],
            _ => new ChainedAllFilter(filters),
        };

        using var lease = Borrow();
        var searcher = ranking.Similarity is null ? lease.Searcher : new IndexSearcher(lease.Searcher.IndexReader) { Similarity = ranking.Similarity };
        var pasted = FeedbackExpansion.IsPasted(built.Query);
        if (pasted && ranking.Settings.PastedKeepShare < 1)
            query = PastedTermSelection.Select(searcher.IndexReader, (BooleanQuery)query, ranking.Settings);
        if (pasted && ranking.Settings.FeedbackDocs > 0)
            query = FeedbackExpansion.Expand(searcher, query, filter, ranking.Settings, Dictionary);
        var top = searcher.Search(query, filter, offset + pageSize, SortFor(request.Sort), doDocScores: true, doMaxScore: false);
        var page = top.ScoreDocs.Skip(offset).Select(sd => (sd, Article: ArticleFields.ToArticle(searcher.Doc(sd.Doc)))).ToList();
        var snippets = SnippetBuilder.Build(searcher.IndexReader, page.Select(p => (p.sd.Doc, p.Article.Body)).ToList(), built.Highlights);
        var hits = page.Select((p, i) => new SearchHit(p.Article.Id, p.Article.Title, p.Article.Published,
            float.IsNaN(p.sd.Score) ? 0 : p.sd.Score, p.Article.Url, snippets[i])).ToList();
        var next = offset + pageSize < top.TotalHits && offset + pageSize < MaxResultWindow
            ? PageToken.Encode(offset + pageSize, fingerprint) : "";
        return new SearchResult(top.TotalHits, hits, next, watch.Elapsed);
    }

    private (DateTimeOffset? From, DateTimeOffset? To) ParseRange(string? fromText, string? toText)
    {
        DateTimeOffset? from = null, to = null;
        if (!string.IsNullOrWhiteSpace(fromText))
        {
            if (!Dates.TryParseInstant(fromText, Zone, out var f, out _))
                throw new InvalidRequestException("published_from", $"published_from '{fromText}' is not a date: use YYYY-MM-DD or an RFC 3339 instant such as 2025-07-01T08:00:00+08:00");
            from = f;
        }
        if (!string.IsNullOrWhiteSpace(toText))
        {
            if (!Dates.TryParseInstant(toText, Zone, out var t, out var dateOnly))
                throw new InvalidRequestException("published_to", $"published_to '{toText}' is not a date: use YYYY-MM-DD or an RFC 3339 instant such as 2025-07-31T23:59:59+08:00");
            // A day given as YYYY-MM-DD is included whole.
            to = dateOnly ? Dates.StartOfDay(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, Zone).DateTime).AddDays(1), Zone).AddMilliseconds(-1) : t;
        }
        if (from is not null && to is not null && from > to)
            throw new InvalidRequestException("published_from", $"published_from ({fromText}) is after published_to ({toText})");
        return (from, to);
    }

    private static Sort SortFor(SortOrder order) => order switch
    {
        SortOrder.NewestFirst => new Sort(new SortField(ArticleFields.NewestKey, SortFieldType.INT64, true), SortField.FIELD_SCORE),
        SortOrder.OldestFirst => new Sort(new SortField(ArticleFields.OldestKey, SortFieldType.INT64, false), SortField.FIELD_SCORE),
        _ => new Sort(SortField.FIELD_SCORE, new SortField(ArticleFields.NewestKey, SortFieldType.INT64, true)),
    };

    /// <summary>The full article with id <paramref name="id"/>.</summary>
    /// <exception cref="ArticleNotFoundException">No article has that id.</exception>
    public Article GetArticle(string id)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new InvalidRequestException("id", "id is empty");
        using var lease = Borrow();
        var top = lease.Searcher.Search(new TermQuery(new Term(ArticleFields.Id, id)), 1);
        if (top.TotalHits == 0) throw new ArticleNotFoundException(id);
        return ArticleFields.ToArticle(lease.Searcher.Doc(top.ScoreDocs[0].Doc));
    }

    /// <summary>Figures about the live index.</summary>
    public IndexStats GetStats() => StatsOf(_live ?? throw new ServiceNotReadyException(), _problem);

    private static IndexStats StatsOf(IndexGeneration g, IndexingProblem? problem)
    {
        var manager = g.Searchers;
        var searcher = manager.Acquire();
        try
        {
            var state = g.State;
            return new IndexStats(searcher.IndexReader.NumDocs, state.LastIndexedAt, g.SizeOnDisk(), state.SkippedCount,
                state.Skipped.Values.SelectMany(s => s.Examples).Take(100).ToList(), g.Name)
            {
                DuplicateCopies = state.DuplicateCount,
                Problem = problem,
            };
        }
        finally
        {
            manager.Release(searcher);
        }
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            _live?.Dispose();
            _live = null;
            _folderLock?.Dispose();
            _folderLock = null;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Opened index generation {Generation} with {Articles} articles")]
    private static partial void LogOpened(ILogger logger, string generation, int articles);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Indexed {Files} changed {FileWord} and removed {Removed}: {Articles} articles, {Skipped} inputs skipped, in {ElapsedMs:F0} ms")]
    private static partial void LogSynced(ILogger logger, int files, string fileWord, int removed, int articles, int skipped, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Switched from index generation {Old} to rebuilt generation {New}")]
    private static partial void LogSwitched(ILogger logger, string old, string @new);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Indexing pass failed and was rolled back; it is retried at every poll")]
    private static partial void LogSyncFailed(ILogger logger, Exception e);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Indexing pass failed again: {Error}")]
    private static partial void LogSyncFailedAgain(ILogger logger, string error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Seeds folder {SeedsPath}: {Problem}")]
    private static partial void LogSeedsUnavailable(ILogger logger, string seedsPath, string problem);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "User dictionary reloaded: {Words} words")]
    private static partial void LogDictionaryReloaded(ILogger logger, int words);
}
