using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>
/// The engine's date filter reads Lucene's trie terms itself, into bit sets rented for one search: it must find
/// exactly what Lucene's <see cref="NumericRangeFilter"/> finds, for any range, and a set given back must come out of
/// the pool empty for the next search.
/// </summary>
public class PublishedRangeFilterTests
{
    private SegmentedIndex _index = null!;
    private DirectoryReader _reader = null!;
    private long[] _dates = null!;

    [OneTimeSetUp]
    public void IndexDatedAndUndatedDocuments()
    {
        var random = new Random(20261127);
        // Ten years in milliseconds, a few instants shared by many documents, some before 1970, some undated.
        var start = new DateTimeOffset(1965, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        _dates = Enumerable.Range(0, 40).Select(_ => start + random.NextInt64(0, 70L * 365 * 86_400_000)).ToArray();
        _index = new SegmentedIndex(5_000, perSegment: 1_700, deleteEvery: 13, d =>
        {
            var doc = new Document { new StringField(ArticleFields.Id, "d" + d, Field.Store.YES) };
            if (d % 11 != 0)
            {
                var ms = random.Next(4) == 0 ? _dates[random.Next(_dates.Length)] : start + random.NextInt64(0, 70L * 365 * 86_400_000);
                doc.Add(new Int64Field(ArticleFields.Published, ms, Field.Store.YES));
            }
            return doc;
        });
        _reader = _index.Reader;
    }

    [OneTimeTearDown]
    public void TearDown() => _index.Dispose();

    private IEnumerable<(long? From, long? To)> Ranges()
    {
        var random = new Random(7);
        long Instant() => random.Next(3) switch
        {
            0 => _dates[random.Next(_dates.Length)], // exactly an indexed instant: both ends inclusive
            1 => _dates[random.Next(_dates.Length)] + random.Next(-1, 2),
            _ => random.NextInt64(_dates.Min() - 86_400_000, _dates.Max() + 86_400_000),
        };
        yield return (null, null);
        yield return (long.MinValue, long.MaxValue);
        yield return (_dates[0], _dates[0]);
        yield return (_dates[1], _dates[1] - 1); // empty
        for (var i = 0; i < 150; i++)
        {
            var (a, b) = (Instant(), Instant());
            yield return random.Next(8) switch
            {
                0 => (null, b),
                1 => (a, null),
                2 => (Math.Max(a, b), Math.Min(a, b)),
                _ => (Math.Min(a, b), Math.Max(a, b)),
            };
        }
    }

    [Test]
    public void AnyRange_FindsTheDocumentsLucenesNumericRangeFilterFinds()
    {
        foreach (var (from, to) in Ranges())
        {
            var lucene = FilterResults.Docs(_reader, NumericRangeFilter.NewInt64Range(ArticleFields.Published, from, to, true, true));
            Assert.That(FilterResults.Docs(_reader, new PublishedRangeFilter(from, to, rented: null)), Is.EqualTo(lucene),
                $"range [{from?.ToString() ?? "open"}, {to?.ToString() ?? "open"}]");
        }
    }

    [Test]
    public void RentedSets_ComeBackEmptyForTheNextSearch()
    {
        // A wide range fills the sets; each narrower range after it, in a new search, must see none of those bits.
        foreach (var (from, to) in Ranges())
        {
            using (var wide = new RentedBits()) FilterResults.Docs(_reader, new PublishedRangeFilter(null, null, wide));
            using var search = new RentedBits();
            var lucene = FilterResults.Docs(_reader, NumericRangeFilter.NewInt64Range(ArticleFields.Published, from, to, true, true));
            Assert.That(FilterResults.Docs(_reader, new PublishedRangeFilter(from, to, search)), Is.EqualTo(lucene),
                $"range [{from?.ToString() ?? "open"}, {to?.ToString() ?? "open"}]");
        }
    }
}
