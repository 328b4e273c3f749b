using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Engine.Ingestion;
using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests;

/// <summary>What the engine's meter and activity source report for one indexing pass and a few searches, read with
/// <see cref="MeterListener"/> and <see cref="ActivityListener"/> as any exporter would.</summary>
[NonParallelizable] // the activity listener sees every engine's searches in the process
public class EngineMetricsTests
{
    private TempFolder _folder = null!;
    private OneMeterFactory _meters = null!;
    private NewsSearchEngine _engine = null!;
    private MeterListener _listener = null!;
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];

    [SetUp]
    public void SetUp()
    {
        _measurements.Clear();
        _folder = new TempFolder("engine-metrics");
        _folder.Write("seeds/a.jsonl", Jsonl.Lines(
            Jsonl.Record("a1", "熊猫新闻", "大熊猫在成都", "2025-03-01"),
            Jsonl.Record("a2", "港口新闻", "港口吞吐量", "2025-03-02"),
            "{ not json",
            Jsonl.Record("a3", "坏日期", "正文", "yesterday")));
        _meters = new OneMeterFactory();
        _engine = new NewsSearchEngine(new SearchEngineOptions
        {
            SeedsPath = _folder.Combine("seeds"), IndexPath = _folder.Combine("index"), IndexingThreads = 1, RamBufferMb = 16,
        }, NullLoggerFactory.Instance, meters: _meters);
        // Only this engine's meter: other tests' engines in this process have meters of the same name.
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, _meters.Created)) l.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Note(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Note(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Note(i, v, tags));
        _listener.Start();
    }

    private void Note(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_measurements) _measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
    }

    [TearDown]
    public void TearDown()
    {
        _listener.Dispose();
        _engine.Dispose();
        _meters.Dispose();
        _folder.Dispose();
    }

    private List<(double Value, Dictionary<string, object?> Tags)> Of(string instrument)
    {
        lock (_measurements) return _measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags)).ToList();
    }

    [Test]
    public void IndexingPass_IsCounted_WithSkipsByKind_AndTheIndexIsObserved()
    {
        _engine.Open();
        _engine.SyncOnce();
        _listener.RecordObservableInstruments();

        var pass = Of("newssearch.indexing.pass.duration");
        var lag = Of("newssearch.indexing.lag");
        Assert.Multiple(() =>
        {
            Assert.That(Of("newssearch.indexing.articles").Last().Value, Is.EqualTo(2));
            Assert.That(Of("newssearch.indexing.skipped").Where(m => m.Value > 0).Select(m => ((string)m.Tags["reason"]!, m.Value)),
                Is.EquivalentTo(new[] { (SkipKinds.InvalidJson, 1.0), (SkipKinds.InvalidRecord, 1.0) }));
            Assert.That(Of("newssearch.indexing.skipped").Select(m => m.Tags["reason"]), Is.EquivalentTo(SkipKinds.All),
                "every kind is reported, at 0 until it happens");
            Assert.That(Of("newssearch.indexing.failures").Last().Value, Is.Zero);
            Assert.That(pass, Has.Count.EqualTo(1));
            Assert.That(lag, Has.Count.EqualTo(1));
            Assert.That(lag.Single().Value, Is.GreaterThanOrEqualTo(pass.Single().Value), "the lag spans the pass and the refresh");
            Assert.That(Of("newssearch.index.articles").Last().Value, Is.EqualTo(2));
            Assert.That(Of("newssearch.index.size").Last().Value, Is.EqualTo(_engine.GetStats().IndexSizeBytes));
            Assert.That(Of("newssearch.index.generation").Last().Tags["generation"], Is.EqualTo(_engine.GetStats().Generation));
            Assert.That(Of("newssearch.indexing.problem").Last().Value, Is.Zero);
        });

        _engine.SyncOnce();
        Assert.That(Of("newssearch.indexing.pass.duration"), Has.Count.EqualTo(1), "a poll that finds nothing to do is no pass");
    }

    [Test]
    public void IndexFigures_AreNotReported_BeforeTheIndexIsOpen_ButTheCountersAreAtZero()
    {
        _listener.RecordObservableInstruments();
        Assert.Multiple(() =>
        {
            Assert.That(Of("newssearch.index.articles"), Is.Empty);
            Assert.That(Of("newssearch.indexing.articles").Single().Value, Is.Zero);
        });
    }

    [Test]
    public void Search_RecordsEachPhaseOnce_AndASpanWithAChildPerPhase()
    {
        _engine.Open();
        _engine.SyncOnce();
        var spans = new List<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == EngineMetrics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) spans.Add(a); },
        };
        ActivitySource.AddActivityListener(activities);

        var result = _engine.Search(new SearchRequest("熊猫"));
        Assert.Throws<InvalidRequestException>(() => _engine.Search(new SearchRequest("")));

        var phases = Of("newssearch.search.duration");
        Assert.Multiple(() =>
        {
            Assert.That(phases.Select(p => p.Tags["phase"]), Is.EquivalentTo(new[] { "parse", "search", "fetch_snippets" }),
                "the answered search only");
            Assert.That(phases.Sum(p => p.Value), Is.LessThanOrEqualTo(result.Elapsed.TotalSeconds + 1e-6));
            Assert.That(phases.Select(p => p.Value), Is.All.GreaterThanOrEqualTo(0));
        });

        Activity[] mine;
        lock (spans) mine = spans.Where(s => s.OperationName == "Search" && s.GetTagItem("newssearch.total_hits") is 1L).ToArray();
        Assert.That(mine, Has.Length.EqualTo(1));
        var search = mine[0];
        List<Activity> children;
        lock (spans) children = spans.Where(s => s.ParentSpanId == search.SpanId).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(children.Select(c => c.OperationName), Is.EquivalentTo(new[] { "Search parse", "Search search", "Search fetch_snippets" }));
            Assert.That(children.Select(c => c.TraceId), Is.All.EqualTo(search.TraceId));
            Assert.That(children.Select(c => c.StartTimeUtc), Is.All.GreaterThanOrEqualTo(search.StartTimeUtc));
        });
    }

    /// <summary>Hands the engine a meter the test can tell apart from other engines' meters.</summary>
    private sealed class OneMeterFactory : IMeterFactory
    {
        public Meter? Created { get; private set; }
        public Meter Create(MeterOptions options) => Created = new Meter(options);
        public void Dispose() => Created?.Dispose();
    }
}
