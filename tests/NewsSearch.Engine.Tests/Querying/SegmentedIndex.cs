using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>
/// An in-memory index for the query and filter tests: documents 0 .. count − 1 (each with the id <c>d</c>n, which the
/// builder must give it), a segment committed every <paramref name="perSegment"/> documents and every
/// <paramref name="deleteEvery"/>-th document deleted, so that tests see several segments and deleted documents.
/// </summary>
internal sealed class SegmentedIndex : IDisposable
{
    private readonly RAMDirectory _dir = new();

    public DirectoryReader Reader { get; }

    public SegmentedIndex(int count, int perSegment, int deleteEvery, Func<int, Document> document,
        Analyzer? analyzer = null, Similarity? similarity = null)
    {
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer ?? new WhitespaceAnalyzer(LuceneVersion.LUCENE_48))
        {
            MergePolicy = NoMergePolicy.COMPOUND_FILES,
        };
        if (similarity is not null) config.Similarity = similarity;
        using (var writer = new IndexWriter(_dir, config))
        {
            for (var d = 0; d < count; d++)
            {
                writer.AddDocument(document(d));
                if (d % perSegment == perSegment - 1) writer.Commit();
            }
            for (var d = 0; d < count; d += deleteEvery) writer.DeleteDocuments(new Term(ArticleFields.Id, "d" + d));
        }
        Reader = DirectoryReader.Open(_dir);
    }

    public void Dispose()
    {
        Reader.Dispose();
        _dir.Dispose();
    }
}
