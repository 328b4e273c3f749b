using System.Diagnostics;
using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>A search stops when its caller cancels it or when it runs past the service's own limit.</summary>
public class SearchLimitTests
{
    private static string Records(int n) =>
        Jsonl.Lines(Enumerable.Range(0, n).Select(i => Jsonl.Record($"a{i}", $"高铁第{i}条", "高铁运营里程增长,港口吞吐量同比增长。", "2025-01-01")).ToArray());

    [Test]
    public void Search_CancelledByTheCaller_ThrowsOperationCanceled()
    {
        using var t = new TestEngine();
        t.AddSeed("a.jsonl", Records(5));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.That(() => t.Engine.Search(new SearchRequest("高铁"), cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Search_PastTheServiceTimeLimit_ThrowsSearchTimeoutNamingTheLimit()
    {
        using var t = new TestEngine(o => o.SearchTimeout = TimeSpan.FromSeconds(2), new HourPerLook());
        t.AddSeed("a.jsonl", Records(5));
        var e = Assert.Throws<SearchTimeoutException>(() => t.Engine.Search(new SearchRequest("高铁")));
        Assert.That(e!.Message, Does.Contain("(2 s)"));
    }

    [Test]
    public void Search_WhoseCallerDeadlineHasPassed_ThrowsOperationCanceled()
    {
        using var t = new TestEngine();
        t.AddSeed("a.jsonl", Records(5));
        Assert.That(() => t.Engine.Search(new SearchRequest("高铁"), deadline: DateTimeOffset.UtcNow.AddSeconds(-1)),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Search_WithinItsLimits_AnswersAsBefore()
    {
        using var t = new TestEngine();
        t.AddSeed("a.jsonl", Records(5));
        using var live = new CancellationTokenSource();
        Assert.That(t.Engine.Search(new SearchRequest("高铁"), live.Token).TotalHits, Is.EqualTo(5));
    }

    [Test]
    public void Collector_CancelledMidway_StopsWithinOneCheckInterval()
    {
        using var cancel = new CancellationTokenSource();
        var inner = new CountingCollector();
        var collector = new CancellableCollector(inner, SearchStop.WhenCancelled(cancel.Token));
        for (var doc = 0; doc < 10; doc++) collector.Collect(doc);
        cancel.Cancel();
        Assert.Multiple(() =>
        {
            Assert.That(() => { for (var doc = 10; doc < 10 + CancellableCollector.CheckEvery; doc++) collector.Collect(doc); },
                Throws.InstanceOf<OperationCanceledException>());
            Assert.That(inner.Count, Is.LessThan(10 + CancellableCollector.CheckEvery));
        });
    }

    [Test]
    public void Reader_CancelledWhileEnumeratingTerms_Stops()
    {
        using var t = new TestEngine();
        t.AddSeed("a.jsonl", Records(50));
        using var reader = OpenReader(t);
        using var cancel = new CancellationTokenSource();
        using var searcher = new CancellableSearcher(reader, SearchStop.WhenCancelled(cancel.Token));
        var terms = searcher.IndexReader.Leaves[0].AtomicReader.GetTerms("body_g")!.GetEnumerator();
        Assert.That(terms.MoveNext(), Is.True);
        cancel.Cancel();
        Assert.That(() => terms.MoveNext(), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Searcher_OverTheSameReader_FindsWhatThePlainSearcherFinds()
    {
        using var t = new TestEngine();
        t.AddSeed("a.jsonl", Records(50));
        using var reader = OpenReader(t);
        var query = new PrefixQuery(new Term("body_g", "高"));
        var plain = new IndexSearcher(reader).Search(query, 100);
        using var searcher = new CancellableSearcher(reader, SearchStop.WhenCancelled(CancellationToken.None));
        var wrapped = searcher.Search(query, 100);
        Assert.That(wrapped.ScoreDocs.Select(d => d.Doc), Is.EqualTo(plain.ScoreDocs.Select(d => d.Doc)));
    }

    [Test]
    public void Searches_OverTheSameLiveReader_ShareOneWrappedReader()
    {
        using var t = new TestEngine();
        t.AddSeed("a.jsonl", Records(5));
        using var reader = OpenReader(t);
        IndexReader first, second;
        using (var searcher = new CancellableSearcher(reader, SearchStop.WhenCancelled(CancellationToken.None))) first = searcher.IndexReader;
        using (var searcher = new CancellableSearcher(reader, SearchStop.WhenCancelled(CancellationToken.None))) second = searcher.IndexReader;
        Assert.That(second, Is.SameAs(first));
    }

    [Test]
    public void TermEnumeration_StopsWithTheSearchThatOpenedIt_NotWithAnotherOverTheSameReader()
    {
        using var t = new TestEngine();
        t.AddSeed("a.jsonl", Records(50));
        using var reader = OpenReader(t);
        using var cancelFirst = new CancellationTokenSource();
        using var cancelSecond = new CancellationTokenSource();
        TermsEnum first, second;
        using (var searcher = new CancellableSearcher(reader, SearchStop.WhenCancelled(cancelFirst.Token)))
            first = searcher.IndexReader.Leaves[0].AtomicReader.GetTerms("body_g")!.GetEnumerator();
        using (var searcher = new CancellableSearcher(reader, SearchStop.WhenCancelled(cancelSecond.Token)))
            second = searcher.IndexReader.Leaves[0].AtomicReader.GetTerms("body_g")!.GetEnumerator();
        cancelSecond.Cancel();
        Assert.Multiple(() =>
        {
            Assert.That(first.MoveNext(), Is.True);
            Assert.That(() => second.MoveNext(), Throws.InstanceOf<OperationCanceledException>());
        });
    }

    private static DirectoryReader OpenReader(TestEngine t)
    {
        var generation = Directory.GetDirectories(t.Options.IndexPath, "g-*").Single();
        return DirectoryReader.Open(Lucene.Net.Store.FSDirectory.Open(generation));
    }

    private sealed class CountingCollector : ICollector
    {
        public int Count { get; private set; }
        public bool AcceptsDocsOutOfOrder => true;
        public void SetScorer(Scorer scorer) { }
        public void Collect(int doc) => Count++;
        public void SetNextReader(AtomicReaderContext context) { }
    }

    /// <summary>
    /// A clock on which an hour passes every time it is read, so a search's own limit has passed at its first check.
    /// Written by hand: a fake clock advances only between calls, and a search is one synchronous call.
    /// </summary>
    private sealed class HourPerLook : TimeProvider
    {
        private long _now = Stopwatch.GetTimestamp();

        public override long TimestampFrequency => Stopwatch.Frequency;

        public override long GetTimestamp() => _now += TimestampFrequency * 3600;
    }
}
