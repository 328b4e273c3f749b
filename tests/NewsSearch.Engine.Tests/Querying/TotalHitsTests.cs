using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>
/// Past <see cref="NewsSearchEngine.ExactTotalUpTo"/> hits, a search in relevance order may skip articles that cannot
/// reach its page: the page is the one an exact count gives, and the total says "at least".
/// </summary>
public class TotalHitsTests
{
    private const int Generated = NewsSearchEngine.ExactTotalUpTo + 600;
    /// <summary>The generated articles, a story published after all of them, and its reprint three weeks earlier.</summary>
    private const int Articles = Generated + 2;
    private TestEngine _t = null!;

    [OneTimeSetUp]
    public void IndexManyArticlesThatShareAWord()
    {
        _t = new TestEngine();
        _t.AddSeed("a.jsonl", CommonWordArticles.Seed(Generated));
        _t.AddSeed("story.jsonl", Jsonl.Lines(
            Jsonl.Record("story", Reprints.Title, Reprints.Body + CommonWordArticles.Word, "2025-12-31"),
            Jsonl.Record("reprint", Reprints.ReprintTitle, Reprints.ReprintBody + CommonWordArticles.Word, "2025-12-10")));
    }

    [OneTimeTearDown]
    public void Dispose() => _t.Dispose();

    [TestCase(10, null)]
    [TestCase(50, null)]
    [TestCase(10, "page 5")]
    public void AWordInMoreArticlesThanAreCountedExactly_GivesTheExactCountsPage_WithATotalOfAtLeast(int pageSize, string? page)
    {
        var request = new SearchRequest(CommonWordArticles.Word, PageSize: pageSize) { Collapse = false };
        if (page is not null) request = request with { PageToken = Page(request, 5) };
        var counted = _t.Engine.Search(request);
        var exact = _t.Engine.Search(request with { ExactTotal = true });
        Assert.Multiple(() =>
        {
            Assert.That(exact.TotalHits, Is.EqualTo(Articles));
            Assert.That(exact.TotalIsLowerBound, Is.False);
            Assert.That(counted.TotalIsLowerBound, Is.True);
            Assert.That(counted.TotalHits, Is.InRange(NewsSearchEngine.ExactTotalUpTo, Articles));
            Assert.That(counted.Hits.Select(h => h.Id), Is.EqualTo(exact.Hits.Select(h => h.Id)));
            Assert.That(counted.NextPageToken, Is.Not.Empty);
        });
    }

    [Test]
    public void CollapsedByDefault_TheClustersCountIsALowerBoundToo()
    {
        var counted = _t.Engine.Search(new SearchRequest(CommonWordArticles.Word));
        var exact = _t.Engine.Search(new SearchRequest(CommonWordArticles.Word) { ExactTotal = true });
        Assert.Multiple(() =>
        {
            Assert.That(counted.TotalIsLowerBound, Is.True);
            Assert.That(counted.TotalClusters, Is.LessThanOrEqualTo(exact.TotalClusters!.Value));
            Assert.That(counted.Hits.Select(h => h.Id), Is.EqualTo(exact.Hits.Select(h => h.Id)));
        });
    }

    [Test]
    public void Facets_CountEveryHit()
    {
        var result = _t.Engine.Search(new SearchRequest(CommonWordArticles.Word) { Facets = new FacetRequest { DateHistogram = FacetInterval.Year } });
        Assert.Multiple(() =>
        {
            Assert.That(result.TotalIsLowerBound, Is.False);
            Assert.That(result.TotalHits, Is.EqualTo(Articles));
        });
    }

    [TestCase(SortOrder.NewestFirst, false, 1)]
    [TestCase(SortOrder.NewestFirst, false, 5)]
    [TestCase(SortOrder.NewestFirst, true, 1)]
    [TestCase(SortOrder.NewestFirst, true, 5)]
    [TestCase(SortOrder.OldestFirst, false, 1)]
    [TestCase(SortOrder.OldestFirst, true, 5)]
    public void InDateOrder_ThePageIsTheExactCountsPage_WithATotalOfAtLeast(SortOrder order, bool collapse, int page)
    {
        var request = new SearchRequest(CommonWordArticles.Word, Sort: order) { Collapse = collapse };
        request = request with { PageToken = Page(request, page) };
        var counted = _t.Engine.Search(request);
        var exact = _t.Engine.Search(request with { ExactTotal = true });
        Assert.Multiple(() =>
        {
            Assert.That(exact.TotalIsLowerBound, Is.False);
            Assert.That(counted.TotalIsLowerBound, Is.True);
            Assert.That(counted.TotalHits, Is.InRange(NewsSearchEngine.ExactTotalUpTo, Articles));
            Assert.That(counted.Hits.Select(h => (h.Id, h.CollapsedCount)), Is.EqualTo(exact.Hits.Select(h => (h.Id, h.CollapsedCount))));
            Assert.That(counted.NextPageToken, Is.Not.Empty);
        });
    }

    [Test]
    public void NewestFirst_AStorysReprintOlderThanTheHitsOnThePage_IsStillCountedAsItsCopy()
    {
        var result = _t.Engine.Search(new SearchRequest(CommonWordArticles.Word, Sort: SortOrder.NewestFirst));
        Assert.Multiple(() =>
        {
            Assert.That(result.Hits[0].Id, Is.EqualTo("story"));
            Assert.That(result.Hits[0].CollapsedCount, Is.EqualTo(1));
            Assert.That(result.Hits[0].CollapsedIds, Is.EqualTo(new[] { "reprint" }));
        });
    }

    [Test]
    public void InDateOrder_FewerHitsThanAreCountedExactly_AreCountedExactly()
    {
        var request = new SearchRequest(CommonWordArticles.Word, PublishedFrom: "2025-01-01", PublishedTo: "2025-06-30", Sort: SortOrder.NewestFirst)
        {
            Collapse = false,
        };
        var counted = _t.Engine.Search(request);
        var exact = _t.Engine.Search(request with { ExactTotal = true });
        Assert.Multiple(() =>
        {
            Assert.That(counted.TotalIsLowerBound, Is.False);
            Assert.That(counted.TotalHits, Is.EqualTo(exact.TotalHits).And.LessThan(NewsSearchEngine.ExactTotalUpTo));
            Assert.That(counted.Hits.Select(h => h.Id), Is.EqualTo(exact.Hits.Select(h => h.Id)));
        });
    }

    [Test]
    public void FewerHitsThanAreCountedExactly_AreCountedExactly()
    {
        var result = _t.Engine.Search(new SearchRequest(CommonWordArticles.Word, PublishedFrom: "2025-03-01", PublishedTo: "2025-03-31") { Collapse = false });
        Assert.Multiple(() =>
        {
            Assert.That(result.TotalIsLowerBound, Is.False);
            Assert.That(result.TotalHits, Is.EqualTo(Enumerable.Range(0, Generated).Count(i => i % 12 == 2)));
        });
    }

    /// <summary>The token of page <paramref name="n"/>, reached by following each page's next token.</summary>
    private string Page(SearchRequest request, int n)
    {
        var token = "";
        for (var i = 1; i < n; i++) token = _t.Engine.Search(request with { PageToken = token }).NextPageToken;
        return token;
    }
}
