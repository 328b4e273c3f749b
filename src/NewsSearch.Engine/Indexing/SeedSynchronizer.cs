using System.Collections.Concurrent;
using System.Diagnostics;
using Lucene.Net.Index;
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
}

/// <summary>Progress of a synchronisation pass, reported every few seconds.</summary>
public readonly record struct SyncProgress(string File, int ArticlesIndexed, TimeSpan Elapsed);

/// <summary>
/// Brings a generation in line with the seeds folder: files that are new or changed (by length and modification
/// time) are read again, their old articles deleted and the new ones upserted by id; files that are gone take their
/// articles with them. Analysis runs on all cores; nothing is committed until the whole pass is done.
/// </summary>
public sealed partial class SeedSynchronizer(SeedReader reader, ILogger logger, int indexingThreads = 0)
{
    private readonly int _threads = indexingThreads > 0 ? indexingThreads : Environment.ProcessorCount;

    /// <summary>The article files under <paramref name="seedsRoot"/> with their stamps, by seeds-relative path.</summary>
    public static Dictionary<string, FileStamp> Scan(string seedsRoot)
    {
        var files = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        if (!Directory.Exists(seedsRoot)) return files;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
        foreach (var info in new DirectoryInfo(seedsRoot).EnumerateFiles("*", options))
        {
            if (!SeedReader.IsArticleFile(info.Name)) continue;
            try
            {
                var stamp = new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks);
                var sidecar = new FileInfo(info.FullName + SeedReader.SidecarSuffix);
                if (sidecar.Exists)
                    stamp = new FileStamp(stamp.Length + sidecar.Length, Math.Max(stamp.LastWriteTicks, sidecar.LastWriteTimeUtc.Ticks));
                files[Path.GetRelativePath(seedsRoot, info.FullName).Replace('\\', '/')] = stamp;
            }
            catch (IOException)
            {
                // Deleted between listing and stat: the next pass sees it gone.
            }
        }
        return files;
    }

    /// <summary>True when the seeds folder differs from what <paramref name="state"/> records.</summary>
    public static bool HasChanges(IndexState state, Dictionary<string, FileStamp> scan) =>
        state.IsStale || scan.Count != state.Files.Count || scan.Any(kv => !state.Files.TryGetValue(kv.Key, out var s) || s != kv.Value);

    /// <summary>Synchronises <paramref name="generation"/> with <paramref name="seedsRoot"/> and commits.</summary>
    public SyncResult Sync(IndexGeneration generation, string seedsRoot, TimeProvider clock,
        IProgress<SyncProgress>? progress = null, CancellationToken cancel = default)
    {
        var watch = Stopwatch.StartNew();
        var scan = Scan(seedsRoot);
        var old = generation.State;
        var stale = old.IsStale;
        if (stale)
        {
            // Written by an engine that analysed text differently: every file is read again.
            generation.Writer.DeleteAll();
            old = new IndexState();
        }
        var changed = scan.Where(kv => !old.Files.TryGetValue(kv.Key, out var s) || s != kv.Value)
            .Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        var removed = old.Files.Keys.Where(k => !scan.ContainsKey(k)).ToList();
        if (changed.Count == 0 && removed.Count == 0 && !stale)
            return new SyncResult(0, 0, 0, 0, watch.Elapsed, 0);

        var writer = generation.Writer;
        var state = new IndexState
        {
            Schema = IndexState.CurrentSchema,
            Files = new Dictionary<string, FileStamp>(old.Files, StringComparer.Ordinal),
            Skipped = new Dictionary<string, IndexState.FileSkips>(old.Skipped, StringComparer.Ordinal),
        };
        foreach (var path in removed.Concat(changed))
        {
            writer.DeleteDocuments(new Term(ArticleFields.SourcePath, path));
            state.Files.Remove(path);
            state.Skipped.Remove(path);
        }
        foreach (var path in removed) LogFileRemoved(logger, path);

        var queue = new BlockingCollection<Article>(boundedCapacity: 4096);
        var indexed = 0;
        long chars = 0;
        Exception? failure = null;
        var workers = Enumerable.Range(0, _threads).Select(_ => Task.Factory.StartNew(() =>
        {
            try
            {
                var documents = new ArticleFields.DocumentBuilder();
                foreach (var a in queue.GetConsumingEnumerable())
                {
                    writer.UpdateDocument(new Term(ArticleFields.Id, a.Id), documents.Build(a));
                    Interlocked.Increment(ref indexed);
                    Interlocked.Add(ref chars, a.Title.Length + a.Body.Length);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
                queue.CompleteAdding();
            }
        }, cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        var skippedThisPass = 0;
        var lastReport = watch.Elapsed;
        try
        {
            foreach (var path in changed)
            {
                var full = Path.Combine(seedsRoot, path);
                var fileArticles = 0;
                foreach (var item in reader.Read(full, path))
                {
                    cancel.ThrowIfCancellationRequested();
                    if (item.Skipped is { } skip)
                    {
                        state.RecordSkip(skip, path);
                        skippedThisPass++;
                        LogSkipped(logger, skip.Path, skip.Line, skip.Reason);
                        continue;
                    }
                    if (queue.IsAddingCompleted) break;
                    queue.Add(item.Article!, cancel);
                    fileArticles++;
                    if (progress is not null && watch.Elapsed - lastReport > TimeSpan.FromSeconds(2))
                    {
                        lastReport = watch.Elapsed;
                        progress.Report(new SyncProgress(path, Volatile.Read(ref indexed), watch.Elapsed));
                    }
                }
                state.Files[path] = scan[path];
                LogFileRead(logger, path, fileArticles);
            }
        }
        finally
        {
            queue.CompleteAdding();
            Task.WaitAll(workers, CancellationToken.None);
        }
        if (failure is not null) throw new InvalidOperationException("indexing failed: " + failure.Message, failure);

        state.LastIndexedAt = clock.GetUtcNow();
        generation.Commit(state);
        return new SyncResult(changed.Count, removed.Count, indexed, skippedThisPass, watch.Elapsed, chars);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Skipped input {Path} line {Line}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string path, int? line, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Read {Path}: {Articles} articles")]
    private static partial void LogFileRead(ILogger logger, string path, int articles);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Seed file {Path} was removed; its articles are gone from the index")]
    private static partial void LogFileRemoved(ILogger logger, string path);
}
