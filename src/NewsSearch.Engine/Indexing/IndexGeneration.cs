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

    private IndexGeneration(string name, string path, Directory directory, IndexWriter writer, IndexState state,
        Lucene.Net.Search.Similarities.Similarity similarity)
    {
        Name = name;
        Path = path;
        Directory = directory;
        Writer = writer;
        State = state;
        Searchers = new SearcherManager(writer, applyAllDeletes: true, new SimilarSearcherFactory(similarity));
    }

    public string Name { get; }
    public string Path { get; }
    public Directory Directory { get; }
    public IndexWriter Writer { get; }
    public SearcherManager Searchers { get; }

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
            var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                RAMBufferSizeMB = ramBufferMb,
                Similarity = similarity,
                // Each indexing thread fills its own segment buffer; the default is 8.
                MaxThreadStates = Math.Max(2, Environment.ProcessorCount),
                // Separate files, never compound ones, so that ReadAtDirectory can keep doc values in memory.
                UseCompoundFile = false,
                MergePolicy = new TieredMergePolicy { NoCFSRatio = 0 },
            };
            var writer = new IndexWriter(dir, config);
            IndexState state;
            try
            {
                state = DirectoryReader.IndexExists(dir)
                    ? IndexState.FromUserData(SegmentInfosUserData(dir))
                    : new IndexState();
            }
            catch
            {
                writer.Dispose();
                throw;
            }
            return new IndexGeneration(name, path, dir, writer, state, similarity);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
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

    /// <summary>Bytes on disk of this generation's files.</summary>
    public long SizeOnDisk() =>
        System.IO.Directory.Exists(Path) ? new DirectoryInfo(Path).EnumerateFiles().Sum(f => { try { return f.Length; } catch (IOException) { return 0; } }) : 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Searchers.Dispose();
        Writer.Dispose();
        Directory.Dispose();
    }

    /// <summary>Gives every searcher the similarity the index was written with.</summary>
    private sealed class SimilarSearcherFactory(Lucene.Net.Search.Similarities.Similarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = similarity };
    }
}
