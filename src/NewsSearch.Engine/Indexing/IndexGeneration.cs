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
        // NIOFSDirectory rather than FSDirectory.Open's MMapDirectory: on Lucene.Net 4.8.0-beta00017 searches over
        // MMapDirectory slow down the longer a process runs (apache/lucenenet#1151; measured here: 2 → 12 ms per query
        // over 12 rounds of the same 1,000 queries, while NIOFSDirectory stayed at ~1.3 ms).
        var dir = new NIOFSDirectory(new DirectoryInfo(path));
        try
        {
            var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                RAMBufferSizeMB = ramBufferMb,
                Similarity = similarity,
                // Each indexing thread fills its own segment buffer; the default is 8.
                MaxThreadStates = Math.Max(2, Environment.ProcessorCount),
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
