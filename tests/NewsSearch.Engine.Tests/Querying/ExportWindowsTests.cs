using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>
/// Export a few articles at a time, so that one export crosses many date windows: what it sends must be what one
/// search over every match sends, in the same order, whatever the windows.
/// </summary>
public class ExportWindowsTests
{
    private const int Count = 600;
    private TestEngine _t = null!;

    /// <summary>
    /// Articles in no date order across three files: a run of 40 on one instant (more than a batch share a key), the
    /// rest spread over 2023 at random hours, every 25th undated; every third mentions 芯片.
    /// </summary>
    [OneTimeSetUp]
    public void IndexArticlesOutOfDateOrder()
    {
        _t = new TestEngine();
        var rnd = new Random(7);
        var files = new List<string>[3];
        for (var f = 0; f < files.Length; f++) files[f] = [];
        foreach (var i in Enumerable.Range(0, Count).OrderBy(_ => rnd.Next()))
        {
            string? date = i % 25 == 0 ? null
                : i < 40 ? "2023-06-01T08:00:00Z"
                : new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(rnd.Next(365 * 24)).ToString("yyyy-MM-ddTHH:mm:ssZ");
            files[i % 3].Add(Jsonl.Record($"e{i:D4}", $"第{i}条：港口吞吐量", i % 3 == 0 ? "芯片出口增长" : "天气晴朗，港口繁忙", date));
        }
        for (var f = 0; f < files.Length; f++) _t.WriteSeed($"part-{f}.jsonl", Jsonl.Lines([.. files[f]]));
        _t.Engine.SyncOnce();
        Assume.That(_t.Engine.GetStats().ArticleCount, Is.EqualTo(Count));
    }

    [OneTimeTearDown]
    public void TearDown() => _t.Dispose();

    private List<ExportedArticle> ExportAll(ExportRequest request, int batchSize)
    {
        var items = new List<ExportedArticle>();
        using var export = _t.Engine.Export(request, batchSize);
        for (var batch = export.NextBatch(); batch.Count > 0; batch = export.NextBatch())
        {
            Assert.That(batch, Has.Count.LessThanOrEqualTo(batchSize));
            items.AddRange(batch);
        }
        return items;
    }

    private static List<(DateTimeOffset?, string)> Positions(List<ExportedArticle> items) => items.Select(a => (a.Published, a.Id)).ToList();

    /// <summary>One batch larger than every match: the export is a single search over all of them.</summary>
    private List<ExportedArticle> InOneSearch(ExportRequest request) => ExportAll(request, batchSize: 10 * Count);

    private static readonly ExportRequest[] Requests =
    [
        new("芯片"),
        new("港口"),
        new("", PublishedFrom: "1000-01-01"),
        new("", PublishedFrom: "2023-03-01", PublishedTo: "2023-06-30"),
        new("芯片", PublishedFrom: "2023-06-01", PublishedTo: "2023-06-01"),
    ];

    [TestCaseSource(nameof(Requests))]
    public void Export_InSmallBatches_SendsWhatOneSearchOverEveryMatchSends_InTheSameOrder(ExportRequest request)
    {
        var whole = InOneSearch(request);
        Assume.That(whole, Is.Not.Empty);
        foreach (var batchSize in new[] { 1, 3, 7, 64 })
            Assert.That(Positions(ExportAll(request, batchSize)), Is.EqualTo(Positions(whole)), $"batches of {batchSize}");
    }

    [Test]
    public void Export_OfEveryDatedArticle_SendsEachOnce_OldestFirst_TiesById()
    {
        var items = ExportAll(new ExportRequest("", PublishedFrom: "1000-01-01"), batchSize: 5);
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(a => a.Id), Is.Unique);
            Assert.That(items, Has.Count.EqualTo(Count - Count / 25));
            Assert.That(items.Select(a => (a.Published!.Value.ToUnixTimeMilliseconds(), a.Id)).ToList(),
                Is.Ordered.Using<(long, string)>(Comparer<(long, string)>.Create((x, y) => x.Item1 != y.Item1 ? x.Item1.CompareTo(y.Item1) : string.CompareOrdinal(x.Item2, y.Item2))));
        });
    }

    [Test]
    public void Export_OfAQuery_EndsWithItsUndatedMatches()
    {
        var items = ExportAll(new ExportRequest("港口"), batchSize: 4);
        Assert.Multiple(() =>
        {
            Assert.That(items, Has.Count.EqualTo(Count));
            Assert.That(items.Skip(Count - Count / 25).Select(a => a.Published), Is.All.Null);
            Assert.That(items.Take(Count - Count / 25).Select(a => a.Published), Is.All.Not.Null);
        });
    }

    [Test]
    public void Export_ResumedFromAnyCursor_GoesOnWithoutGapOrRepeat()
    {
        var request = new ExportRequest("港口");
        var whole = ExportAll(request, batchSize: 9);
        // Inside the run of articles sharing one instant, at a window's likely edge, among the undated ones.
        foreach (var at in new[] { 0, 20, 101, 299, whole.Count - 10 })
        {
            var rest = ExportAll(request with { Cursor = whole[at].Cursor }, batchSize: 6);
            Assert.That(Positions(rest), Is.EqualTo(Positions(whole.Skip(at + 1).ToList())), $"resumed after item {at}");
        }
    }

    /// <param name="inDateOrder">Keys arriving oldest first, as an archive indexed in date order gives them: a sample
    /// that kept only the first keys it saw would put nearly every match in the last window.</param>
    [TestCase(false)]
    [TestCase(true)]
    public void Sampler_OverManyMoreKeysThanItKeeps_ChoosesWindowsOfAboutABatchEach(bool inDateOrder)
    {
        // 1 M keys, a quarter of them on one day and the rest spread over ten years, every fourth the day's.
        var rnd = new Random(11);
        var keys = new long[1_000_000];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = i % 4 == 0 ? 1_700_000_000_000 + rnd.Next(86_400_000) : 1_400_000_000_000 + (long)(rnd.NextDouble() * 3.15e11);
        if (inDateOrder) Array.Sort(keys);
        var sampler = new ExportWindows.Sampler();
        foreach (var key in keys) sampler.Add(key);
        sampler.Add(long.MaxValue);
        var windows = sampler.Windows(2048);

        Array.Sort(keys);
        var sizes = new List<int>();
        var start = 0;
        for (var w = 0; w < windows.Count; w++)
        {
            var end = windows.End(w);
            var next = end == long.MaxValue ? keys.Length : UpperBound(keys, end);
            sizes.Add(next - start);
            start = next;
        }
        Assert.Multiple(() =>
        {
            Assert.That(windows.Dated, Is.EqualTo(keys.Length));
            Assert.That(windows.Undated, Is.EqualTo(1));
            Assert.That(windows.End(windows.Count - 1), Is.EqualTo(long.MaxValue), "the last window is open");
            Assert.That(sizes.Sum(), Is.EqualTo(keys.Length), "every key in one window");
            Assert.That(windows.Count, Is.InRange(keys.Length / 2048 - 5, keys.Length / 2048 + 5));
            Assert.That(sizes, Is.All.InRange(1024, 4096), "each window holds about a batch");
        });
    }

    /// <summary>The index of the first key past <paramref name="key"/> in sorted <paramref name="keys"/>.</summary>
    private static int UpperBound(long[] keys, long key)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (keys[mid] <= key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
