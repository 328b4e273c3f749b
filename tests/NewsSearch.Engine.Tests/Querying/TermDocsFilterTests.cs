using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Search;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>
/// The ids filter, Related's exclusion and the collapse's copies pass read their terms' documents into bit sets rented
/// for one search: they must find exactly what Lucene's <see cref="TermsFilter"/> (as a must-not clause, for an
/// exclusion) finds, and so must a chain of filters, with sets that come out of the pool empty for the next search.
/// </summary>
public class TermDocsFilterTests
{
    private SegmentedIndex _index = null!;
    private DirectoryReader _reader = null!;

    [OneTimeSetUp]
    public void IndexDocumentsWithIdsAndClusters()
    {
        _index = new SegmentedIndex(3_000, perSegment: 1_100, deleteEvery: 7, d => new Document
        {
            new StringField(ArticleFields.Id, "d" + d, Field.Store.YES),
            new StringField(ArticleFields.Cluster, "c" + d % 97, Field.Store.NO),
        });
        _reader = _index.Reader;
    }

    [OneTimeTearDown]
    public void TearDown() => _index.Dispose();

    /// <summary>Term lists: ids (some deleted, some never indexed, some repeated), cluster keys, and both mixed.</summary>
    private static IEnumerable<List<Term>> TermLists()
    {
        var random = new Random(11);
        Term Id() => new(ArticleFields.Id, "d" + random.Next(3_300));
        Term Cluster() => new(ArticleFields.Cluster, "c" + random.Next(105));
        yield return [new Term(ArticleFields.Id, "absent")];
        yield return [new Term("no such field", "d1")];
        for (var i = 0; i < 60; i++)
        {
            var count = 1 + random.Next(12);
            yield return (i % 3) switch
            {
                0 => Enumerable.Range(0, count).Select(_ => Id()).ToList(),
                1 => Enumerable.Range(0, count).Select(_ => Cluster()).ToList(),
                _ => Enumerable.Range(0, count).Select(_ => random.Next(2) == 0 ? Id() : Cluster()).ToList(),
            };
        }
    }

    private static Filter LuceneExclusion(List<Term> terms) =>
        new BooleanFilter { new FilterClause(new TermsFilter(terms), Occur.MUST_NOT) };

    [Test]
    public void AnyTerms_FindTheDocumentsLucenesTermsFilterFinds_AndExcludedTheRest()
    {
        foreach (var terms in TermLists())
        {
            var label = string.Join(" ", terms);
            Assert.That(FilterResults.Docs(_reader, new TermDocsFilter(terms, exclude: false, rented: null)),
                Is.EqualTo(FilterResults.Docs(_reader, new TermsFilter(terms))), "holding any of " + label);
            Assert.That(FilterResults.Docs(_reader, new TermDocsFilter(terms, exclude: true, rented: null)),
                Is.EqualTo(FilterResults.Docs(_reader, LuceneExclusion(terms))), "holding none of " + label);
        }
    }

    [Test]
    public void AChainOfFilters_FindsTheDocumentsEveryOneOfThemFinds_InSetsThatComeBackEmpty()
    {
        var lists = TermLists().ToList();
        for (var i = 0; i + 1 < lists.Count; i++)
        {
            // Everything first, in a search of its own, so that a set given back uncleared would show.
            using (var wide = new RentedBits())
                FilterResults.Docs(_reader, new ChainedAllFilter([new TermDocsFilter([new Term(ArticleFields.Id, "absent")], exclude: true, wide),
                    new TermDocsFilter([new Term(ArticleFields.Id, "absent")], exclude: true, wide)], wide));
            using var search = new RentedBits();
            var (some, none) = (lists[i], lists[i + 1]);
            var expected = FilterResults.Docs(_reader, new TermsFilter(some));
            expected.IntersectWith(FilterResults.Docs(_reader, LuceneExclusion(none)));
            var chained = new ChainedAllFilter([new TermDocsFilter(some, exclude: false, search), new TermDocsFilter(none, exclude: true, search)], search);
            Assert.That(FilterResults.Docs(_reader, chained), Is.EqualTo(expected), $"holding any of {string.Join(" ", some)} and none of {string.Join(" ", none)}");
        }
    }
}
