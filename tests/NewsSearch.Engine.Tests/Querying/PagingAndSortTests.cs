using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

public class PagingAndSortTests
{
    private TestEngine _t = null!;

    [OneTimeSetUp]
    public void IndexTwentyFiveArticles()
    {
        _t = new TestEngine();
        var records = Enumerable.Range(1, 25).Select(i =>
            Jsonl.Record($"n{i:00}", $"第{i}篇关于高铁的报道", string.Concat(Enumerable.Repeat("高铁运营里程增长。", i % 5 + 1)),
                new DateOnly(2024, 1, 1).AddDays(i).ToString("yyyy-MM-dd"))).ToList();
        records.Add(Jsonl.Record("undated", "高铁无日期", "高铁"));
        _t.AddSeed("rail.jsonl", Jsonl.Lines([.. records]));
    }

    [OneTimeTearDown]
    public void TearDown() => _t.Dispose();

    private List<SearchHit> AllPages(SortOrder sort, int pageSize)
    {
        var hits = new List<SearchHit>();
        var token = "";
        do
        {
            // The articles differ only in their titles' numbers: near-duplicates, kept apart here.
            var page = _t.Engine.Search(new SearchRequest("高铁", PageSize: pageSize, PageToken: token, Sort: sort) { Collapse = false });
            Assert.That(page.TotalHits, Is.EqualTo(26));
            hits.AddRange(page.Hits);
            token = page.NextPageToken;
        } while (token != "");
        return hits;
    }

    [Test]
    public void Paging_VisitsEveryHitOnceAndEndsWithAnEmptyToken()
    {
        var hits = AllPages(SortOrder.Relevance, pageSize: 7);
        Assert.That(hits.Select(h => h.Id).ToList(), Is.Unique.And.Count.EqualTo(26));
    }

    [Test]
    public void Relevance_OrdersByDescendingScore()
    {
        var hits = AllPages(SortOrder.Relevance, pageSize: 10);
        Assert.That(hits.Select(h => h.Score), Is.Ordered.Descending);
    }

    [Test]
    public void NewestFirst_OrdersByDateWithUndatedLast()
    {
        var hits = AllPages(SortOrder.NewestFirst, pageSize: 10);
        Assert.Multiple(() =>
        {
            Assert.That(hits.Take(25).Select(h => h.Published), Is.Ordered.Descending);
            Assert.That(hits[0].Id, Is.EqualTo("n25"));
            Assert.That(hits[^1].Id, Is.EqualTo("undated"));
        });
    }

    [Test]
    public void OldestFirst_OrdersByDateWithUndatedLast()
    {
        var hits = AllPages(SortOrder.OldestFirst, pageSize: 10);
        Assert.Multiple(() =>
        {
            Assert.That(hits.Take(25).Select(h => h.Published), Is.Ordered.Ascending);
            Assert.That(hits[0].Id, Is.EqualTo("n01"));
            Assert.That(hits[^1].Id, Is.EqualTo("undated"));
        });
    }

    /// <summary>A date range with no query has nothing to rank by: a reader browsing it sees the newest first.</summary>
    [Test]
    public void DateRangeWithoutAQuery_InRelevanceOrder_ListsTheNewestFirst_PageAfterPage()
    {
        var hits = new List<SearchHit>();
        var token = "";
        do
        {
            var page = _t.Engine.Search(new SearchRequest("", PublishedFrom: "2024-01-01", PageSize: 7, PageToken: token) { Collapse = false });
            Assert.That(page.TotalHits, Is.EqualTo(25));
            hits.AddRange(page.Hits);
            token = page.NextPageToken;
        } while (token != "");
        Assert.That(hits.Select(h => h.Id), Is.EqualTo(Enumerable.Range(1, 25).Reverse().Select(i => $"n{i:00}")));
    }

    [Test]
    public void PageToken_FromAnotherQueryIsRefused()
    {
        var token = _t.Engine.Search(new SearchRequest("高铁", PageSize: 5)).NextPageToken;
        var e = Assert.Throws<InvalidRequestException>(() => _t.Engine.Search(new SearchRequest("报道", PageSize: 5, PageToken: token)));
        Assert.That(e!.Field, Is.EqualTo("page_token"));
    }

    [Test]
    public void Ids_RestrictTheSearchToThoseArticles()
    {
        var page = _t.Engine.Search(new SearchRequest("高铁", Ids: ["n03", "n07", "missing"]));
        Assert.That(page.Hits.Select(h => h.Id).Order(), Is.EqualTo(new[] { "n03", "n07" }));
    }
}
