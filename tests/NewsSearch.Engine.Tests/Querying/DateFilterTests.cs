using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

public class DateFilterTests
{
    private TestEngine _t = null!;

    [OneTimeSetUp]
    public void IndexArticlesAroundMidnight()
    {
        _t = new TestEngine();
        _t.AddSeed("news.jsonl", Jsonl.Lines(
            Jsonl.Record("before", "月初会议", "芯片产业会议", "2025-06-30T23:59:00+08:00"),
            Jsonl.Record("first-day", "芯片新闻一", "芯片产业", "2025-07-01T00:00:00+08:00"),
            Jsonl.Record("late-last-day", "芯片新闻二", "芯片产业", "2025-07-31T23:30:00+08:00"),
            Jsonl.Record("early-next-day", "芯片新闻三", "芯片产业", "2025-08-01T00:30:00+08:00"),
            Jsonl.Record("utc-late", "芯片新闻四", "芯片产业", "2025-07-31T16:10:00Z"),
            Jsonl.Record("undated", "芯片新闻五", "芯片产业")));
    }

    [OneTimeTearDown]
    public void TearDown() => _t.Dispose();

    private string[] Ids(string? from, string? to, string query = "芯片") =>
        _t.Engine.Search(new SearchRequest(query, from, to, PageSize: 100)).Hits.Select(h => h.Id).Order().ToArray();

    [Test]
    public void DayRange_IncludesAnArticleAt2330BeijingTimeOnTheLastDay()
    {
        Assert.That(Ids("2025-07-01", "2025-07-31"), Does.Contain("late-last-day"));
    }

    [Test]
    public void DayRange_ExcludesAnArticleAt0030TheNextDay()
    {
        Assert.That(Ids("2025-07-01", "2025-07-31"), Does.Not.Contain("early-next-day"));
    }

    [Test]
    public void DayRange_IsExactlyTheDaysInBeijingTime()
    {
        Assert.That(Ids("2025-07-01", "2025-07-31"), Is.EqualTo(new[] { "first-day", "late-last-day" }));
    }

    [Test]
    public void DayRange_ComparesInstantsGivenInUtcByTheirBeijingTime()
    {
        // 16:10 UTC on 31 July is 00:10 on 1 August in Beijing.
        Assert.That(Ids("2025-08-01", "2025-08-01"), Is.EqualTo(new[] { "early-next-day", "utc-late" }));
    }

    [Test]
    public void Rfc3339Bounds_AreExactAndInclusive()
    {
        Assert.That(Ids("2025-07-31T23:30:00+08:00", "2025-08-01T00:30:00+08:00"),
            Is.EqualTo(new[] { "early-next-day", "late-last-day", "utc-late" }));
    }

    [Test]
    public void UndatedArticles_AreFoundWithoutAFilterButNeverWithOne()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Ids(null, null), Does.Contain("undated"));
            Assert.That(Ids("2000-01-01", null), Does.Not.Contain("undated"));
            Assert.That(Ids(null, "2100-01-01"), Does.Not.Contain("undated"));
        });
    }

    [Test]
    public void EmptyQueryWithADateFilter_ListsEverythingInTheRange()
    {
        Assert.That(Ids("2025-06-30", "2025-06-30", query: ""), Is.EqualTo(new[] { "before" }));
    }
}
