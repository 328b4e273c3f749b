using Lucene.Net.Index;
using NewsSearch.Engine.Indexing;
using NewsSearch.Testing;
using FSDirectory = Lucene.Net.Store.FSDirectory;

namespace NewsSearch.Engine.Tests.Indexing;

/// <summary>
/// A pass indexes its articles a chunk at a time in order of publication, so that a date range covers a few runs of
/// document numbers even when the seeds hold articles in no date order.
/// </summary>
[NonParallelizable]
public class DateOrderTests
{
    private const int Chunk = 50;

    [Test]
    public void ABuildFromScratch_OfSeedsInNoDateOrder_StoresEachChunkOfArticlesInDateOrder()
    {
        var saved = SeedSynchronizer.SortedChunk;
        SeedSynchronizer.SortedChunk = Chunk;
        try
        {
            // One indexing thread and one segment: the index's document order is the order articles were handed over.
            using var t = new TestEngine(o => { o.IndexingThreads = 1; o.FullBuildSegments = 1; });
            var random = new Random(7);
            for (var f = 0; f < 3; f++)
                t.WriteSeed($"f{f}.jsonl", Jsonl.Lines(Enumerable.Range(0, 70).Select(i => Jsonl.Record($"f{f}-{i}", $"熊猫{i}",
                    $"关于熊猫的报道，第{i}篇", date: new DateOnly(2015, 1, 1).AddDays(random.Next(3650)).ToString("yyyy-MM-dd"))).ToArray()));
            t.Engine.SyncOnce();

            using var dir = FSDirectory.Open(t.GenerationPath);
            using var reader = DirectoryReader.Open(dir);
            var leaf = reader.Leaves.Single().AtomicReader;
            var published = leaf.GetNumericDocValues(ArticleFields.NewestKey);
            var days = Enumerable.Range(0, leaf.MaxDoc).Select(d => published.Get(d)).ToList();
            Assert.That(days, Has.Count.EqualTo(210));
            for (var start = 0; start < days.Count; start += Chunk)
                Assert.That(days.Skip(start).Take(Chunk), Is.Ordered, $"the chunk of documents from {start}");
        }
        finally
        {
            SeedSynchronizer.SortedChunk = saved;
        }
    }
}
