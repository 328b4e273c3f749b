using System.Collections.Concurrent;
using System.Diagnostics;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Microsoft.Extensions.Logging;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine.Indexing;

/// <summary>What one synchronisation pass did.</summary>
public sealed record SyncResult(
    int FilesRead,
    int FilesRemoved,
    int ArticlesIndexed,
    int InputsSkipped,
    TimeSpan Elapsed,
    long CharactersIndexed)
{
    public bool ChangedAnything => FilesRead > 0 || FilesRemoved > 0;

    /// <summary><see cref="InputsSkipped"/> by the kind of reason (<see cref="SkipKinds"/>), for metrics.</summary>
    public IReadOnlyDictionary<string, int> SkippedByKind { get; init; } = new Dictionary<string, int>();
}

/// <summary>Progress of a synchronisation pass, reported every few seconds.</summary>
/// <param name="BytesRead">Bytes of seed files read so far (as stored on disk).</param>
/// <param name="BytesTotal">Bytes of all the seed files the pass reads.</param>
public readonly record struct SyncProgress(string File, int ArticlesIndexed, TimeSpan Elapsed, long BytesRead, long BytesTotal)
{
    /// <summary>Share of the pass done, 0 to 1.</summary>
    public double Fraction => BytesTotal <= 0 ? 0 : Math.Clamp((double)BytesRead / BytesTotal, 0, 1);

    /// <summary>Time left at the pace so far, or null before there is a pace to go by.</summary>
    public TimeSpan? Remaining => BytesRead <= 0 ? null : Elapsed * ((double)(BytesTotal - Math.Min(BytesRead, BytesTotal)) / BytesRead);
}

/// <summary>The seeds folder is missing, or empty while the index holds articles: a pass refuses to take that as
/// "every article was removed". The message names no absolute path, since it is shown to clients in stats.</summary>
public sealed class SeedsUnavailableException(string message) : Exception(message);

/// <summary>
/// Brings a generation in line with the seeds folder: files that are new or changed (by length and modification
/// time) are read again, their old articles deleted and the new ones upserted by id; files that are gone take their
/// articles with them. Analysis runs on all cores. A pass is all or nothing: it commits once at its end, and a pass
/// that throws or is cancelled is rolled back, so nothing it buffered is ever committed.
/// </summary>
/// <remarks>
/// <para>One bad input never stops the rest: a file that cannot be read, a line that is not an article, an article
/// the index refuses, are each skipped with a reason (recorded in the commit and shown in stats) and the pass goes on.</para>
/// <para>Duplicate ids: when several inputs hold an article with the same id, the copy served is the one in the file
/// whose seeds-relative path sorts first (ordinal), and within a file the first line. Removing or changing the file
/// that served it brings the next copy in line.</para>
/// <para>Near-duplicates (reprints under another id): each article gets a cluster key in reading order
/// (<see cref="NearDuplicateDetector"/>).</para>
/// </remarks>
/// <param name="fullBuildSegments">Segments a pass that builds the index from scratch merges it into before it commits;
/// 0 leaves them (<see cref="SearchEngineOptions.FullBuildSegments"/>).</param>
public sealed partial class SeedSynchronizer(SeedReader reader, ILogger logger, int indexingThreads = 0, bool allowEmptySeeds = false,
    int fullBuildSegments = 0)
{
    /// <summary>Skips logged one by one per file; the rest are summed up in one line.</summary>
    public const int SkipsLoggedPerFile = 3;

    /// <summary>
    /// Articles sorted by publication before they are indexed, as one chunk. A build from scratch of seeds in no date
    /// order then stores each chunk's articles in date order (per indexing thread), and a date filter's documents lie
    /// in a few runs that searches skip between (<see cref="Querying.BagOfWordsQuery"/>, and Lucene's leap-frogging of
    /// filter and query). A chunk, and a queue with room for one, took about 140 MB more at the peak of a rebuild of
    /// generated 540-character articles than the 4,096-article queue before them.
    /// </summary>
    public const int DefaultSortedChunk = 16_384;

    /// <summary><see cref="DefaultSortedChunk"/>, lowered only by tests.</summary>
    internal static int SortedChunk { get; set; } = DefaultSortedChunk;

    /// <summary>
    /// Characters of title and body a chunk holds at most, and the queue as well: articles far longer than news
    /// (court rulings, reports) are handed over in smaller chunks, so a pass holds about 64 MB of text whatever the
    /// articles' length.
    /// </summary>
    public const int DefaultSortedChunkChars = 16 << 20;

    /// <summary><see cref="DefaultSortedChunkChars"/>, lowered only by tests.</summary>
    internal static int SortedChunkChars { get; set; } = DefaultSortedChunkChars;

    private static int TextLength(Article a) => a.Title.Length + a.Body.Length;

    private readonly int _threads = indexingThreads > 0 ? indexingThreads : Environment.ProcessorCount;

    /// <summary>
    /// The last pass refused because it would have emptied the index: the generation and state it found, the files it
    /// read and why. The same folder is not read again at every poll (which logged every skip again, and read every
    /// file again) until a file or the index changes.
    /// </summary>
    private (IndexGeneration Generation, IndexState State, Dictionary<string, FileStamp> Files, string Reason)? _refused;

    private static Dictionary<string, FileStamp> StampsOf(SeedScan scan) =>
        scan.Files.ToDictionary(kv => kv.Key, kv => kv.Value.Stamp, StringComparer.Ordinal);

    private static bool SameFiles(Dictionary<string, FileStamp> files, SeedScan scan) =>
        files.Count == scan.Files.Count && scan.Files.All(kv => files.TryGetValue(kv.Key, out var s) && s == kv.Value.Stamp);

    /// <summary>True when the generation's searchers see articles and its writer, this pass applied, holds none.</summary>
    private static bool EmptiesTheIndex(IndexGeneration generation)
    {
        var before = generation.Searchers.Acquire(); // refreshed only by a commit: the index as this pass found it
        try
        {
            if (before.IndexReader.NumDocs == 0) return false;
        }
        finally
        {
            generation.Searchers.Release(before);
        }
        using var after = DirectoryReader.Open(generation.Writer, applyAllDeletes: true);
        return after.NumDocs == 0;
    }

    /// <summary>True when the seeds folder differs from what <paramref name="state"/> records.</summary>
    public static bool HasChanges(IndexState state, SeedScan scan) =>
        state.IsStale || scan.Files.Count != state.Files.Count ||
        scan.Files.Any(kv => !state.Files.TryGetValue(kv.Key, out var s) || s != kv.Value.Stamp);

    /// <summary>Synchronises <paramref name="generation"/> with <paramref name="seedsRoot"/> and commits.</summary>
    /// <exception cref="SeedsUnavailableException">The folder is missing, or empty while the index holds articles.</exception>
    public SyncResult Sync(IndexGeneration generation, string seedsRoot, TimeProvider clock,
        IProgress<SyncProgress>? progress = null, CancellationToken cancel = default)
    {
        var watch = Stopwatch.StartNew();
        var scan = SeedScanner.Scan(seedsRoot);
        var old = generation.State;
        if (!scan.RootExists)
            throw new SeedsUnavailableException("the seeds folder (Search:SeedsPath) does not exist or cannot be read; the index is kept as it is");
        if (scan.Files.Count == 0 && old.Files.Count > 0 && !allowEmptySeeds)
            throw new SeedsUnavailableException($"the seeds folder holds no article files although the index holds articles from {old.Files.Count} {(old.Files.Count == 1 ? "file" : "files")}; " +
                "the index is kept as it is (set Search:AllowEmptySeeds to let an emptied folder empty the index)");

        if (_refused is { } refused && refused.Generation == generation && ReferenceEquals(refused.State, old) && SameFiles(refused.Files, scan))
            throw new SeedsUnavailableException(refused.Reason);

        var stale = old.IsStale;
        var changed = scan.Files.Where(kv => stale || !old.Files.TryGetValue(kv.Key, out var s) || s != kv.Value.Stamp)
            .Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var removed = old.Files.Keys.Where(k => !scan.Files.ContainsKey(k)).ToList();
        if (changed.Count == 0 && removed.Count == 0 && !stale)
            return new SyncResult(0, 0, 0, 0, watch.Elapsed, 0);

        // When a file that served an article others also hold changes or goes, those others are read again, so
        // that the next copy in line is served.
        if (!stale && removed.Concat(changed).Any(old.ShadowingFiles.Contains))
            foreach (var path in old.ShadowedCopies.Keys)
                if (scan.Files.ContainsKey(path)) changed.Add(path);
        var toRead = changed.Order(StringComparer.Ordinal).ToList();

        try
        {
            var result = Apply(generation, seedsRoot, scan, stale ? new IndexState() : old, stale, toRead, removed, clock, progress, watch, cancel);
            _refused = null;
            return result;
        }
        catch (SeedsUnavailableException e)
        {
            generation.Rollback();
            _refused = (generation, old, StampsOf(scan), e.Message);
            throw;
        }
        catch
        {
            generation.Rollback();
            throw;
        }
    }

    private SyncResult Apply(IndexGeneration generation, string seedsRoot, SeedScan scan, IndexState old, bool stale,
        List<string> toRead, List<string> removed, TimeProvider clock, IProgress<SyncProgress>? progress, Stopwatch watch,
        CancellationToken cancel)
    {
        var writer = generation.Writer;
        // Written by an engine that analysed text differently: every file is read again.
        if (stale) writer.DeleteAll();
        var state = new IndexState
        {
            Schema = IndexState.CurrentSchema,
            Files = new Dictionary<string, FileStamp>(old.Files, StringComparer.Ordinal),
            Skipped = new Dictionary<string, IndexState.FileSkips>(old.Skipped, StringComparer.Ordinal),
            ShadowedCopies = new Dictionary<string, int>(old.ShadowedCopies, StringComparer.Ordinal),
            ShadowingFiles = new HashSet<string>(old.ShadowingFiles, StringComparer.Ordinal),
        };
        foreach (var path in removed.Concat(toRead))
        {
            writer.DeleteDocuments(new Term(ArticleFields.SourcePath, path));
            state.Files.Remove(path);
            state.Skipped.Remove(path);
            state.ShadowedCopies.Remove(path);
            state.ShadowingFiles.Remove(path);
        }

        // Room for a whole sorted chunk and then some: the indexing threads work through one while the next is read.
        var queue = new BlockingCollection<(SeedItem Item, NearDuplicateMark Mark)>(boundedCapacity: SortedChunk + 4096);
        var indexed = 0;
        // Articles handed to the indexing threads, and those they are done with: near-duplicate detection waits for
        // the two to meet before it reopens its view of the writer.
        var added = 0;
        var handled = 0;
        long chars = 0;
        // Characters handed to the indexing threads that they have not yet taken.
        long queuedChars = 0;
        Exception? failure = null;
        var refused = new ConcurrentQueue<SkippedInput>();
        var workers = Enumerable.Range(0, _threads).Select(_ => Task.Factory.StartNew(() =>
        {
            try
            {
                var documents = new ArticleFields.DocumentBuilder();
                var duplicateFields = new NearDuplicateFields();
                foreach (var (item, mark) in queue.GetConsumingEnumerable(cancel))
                {
                    var a = item.Article!;
                    Interlocked.Add(ref queuedChars, -TextLength(a));
                    try
                    {
                        var doc = documents.Build(a);
                        duplicateFields.AddTo(doc, mark);
                        writer.UpdateDocument(new Term(ArticleFields.Id, a.Id), doc);
                    }
                    catch (ArgumentException e)
                    {
                        // Lucene refuses this one document (and has already discarded it); the writer goes on.
                        refused.Enqueue(new SkippedInput(a.SourcePath, item.Line, $"the index refused the article: {e.Message}"));
                        continue;
                    }
                    finally
                    {
                        Interlocked.Increment(ref handled);
                    }
                    Interlocked.Increment(ref indexed);
                    Interlocked.Add(ref chars, TextLength(a));
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
                queue.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        var skippedThisPass = 0;
        var skipKinds = new Dictionary<string, int>(StringComparer.Ordinal);
        var lastReport = watch.Elapsed;
        var bytes = new ReadCounter();
        var bytesTotal = toRead.Sum(p => scan.Files[p].Stamp.Length);
        // Articles are handed to the indexing threads a chunk at a time, each chunk in order of publication, so that a
        // date range covers a few runs of document numbers rather than documents strewn over the whole index.
        var chunk = new List<(SeedItem Item, NearDuplicateMark Mark)>();
        long chunkChars = 0;
        // Waits while the indexing threads are busy with what they were given, unless one has failed.
        void WaitWhile(Func<bool> busy)
        {
            while (busy() && !queue.IsAddingCompleted)
            {
                cancel.ThrowIfCancellationRequested();
                Thread.Sleep(1);
            }
        }
        Func<bool> textQueued = () => Volatile.Read(ref queuedChars) > SortedChunkChars;
        Func<bool> notAllHandled = () => Volatile.Read(ref handled) < added;
        void HandOver()
        {
            foreach (var entry in chunk.OrderBy(e => e.Item.Article!.Published ?? DateTimeOffset.MinValue))
            {
                WaitWhile(textQueued);
                Interlocked.Add(ref queuedChars, TextLength(entry.Item.Article!));
                try
                {
                    queue.Add(entry, cancel);
                }
                catch (InvalidOperationException) when (queue.IsAddingCompleted)
                {
                    break; // an indexing thread failed; its exception is reported below
                }
                added++;
            }
            chunk.Clear();
            chunkChars = 0;
        }
        try
        {
            using var holders = new ServedCopies(writer);
            using var nearDuplicates = new NearDuplicateDetector(writer, () =>
            {
                HandOver();
                WaitWhile(notAllHandled);
            });
            foreach (var path in toRead)
            {
                var entry = scan.Files[path];
                var fileArticles = 0;
                var fileSkips = 0;
                IEnumerable<SeedItem> items = entry.Rejected is { } why
                    ? [new SeedItem(null, new SkippedInput(path, null, why))]
                    : reader.Read(Path.Combine(seedsRoot, path), path, cancel, bytes);
                foreach (var item in items)
                {
                    cancel.ThrowIfCancellationRequested();
                    if (item.Skipped is { } skip)
                    {
                        state.RecordSkip(skip, path);
                        skippedThisPass++;
                        CountKind(skipKinds, skip);
                        if (++fileSkips <= SkipsLoggedPerFile) LogSkip(logger, skip);
                        continue;
                    }
                    var (winner, loser) = holders.Decide(item.Article!.Id, path);
                    if (winner is not null)
                    {
                        // Another input serves this id: its copy wins by the duplicate rule.
                        state.ShadowedCopies[path] = state.ShadowedCopies.GetValueOrDefault(path) + 1;
                        state.ShadowingFiles.Add(winner);
                        continue;
                    }
                    if (loser is not null)
                    {
                        // This copy replaces one served so far from a file that sorts after this one.
                        state.ShadowedCopies[loser] = state.ShadowedCopies.GetValueOrDefault(loser) + 1;
                        state.ShadowingFiles.Add(path);
                    }
                    if (queue.IsAddingCompleted) break;
                    chunk.Add((item, nearDuplicates.Assign(item.Article!)));
                    chunkChars += TextLength(item.Article!);
                    if (chunk.Count >= SortedChunk || chunkChars >= SortedChunkChars) HandOver();
                    fileArticles++;
                    if (progress is not null && watch.Elapsed - lastReport > TimeSpan.FromSeconds(2))
                    {
                        lastReport = watch.Elapsed;
                        progress.Report(new SyncProgress(path, Volatile.Read(ref indexed), watch.Elapsed, bytes.Bytes, bytesTotal));
                    }
                }
                if (fileSkips > SkipsLoggedPerFile) LogMoreSkipped(logger, fileSkips - SkipsLoggedPerFile, path);
                state.Files[path] = entry.Stamp;
                LogFileRead(logger, path, fileArticles);
            }
            HandOver();
        }
        finally
        {
            queue.CompleteAdding();
            Task.WaitAll(workers, CancellationToken.None);
        }
        cancel.ThrowIfCancellationRequested();
        if (failure is not null) throw new InvalidOperationException("indexing failed: " + failure.Message, failure);
        foreach (var skip in refused)
        {
            state.RecordSkip(skip, skip.Path);
            skippedThisPass++;
            CountKind(skipKinds, skip);
            LogSkip(logger, skip);
        }

        // A build from scratch is merged before its one commit, so that searches never see its many flushed segments.
        if (old.Files.Count == 0 && fullBuildSegments > 0 && indexed > 0)
        {
            var merging = Stopwatch.StartNew();
            generation.Compact(fullBuildSegments, cancel);
            LogCompacted(logger, fullBuildSegments, merging.Elapsed.TotalSeconds);
        }
        // A pass that would take every article away because no file left could be read (a FIFO, empty or malformed
        // files where the articles were) is refused as an emptied folder is: a half-mounted volume looks the same.
        if (!allowEmptySeeds && indexed == 0 && EmptiesTheIndex(generation))
            throw new SeedsUnavailableException($"no article could be read from the seeds folder ({scan.Files.Count} " +
                $"{(scan.Files.Count == 1 ? "file" : "files")}; why each was skipped is in the log); " +
                "the index is kept as it is (set Search:AllowEmptySeeds to let such a folder empty the index)");
        state.LastIndexedAt = clock.GetUtcNow();
        generation.Commit(state);
        // Only now: a pass refused above removed nothing.
        foreach (var path in removed) LogFileRemoved(logger, path);
        return new SyncResult(toRead.Count, removed.Count, indexed, skippedThisPass, watch.Elapsed, chars) { SkippedByKind = skipKinds };
    }

    private static void CountKind(Dictionary<string, int> kinds, SkippedInput skip)
    {
        var kind = SkipKinds.Of(skip.Reason);
        kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
    }

    /// <summary>
    /// Which input serves each id during a pass: the files read so far in this pass (in ordinal order, so the first
    /// claim wins), and the index as it stands once the files being read again or removed are deleted from it.
    /// </summary>
    private sealed class ServedCopies : IDisposable
    {
        private readonly Dictionary<string, string> _claimed = new(StringComparer.Ordinal);
        private readonly DirectoryReader? _rest;
        private readonly IndexSearcher? _searcher;
        private static readonly ISet<string> SourceOnly = new HashSet<string> { ArticleFields.SourcePath };

        public ServedCopies(IndexWriter writer)
        {
            // The writer's near-real-time view with this pass's deletes applied holds only articles of files that stay.
            var reader = DirectoryReader.Open(writer, applyAllDeletes: true);
            if (reader.NumDocs == 0)
            {
                reader.Dispose();
                return;
            }
            _rest = reader;
            _searcher = new IndexSearcher(reader);
        }

        /// <summary>
        /// Decides whether <paramref name="path"/>'s copy of <paramref name="id"/> is served. Not served when
        /// Winner is set (a file read earlier in this pass, or a staying file that sorts first);
        /// otherwise it is claimed, and Loser names the staying file whose copy it replaces, if any.
        /// </summary>
        public (string? Winner, string? Loser) Decide(string id, string path)
        {
            if (_claimed.TryGetValue(id, out var first)) return (first, null);
            var staying = StayingHolder(id);
            if (staying is not null && string.CompareOrdinal(staying, path) < 0) return (staying, null);
            _claimed[id] = path;
            return (null, staying);
        }

        private string? StayingHolder(string id)
        {
            if (_searcher is null) return null;
            var top = _searcher.Search(new TermQuery(new Term(ArticleFields.Id, id)), 1);
            return top.TotalHits == 0 ? null : _searcher.Doc(top.ScoreDocs[0].Doc, SourceOnly).Get(ArticleFields.SourcePath);
        }

        public void Dispose() => _rest?.Dispose();
    }

    /// <summary>A skipped line names its line; a skipped file (a FIFO, a link out, a file that failed) has none.</summary>
    private static void LogSkip(ILogger logger, SkippedInput skip)
    {
        if (skip.Line is { } line) LogSkippedLine(logger, skip.Path, line, skip.Reason);
        else LogSkippedFile(logger, skip.Path, skip.Reason);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Skipped input {Path} line {Line}: {Reason}")]
    private static partial void LogSkippedLine(ILogger logger, string path, int line, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Skipped input {Path}: {Reason}")]
    private static partial void LogSkippedFile(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Merged the newly built index into at most {MaxSegments} segment(s) in {Seconds:F1} s")]
    private static partial void LogCompacted(ILogger logger, int maxSegments, double seconds);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Read {Path}: {Articles} articles")]
    private static partial void LogFileRead(ILogger logger, string path, int articles);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Seed file {Path} was removed; its articles are gone from the index")]
    private static partial void LogFileRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Skipped {Count} more inputs in {Path}; GetStats lists up to 20 reasons per file")]
    private static partial void LogMoreSkipped(ILogger logger, int count, string path);
}
