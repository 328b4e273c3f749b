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
            var published = BuildFromShuffledSeeds(body: i => $"关于熊猫的报道，第{i}篇");
            Assert.That(published, Has.Count.EqualTo(210));
            for (var start = 0; start < published.Count; start += Chunk)
                Assert.That(published.Skip(start).Take(Chunk), Is.Ordered, $"the chunk of documents from {start}");
        }
        finally
        {
            SeedSynchronizer.SortedChunk = saved;
        }
    }

    [Test]
    public void LongArticles_AreHandedOverInSmallerChunks_SoAPassHoldsBoundedText()
    {
        var saved = SeedSynchronizer.SortedChunkChars;
        // About ten of these 100-character articles fill a chunk's budget.
        SeedSynchronizer.SortedChunkChars = 1_000;
        try
        {
            var published = BuildFromShuffledSeeds(body: i => $"第{i:D3}篇" + new string('熊', 93));
            var runs = new List<int> { 1 };
            for (var d = 1; d < published.Count; d++)
                if (published[d] >= published[d - 1]) runs[^1]++;
                else runs.Add(1);
            Assert.That(runs.Max(), Is.LessThanOrEqualTo(2 * 11),
                "no run of documents in date order is longer than two chunks of the budget: the text held back is bounded");
        }
        finally
        {
            SeedSynchronizer.SortedChunkChars = saved;
        }
    }

    /// <summary>Indexes 210 articles with random dates in three files and returns their dates in document order.</summary>
    private static List<long> BuildFromShuffledSeeds(Func<int, string> body)
    {
        // One indexing thread and one segment: the index's document order is the order articles were handed over.
        using var t = new TestEngine(o => { o.IndexingThreads = 1; o.FullBuildSegments = 1; });
        var random = new Random(7);
        for (var f = 0; f < 3; f++)
            t.WriteSeed($"f{f}.jsonl", Jsonl.Lines(Enumerable.Range(0, 70).Select(i => Jsonl.Record($"f{f}-{i}", $"熊猫{i}",
                body(i), date: new DateOnly(2015, 1, 1).AddDays(random.Next(3650)).ToString("yyyy-MM-dd"))).ToArray()));
        t.Engine.SyncOnce();

        using var dir = FSDirectory.Open(t.GenerationPath);
        using var reader = DirectoryReader.Open(dir);
        var leaf = reader.Leaves.Single().AtomicReader;
        var published = leaf.GetNumericDocValues(ArticleFields.NewestKey);
        return Enumerable.Range(0, leaf.MaxDoc).Select(d => published.Get(d)).ToList();
    }
}
