using NewsSearch.Engine.Ingestion;
using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>The first and last days of the calendar, in filters and in article files.</summary>
public class DateExtremesTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private TestEngine _t = null!;

    [OneTimeSetUp]
    public void IndexArticlesDatedAtBothEndsOfTheCalendar()
    {
        _t = new TestEngine();
        _t.AddSeed("extremes.jsonl", Jsonl.Lines(
            Jsonl.Record("first-day", "芯片远古", "芯片产业", "0001-01-01"),
            Jsonl.Record("first-instant", "芯片更早", "芯片产业", "0001-01-01T00:00:00+08:00"),
            Jsonl.Record("ordinary", "芯片新闻", "芯片产业", "2025-07-01"),
            Jsonl.Record("last-day", "芯片未来", "芯片产业", "9999-12-31"),
            Jsonl.Record("last-instant", "芯片更晚", "芯片产业", "9999-12-31T23:59:59-08:00")));
    }

    [OneTimeTearDown]
    public void TearDown() => _t.Dispose();

    private string[] Ids(string? from, string? to) =>
        _t.Engine.Search(new SearchRequest("芯片", from, to, PageSize: 100)).Hits.Select(h => h.Id).Order().ToArray();

    [Test]
    public void ArticleFiles_DatedOnTheFirstAndLastDays_AreAllIndexed()
    {
        Assert.That(_t.Engine.GetStats().ArticleCount, Is.EqualTo(5));
    }

    [Test]
    public void WholeCalendarRange_FindsEveryDatedArticle()
    {
        Assert.That(Ids("0001-01-01", "9999-12-31"), Is.EqualTo(new[] { "first-day", "first-instant", "last-day", "last-instant", "ordinary" }));
    }

    [TestCase("0001-01-01", null)]
    [TestCase(null, "0001-01-01")]
    [TestCase("9999-12-31", null)]
    [TestCase(null, "9999-12-31")]
    [TestCase("0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z")]
    [TestCase("0001-01-01T00:00:00.000000001Z", "9999-12-31T23:59:59.99999999Z")]
    [TestCase("0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999999+00:00")]
    [TestCase("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00")]
    [TestCase("0001-01-01 00:00", "9999-12-31 23:59:59")]
    public void BoundsAtTheExtremes_AreAnsweredWithoutError(string? from, string? to)
    {
        Assert.That(() => Ids(from, to), Throws.Nothing);
    }

    [Test]
    public void LastDayAsUpperBound_IncludesEverythingUpToTheEndOfTime()
    {
        Assert.That(Ids("2025-01-01", "9999-12-31"), Is.EqualTo(new[] { "last-day", "last-instant", "ordinary" }));
    }

    [Test]
    public void FirstDayAsUpperBound_FindsOnlyTheFirstDay()
    {
        Assert.That(Ids(null, "0001-01-01"), Is.EqualTo(new[] { "first-day", "first-instant" }));
    }

    [Test]
    public void StartOfDay_BeforeTheFirstRepresentableInstant_IsClampedToMinValue()
    {
        Assert.That(Dates.StartOfDay(DateOnly.MinValue, Shanghai), Is.EqualTo(DateTimeOffset.MinValue));
    }

    [Test]
    public void EndOfDay_OfTheLastDay_IsMaxValue()
    {
        Assert.That(Dates.EndOfDay(DateOnly.MaxValue, Shanghai), Is.EqualTo(DateTimeOffset.MaxValue));
    }

    // Past either end of the range: clamped. Fractions finer than 100 ns: cut, not rounded (rounding took the last
    // instant of 9999 past the range).
    [TestCase("0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00+00:00")]
    [TestCase("9999-12-31T23:59:59-08:00", "9999-12-31T23:59:59.9999999+00:00")]
    [TestCase("2025-07-01T08:00:00.123456789+08:00", "2025-07-01T08:00:00.1234567+08:00")]
    [TestCase("9999-12-31T23:59:59.99999999Z", "9999-12-31T23:59:59.9999999+00:00")]
    public void TryParseInstant_Rfc3339PastTheRangeOrFinerThan100Nanoseconds_IsClampedOrCut(string value, string expected)
    {
        var parsed = Dates.TryParseInstant(value, Shanghai, out var instant, out _);
        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.True);
            Assert.That(instant, Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
        });
    }
}
