using System.Diagnostics;
using System.Diagnostics.Metrics;
using Lucene.Net.Index;
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
    /// <summary>Hits counted exactly before a search in relevance order may skip those that cannot reach the page
    /// (unless <see cref="SearchRequest.ExactTotal"/>): as many as the deepest page can show.</summary>
    public const int ExactTotalUpTo = MaxResultWindow;

    private readonly SearchEngineOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly IndexLocation _location;
    private readonly ChineseAnalyzer _analyzer;
    private volatile RankingState _ranking;
    /// <summary>Shares single characters' prefix filters between searches; null when Search:PrefixFilterCacheSize is 0.</summary>
    private readonly SharedPrefixRewrite? _prefixRewrite;
    private readonly SeedSynchronizer _sync;
    private readonly object _writeLock = new();
    private volatile IndexGeneration? _live;
    private IndexFolderLock? _folderLock;
    private volatile IndexingProblem? _problem;
    private readonly EngineMetrics _metrics;
    /// <summary>When a pass that failed first met changes still not committed (a <see cref="TimeProvider"/> timestamp).</summary>
    private long? _changesSeenAt;

    static NewsSearchEngine()
    {
        BooleanQuery.MaxClauseCount = 4096;
    }

    /// <param name="options">Options with absolute paths (<see cref="SearchEngineOptions.ResolvedAgainst"/>).</param>
    /// <param name="meters">Where the <see cref="EngineMetrics"/> meter comes from (the host's); null for a meter of its own.</param>
    public NewsSearchEngine(SearchEngineOptions options, ILoggerFactory loggers, TimeProvider? clock = null, IMeterFactory? meters = null)
    {
        _options = options;
        _logger = loggers.CreateLogger<NewsSearchEngine>();
        _clock = clock ?? TimeProvider.System;
        Zone = Dates.FindZone(options.TimeZone);
        Dictionary = new UserDictionary(options.UserDictionaryPath);
        _analyzer = new ChineseAnalyzer(Dictionary);
        _prefixRewrite = options.PrefixFilterCacheSize > 0 ? new SharedPrefixRewrite(options.PrefixFilterCacheSize) : null;
        _ranking = StateFor(RankingSettings.Default);
        _location = new IndexLocation(options.IndexPath);
        _sync = new SeedSynchronizer(new SeedReader(Zone, options.Limits), _logger, options.IndexingThreads, options.AllowEmptySeeds, options.FullBuildSegments);
        _metrics = new EngineMetrics(meters, ReadFigures);
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
            _pageTokens ??= new PageTokens(PageTokens.LoadKey(_options.PageTokenKey, _location.Root));
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
            value.Validate();
            _ranking = StateFor(value);
        }
    }

    private RankingState StateFor(RankingSettings value)
    {
        // BM25's length norms are the same whatever k1 and b are, so other values need only another searcher.
        var similarity = value.K1 == RankingSettings.Default.K1 && value.B == RankingSettings.Default.B
            ? null : new BM25Similarity(value.K1, value.B);
        var mu = value.SmoothingOr(2000f);
        Similarity? pasted = value.PastedModel switch
        {
            PastedModel.LmDirichlet => new LMDirichletSimilarity(mu),
            PastedModel.Bm25PlusLmDirichlet => new WeightedSumSimilarity(
                (similarity ?? Similarity, 1f), (new LMDirichletSimilarity(mu), value.PastedLmWeight)),
            PastedModel.LmJelinekMercer => new LMJelinekMercerSimilarity(value.SmoothingOr(0.7f)),
            PastedModel.Bm25Plus => new WeightedSumSimilarity(
                (similarity ?? Similarity, 1f), (new MatchIdfSimilarity(), value.SmoothingOr(1f))),
            PastedModel.DfrInExpB2 => new DFRSimilarity(new BasicModelIne(), new AfterEffectB(), LengthNormalisation(value)),
            PastedModel.DfrPl2 => new DFRSimilarity(new BasicModelP(), new AfterEffectL(), LengthNormalisation(value)),
            PastedModel.IbLl => new IBSimilarity(new DistributionLL(), new LambdaDF(), LengthNormalisation(value)),
            PastedModel.IbSpl => new IBSimilarity(new DistributionSPL(), new LambdaDF(), LengthNormalisation(value)),
            _ => null,
        };
        return new RankingState(value, new QueryBuilder(Dictionary) { Ranking = value, PrefixRewrite = _prefixRewrite },
            value.ForRelated(), similarity, pasted);
    }

    private static NormalizationH2 LengthNormalisation(RankingSettings value) => new(value.SmoothingOr(1f));

    /// <summary>How searches rank, and how Related ranks an article (<see cref="RankingSettings.ForRelated"/>). Related's
    /// settings differ only in what is applied after the query is built (<see cref="PastedTermSelection"/>), so both
    /// share one query builder.</summary>
    private sealed record RankingState(RankingSettings Settings, QueryBuilder Queries, RankingSettings RelatedSettings,
        Similarity? Similarity, Similarity? PastedSimilarity)
    {
        public RankingSettings For(SearchRequest request) => request.ArticleText is null ? Settings : RelatedSettings;
    }

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
            var started = _clock.GetTimestamp();
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
                _changesSeenAt ??= started;
                _metrics.RecordFailedPass();
                throw;
            }
            _problem = null;
            if (!result.ChangedAnything) return null;
            // The commit refreshed the searchers: the changes are searchable now.
            _metrics.RecordPass(result.Elapsed, _clock.GetElapsedTime(_changesSeenAt ?? started), result.ArticlesIndexed, result.SkippedByKind);
            _changesSeenAt = null;
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
        var progress = new ProgressLog(_logger);
        do
        {
            var before = _problem;
            try
            {
                SyncOnce(progress, cancel);
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

    /// <summary>Logs a long pass's progress every ten seconds.</summary>
    private sealed class ProgressLog(ILogger logger) : IProgress<SyncProgress>
    {
        private TimeSpan _last;

        public void Report(SyncProgress p)
        {
            if (p.Elapsed < _last) _last = TimeSpan.Zero; // a new pass
            if (p.Elapsed - _last < TimeSpan.FromSeconds(10)) return;
            _last = p.Elapsed;
            LogProgress(logger, p.Fraction * 100, p.BytesTotal / 1048576.0, p.ArticlesIndexed, p.Remaining?.TotalSeconds ?? double.NaN);
        }
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
        using var builder = new NewsSearchEngine(options, loggers, clock);
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
            // Files only a FIFO, empty or malformed: nothing readable, which must not replace an index that has articles.
            if (stats.ArticleCount == 0 && !options.AllowEmptySeeds && builder.LiveFileCount() > 0)
                throw new SeedsUnavailableException($"no article could be read from the seeds folder {options.SeedsPath} " +
                    $"({result.InputsSkipped} {(result.InputsSkipped == 1 ? "input" : "inputs")} skipped: see the log); the live index was kept " +
                    "(set Search:AllowEmptySeeds to publish an empty index)");
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

    /// <summary>
    /// Runs a search. It stops when <paramref name="cancel"/> fires, when <paramref name="deadline"/> passes or after
    /// <see cref="SearchEngineOptions.SearchTimeout"/>, whichever comes first, in any phase: building the query,
    /// searching, reading the hits and their snippets.
    /// </summary>
    /// <exception cref="InvalidRequestException">The request cannot be served as asked.</exception>
    /// <exception cref="SearchTimeoutException">The search ran past <see cref="SearchEngineOptions.SearchTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired or <paramref name="deadline"/> passed.</exception>
    public SearchResult Search(SearchRequest request, CancellationToken cancel = default, DateTimeOffset? deadline = null)
    {
        try
        {
            return SearchCore(request, new SearchStop(cancel, _clock, _options.SearchTimeout, deadline));
        }
        catch (BooleanQuery.TooManyClausesException)
        {
            // The builder's own cap is lower, so this is a rewrite (a prefix) that grew past Lucene's limit.
            throw TooManyClauses();
        }
    }

    private static InvalidRequestException TooManyClauses() => QueryBuilder.TooManyClauses(BooleanQuery.MaxClauseCount);

    private SearchResult SearchCore(SearchRequest request, SearchStop stop)
    {
        var watch = Stopwatch.StartNew();
        using var activity = EngineMetrics.StartSearch();
        var pageSize = request.PageSize is null or 0 ? DefaultPageSize : request.PageSize.Value;
        if (pageSize is < 1 or > MaxPageSize)
            throw new InvalidRequestException("page_size", $"page_size must be between 1 and {MaxPageSize} (or 0 for the default of {DefaultPageSize}); got {pageSize}");
        var (from, to) = ParseRange(request.PublishedFrom, request.PublishedTo);
        var ids = ValidIds(request.Ids);
        if (ids.Count > MaxIds) throw new InvalidRequestException("ids", $"at most {MaxIds} ids may be given; got {ids.Count}");
        if (!Enum.IsDefined(request.Sort)) throw new InvalidRequestException("sort", $"sort {(int)request.Sort} is not a known order");
        var facets = FacetCounts.For(request.Facets, from, to, Zone, _options.MaxFacetBuckets);
        var offset = PageTokens.Decode(request.PageToken, request);
        // In long: an offset near int.MaxValue plus a page must not wrap round below the window.
        if ((long)offset + pageSize > MaxResultWindow)
            throw new InvalidRequestException("page_token", $"pages end at hit {MaxResultWindow}; narrow the query or the date range");

        IReadOnlyList<QueryNode> nodes = request.ArticleText is { } article
            ? [new TextNode(article, Occurrence.Default)]
            : UserQueryParser.Parse(request.Query ?? "");
        var ranking = _ranking;
        var settings = ranking.For(request);
        var built = ranking.Queries.Build(nodes, stop);
        var hasFilter = from is not null || to is not null || ids.Count > 0;
        if (built.Query is null)
        {
            // An article with nothing searchable (only symbols) is related to nothing.
            if (request.ArticleText is not null) return new SearchResult(0, [], "", watch.Elapsed);
            if (!hasFilter)
                throw new InvalidRequestException("query", string.IsNullOrWhiteSpace(request.Query)
                    ? "query is empty; type something to search for, or give published_from, published_to or ids"
                    : "query has nothing searchable (only punctuation or symbols)");
        }
        Query query = built.Query ?? new MatchAllDocsQuery();
        var (fromMs, toMs) = (from?.ToUnixTimeMilliseconds(), to?.ToUnixTimeMilliseconds());
        // The filters' bit sets are rented for this search and given back when it ends.
        using var rented = new RentedBits();
        Filter? FilterFor(long? publishedFrom, long? publishedTo)
        {
            var filters = new List<Filter>();
            if (publishedFrom is not null || publishedTo is not null)
                filters.Add(new PublishedRangeFilter(publishedFrom, publishedTo, rented));
            if (ids.Count > 0)
                filters.Add(new TermDocsFilter(ids.Select(i => new Term(ArticleFields.Id, i)).ToList(), exclude: false, rented));
            if (request.Excluded is { Count: > 0 } excluded) filters.Add(RelatedExclusion.Filter(excluded, rented));
            return filters.Count switch
            {
                0 => null,
                1 => filters[0],
                _ => new ChainedAllFilter(filters, rented),
            };
        }
        var filter = FilterFor(fromMs, toMs);

        stop.ThrowIfStopped();
        var parsed = watch.Elapsed;
        using var lease = Borrow();
        var live = lease.Searcher.IndexReader;
        using var searcher = new CancellableSearcher((DirectoryReader)live, stop) { Similarity = ranking.Similarity ?? Similarity };
        var pasted = FeedbackExpansion.IsPasted(built.Query);
        if (pasted && ranking.PastedSimilarity is { } model) searcher.Similarity = model;
        if (pasted && PastedTermSelection.Applies(settings))
            query = PastedTermSelection.Select(searcher.IndexReader, (BooleanQuery)query, settings);
        if (pasted && settings.FeedbackDocs > 0)
            query = FeedbackExpansion.Expand(searcher, query, filter, settings, Dictionary);
        // What the hits are searched with: a bag of words (a pasted paragraph's, or one word's terms) is scored a
        // window at a time, the filter inside.
        var search = new FilteredSearch(searcher, query, stop);
        var rescored = pasted && FirstHitsRescore.Applies(settings, request.Sort);
        // A filter with no query has nothing to rank by: asked for relevance, it lists its hits newest first, as a
        // reader browsing a date range expects (and cheaply: past 10,000 hits the newest slices fill the page).
        var order = built.Query is null && request.Sort == SortOrder.Relevance ? SortOrder.NewestFirst : request.Sort;
        var sort = SortFor(order);
        var exactUpTo = request.ExactTotal || facets is not null ? int.MaxValue : ExactTotalUpTo;
        // Collapsed (the default, unless ids are given): one hit per near-duplicate cluster, and pages count clusters.
        // Facets count every hit in the same (first) pass.
        ClusterCollapse.Result? collapsed = null;
        TopDocs? top = null;
        var lowerBound = false;
        // In date order, a search with more than exactUpTo hits is given up at that count and its page taken from the
        // newest (oldest) slice of its date range that fills it (NewestSlices); the total is then a lower bound.
        var slices = exactUpTo < int.MaxValue ? NewestSlices.Of(live, order, fromMs, toMs).ToList() : [];
        var giveUpAt = slices.Count > 0 ? exactUpTo : (int?)null;
        for (var attempt = -1; attempt <= slices.Count && collapsed is null && top is null; attempt++)
        {
            // The whole range first (given up past exactUpTo hits), then each slice, then the whole range in full.
            var slice = attempt >= 0 && attempt < slices.Count ? FilterFor(slices[attempt].From, slices[attempt].To) : null;
            var limit = attempt < 0 ? giveUpAt : null;
            if (request.Collapses)
            {
                collapsed = ClusterCollapse.Search(searcher, live, search, filter, sort, offset, pageSize, stop, facets, exactUpTo, slice, limit);
                if (collapsed is not null && slice is not null)
                    collapsed = collapsed with { TotalHits = Math.Max(collapsed.TotalHits, exactUpTo), TotalIsLowerBound = true };
                lowerBound = collapsed?.TotalIsLowerBound ?? false;
            }
            else if (facets is null)
            {
                var wanted = rescored ? Math.Max(offset + pageSize, settings.PassageDocs) : offset + pageSize;
                (top, lowerBound) = TopHits.Search(searcher, search.With(slice ?? filter), sort, wanted, exactUpTo, null, limit);
                if (top is not null && rescored)
                    top.ScoreDocs = FirstHitsRescore.Rescore(searcher, query, top.ScoreDocs, settings, Dictionary, stop);
                if (top is not null && slice is not null)
                {
                    if (top.ScoreDocs.Length < offset + pageSize) top = null;
                    else (top.TotalHits, lowerBound) = (Math.Max(top.TotalHits, exactUpTo), true);
                }
            }
            else
            {
                var (q, f) = search.With(filter);
                top = facets.Search(searcher, q, f, offset + pageSize, sort);
            }
        }
        var totalHits = collapsed?.TotalHits ?? top!.TotalHits;
        var searched = watch.Elapsed;
        var page = new List<(ScoreDoc Hit, Article Article)>();
        foreach (var sd in collapsed?.Hits.Select(h => h.Hit) ?? top!.ScoreDocs.Skip(offset).Take(pageSize))
        {
            stop.ThrowIfStopped();
            page.Add((sd, ArticleFields.ReadArticle(searcher.IndexReader, sd.Doc)));
        }
        var marked = SnippetBuilder.Build(page.Select(p => (p.Article.Title, p.Article.Body)).ToList(), built.Highlights);
        var explanations = request.Explain ? HitExplainer.Explain(searcher, query, built.Concepts, page.Select(p => p.Hit.Doc).ToList(), stop) : null;
        stop.ThrowIfStopped();
        var hits = page.Select((p, i) => new SearchHit(p.Article.Id, p.Article.Title, p.Article.Published,
            float.IsNaN(p.Hit.Score) ? 0 : p.Hit.Score, p.Article.Url, marked[i].Snippet)
        {
            HighlightedTitle = marked[i].Title,
            Explanation = explanations?[i],
            CollapsedCount = collapsed?.Hits[i].Copies ?? 0,
            CollapsedIds = collapsed?.Hits[i].CopyIds ?? [],
        }).ToList();
        // A lower bound says there may be more than it counts: another page is offered while the window allows.
        var next = (lowerBound || offset + pageSize < (collapsed?.TotalClusters ?? totalHits)) && offset + pageSize < MaxResultWindow
            ? PageTokens.Encode(offset + pageSize, request) : "";
        _metrics.RecordSearch(activity, parsed, searched, watch.Elapsed, totalHits);
        return new SearchResult(totalHits, hits, next, watch.Elapsed)
        {
            TotalClusters = collapsed?.TotalClusters, Facets = facets?.Result(), TotalIsLowerBound = lowerBound,
        };
    }

    /// <summary>Most ids one search may be restricted to.</summary>
    public const int MaxIds = 10_000;

    /// <summary>The distinct ids a search is restricted to. A blank id is a client's mistake, not "no restriction": a
    /// list of blanks used to search everything.</summary>
    private static List<string> ValidIds(IReadOnlyList<string>? ids)
    {
        if (ids is null) return [];
        for (var i = 0; i < ids.Count; i++)
            if (string.IsNullOrWhiteSpace(ids[i]))
                throw new InvalidRequestException("ids", $"ids[{i}] is empty: every id given must name an article");
        return ids.Distinct().ToList();
    }

    /// <summary>Issues and checks page tokens with the configured key, or the index folder's own (read by <see cref="Open"/>).</summary>
    private PageTokens PageTokens => _pageTokens ?? throw new InvalidOperationException("the engine is not open; call Open() first");
    private PageTokens? _pageTokens;

    private (DateTimeOffset? From, DateTimeOffset? To) ParseRange(string? fromText, string? toText)
    {
        DateTimeOffset? from = null, to = null;
        if (!string.IsNullOrWhiteSpace(fromText))
        {
            if (!Dates.TryParseInstant(fromText, Zone, out var f, out _))
                throw new InvalidRequestException("published_from", $"published_from '{RequestText.Shown(fromText)}' is not a date: use YYYY-MM-DD or an RFC 3339 instant such as 2025-07-01T08:00:00+08:00");
            from = f;
        }
        if (!string.IsNullOrWhiteSpace(toText))
        {
            if (!Dates.TryParse(toText, Zone, out var t, out var day))
                throw new InvalidRequestException("published_to", $"published_to '{RequestText.Shown(toText)}' is not a date: use YYYY-MM-DD or an RFC 3339 instant such as 2025-07-31T23:59:59+08:00");
            // A day given as YYYY-MM-DD is included whole.
            to = day is { } d ? Dates.EndOfDay(d, Zone) : t;
        }
        if (from is not null && to is not null && from > to)
            throw new InvalidRequestException("published_from", $"published_from ({RequestText.Shown(fromText)}) is after published_to ({RequestText.Shown(toText)})");
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
        return ArticleFields.ReadArticle(lease.Searcher.IndexReader, top.ScoreDocs[0].Doc);
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

    /// <summary>The live index's figures for the observable metrics, or null while the engine is not open.</summary>
    private EngineMetrics.IndexFigures? ReadFigures()
    {
        if (_live is not { } live) return null;
        try
        {
            using var lease = Borrow();
            return new EngineMetrics.IndexFigures(lease.Searcher.IndexReader.NumDocs, live.SizeOnDisk(), live.Name, _problem is not null);
        }
        catch (Exception e) when (e is ServiceNotReadyException or ObjectDisposedException or IOException)
        {
            return null; // closing, or the generation was switched and its folder deleted while it was measured
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
        _metrics.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Opened index generation {Generation} with {Articles} articles")]
    private static partial void LogOpened(ILogger logger, string generation, int articles);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Indexed {Files} changed {FileWord} and removed {Removed}: {Articles} articles, {Skipped} inputs skipped, in {ElapsedMs:F0} ms")]
    private static partial void LogSynced(ILogger logger, int files, string fileWord, int removed, int articles, int skipped, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Switched from index generation {Old} to rebuilt generation {New}")]
    private static partial void LogSwitched(ILogger logger, string old, string @new);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Indexing pass failed and was rolled back; it is retried at every poll")]
    private static partial void LogSyncFailed(ILogger logger, Exception e);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Indexing: {Percent:F0}% of {TotalMb:F0} MB read, {Articles} articles, about {RemainingSeconds:F0} s left")]
    private static partial void LogProgress(ILogger logger, double percent, double totalMb, int articles, double remainingSeconds);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Indexing pass failed again: {Error}")]
    private static partial void LogSyncFailedAgain(ILogger logger, string error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Seeds folder {SeedsPath}: {Problem}")]
    private static partial void LogSeedsUnavailable(ILogger logger, string seedsPath, string problem);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "User dictionary reloaded: {Words} words")]
    private static partial void LogDictionaryReloaded(ILogger logger, int words);
}
