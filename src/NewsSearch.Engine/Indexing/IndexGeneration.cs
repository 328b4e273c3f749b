using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using NewsSearch.Engine.Analysis;
using Directory = Lucene.Net.Store.Directory;

namespace NewsSearch.Engine.Indexing;

/// <summary>
/// One open generation: its directory, the process's single <see cref="IndexWriter"/> on it and the
/// <see cref="SearcherManager"/> that searches borrow from.
/// </summary>
public sealed class IndexGeneration : IDisposable
{
    private int _disposed;
    private readonly Func<IndexWriterConfig> _config;
    private readonly SearcherFactory _searcherFactory;

    static IndexGeneration() => ArticleCodec.Register();

    private IndexGeneration(string name, string path, Directory directory, Func<IndexWriterConfig> config, IndexWriter writer,
        IndexState state, Lucene.Net.Search.Similarities.Similarity similarity)
    {
        Name = name;
        Path = path;
        Directory = directory;
        _config = config;
        Writer = writer;
        State = state;
        _searcherFactory = new SimilarSearcherFactory(similarity);
        Searchers = new SearcherManager(writer, applyAllDeletes: true, _searcherFactory);
    }

    public string Name { get; }
    public string Path { get; }
    public Directory Directory { get; }
    /// <summary>The writer; replaced by <see cref="Rollback"/>, so read it again after one.</summary>
    public IndexWriter Writer { get; private set; }
    /// <summary>Where searches borrow searchers; replaced by <see cref="Rollback"/> (the old one is disposed, and a
    /// borrower that finds it disposed reads this property again).</summary>
    public SearcherManager Searchers { get; private set; }

    /// <summary>The seeds state of the last commit (or of the work since, once committed).</summary>
    public IndexState State { get; private set; }

    /// <summary>Opens (creating if needed) the generation at <paramref name="path"/>.</summary>
    /// <exception cref="LockObtainFailedException">Another process is writing this generation.</exception>
    public static IndexGeneration Open(string name, string path, ChineseAnalyzer analyzer,
        Lucene.Net.Search.Similarities.Similarity similarity, double ramBufferMb = 256)
    {
        // Neither MMapDirectory nor NIOFSDirectory: see ReadAtDirectory for why.
        var dir = new ReadAtDirectory(new DirectoryInfo(path));
        try
        {
            IndexWriterConfig Config() => new(LuceneVersion.LUCENE_48, analyzer)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                RAMBufferSizeMB = ramBufferMb,
                Similarity = similarity,
                // Each indexing thread fills its own segment buffer; the default is 8.
                MaxThreadStates = Math.Max(2, Environment.ProcessorCount),
                // Separate files, never compound ones, so that ReadAtDirectory can keep doc values in memory.
                UseCompoundFile = false,
                MergePolicy = new TieredMergePolicy { NoCFSRatio = 0 },
                Codec = new ArticleCodec(),
            };
            var writer = new IndexWriter(dir, Config());
            IndexState state;
            try
            {
                state = DirectoryReader.IndexExists(dir)
                    ? IndexState.FromUserData(SegmentInfosUserData(dir))
                    : new IndexState();
            }
            catch
            {
                writer.Rollback();
                throw;
            }
            return new IndexGeneration(name, path, dir, Config, writer, state, similarity);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>The seeds state of the last commit of the generation at <paramref name="path"/>, read without opening a writer.</summary>
    public static IndexState ReadCommittedState(string path)
    {
        using var dir = FSDirectory.Open(path);
        return DirectoryReader.IndexExists(dir) ? IndexState.FromUserData(SegmentInfosUserData(dir)) : new IndexState();
    }

    private static IDictionary<string, string> SegmentInfosUserData(Directory dir)
    {
        var infos = new SegmentInfos();
        infos.Read(dir);
        return infos.UserData;
    }

    /// <summary>Commits pending documents together with <paramref name="state"/> and makes them searchable.</summary>
    public void Commit(IndexState state)
    {
        Writer.SetCommitData(state.ToUserData());
        Writer.Commit();
        State = state;
        Searchers.MaybeRefreshBlocking();
    }

    /// <summary>
    /// Merges the index, uncommitted segments included, into at most <paramref name="maxSegments"/> segments. Nothing
    /// is committed. When <paramref name="cancel"/> fires it throws at once; the caller's
    /// <see cref="Rollback"/> then aborts the merge.
    /// </summary>
    public void Compact(int maxSegments, CancellationToken cancel)
    {
        var writer = Writer;
        var merge = Task.Run(() => writer.ForceMerge(maxSegments, doWait: true), CancellationToken.None);
        try
        {
            merge.Wait(cancel);
        }
        catch (OperationCanceledException)
        {
            // The rollback that follows aborts the merge, which then fails on its own thread: observe that failure.
            merge.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            throw;
        }
        catch (AggregateException)
        {
            // Rethrown unwrapped below.
        }
        merge.GetAwaiter().GetResult();
    }

    /// <summary>Bytes on disk of this generation's files.</summary>
    public long SizeOnDisk() =>
        System.IO.Directory.Exists(Path) ? new DirectoryInfo(Path).EnumerateFiles().Sum(f => { try { return f.Length; } catch (IOException) { return 0; } }) : 0;

    /// <summary>
    /// Discards everything written since the last commit and goes on from that commit with a new writer. Lucene.Net's
    /// <c>IndexWriter.Dispose</c> would commit what a failed pass buffered; this never does.
    /// </summary>
    public void Rollback()
    {
        Writer.Rollback();
        Writer = new IndexWriter(Directory, _config());
        var old = Searchers;
        Searchers = new SearcherManager(Writer, applyAllDeletes: true, _searcherFactory);
        old.Dispose();
    }

    /// <summary>Closes the generation. Anything not committed is discarded, never committed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Searchers.Dispose();
        Writer.Rollback();
        Directory.Dispose();
    }

    /// <summary>Gives every searcher the similarity the index was written with.</summary>
    private sealed class SimilarSearcherFactory(Lucene.Net.Search.Similarities.Similarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = similarity };
    }
}
