using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// For a search in date order: the narrower date ranges worth trying first, at the end of the range the order starts
/// from (the newest for newest first, the oldest for oldest first). If a slice holds a page's worth of hits, those are
/// the page: every article outside it is older (newer) than every article in it. Articles are indexed in runs of
/// dates, so a slice is a few runs of document numbers that the scorers leap to, and a common word's search over a
/// tenth of the archive costs about a tenth.
/// </summary>
internal static class NewestSlices
{
    /// <summary>Each slice is this many times narrower than the next; the last one tried is the whole range.</summary>
    public const int Step = 8;

    /// <summary>Slices tried before the whole range.</summary>
    public const int Slices = 2;

    /// <summary>
    /// The slices of [<paramref name="from"/>, <paramref name="to"/>] (open ends taken at the index's first and last
    /// dates) to try in <paramref name="order"/>, narrowest first, each as an inclusive range in Unix milliseconds;
    /// none when the range holds no dated article or the order is not by date.
    /// </summary>
    public static IEnumerable<(long From, long To)> Of(IndexReader reader, SortOrder order, long? from, long? to)
    {
        if (order == SortOrder.Relevance || DateRange.Of(reader) is not { } dated) yield break;
        var first = Math.Max(from ?? long.MinValue, dated.First);
        var last = Math.Min(to ?? long.MaxValue, dated.Last);
        if (first >= last) yield break;
        var span = (double)(last - first);
        for (var i = Slices; i >= 1; i--)
        {
            var width = (long)(span / Math.Pow(Step, i));
            if (width <= 0) continue;
            yield return order == SortOrder.NewestFirst ? (last - width, last) : (first, first + width);
        }
    }

    /// <summary>The first and last publication date (Unix milliseconds) of a reader's dated articles, deleted ones
    /// included; each segment's read once and kept with it.</summary>
    private static class DateRange
    {
        private static readonly ConditionalWeakTable<object, Tuple<long, long>?> BySegment = new();

        public static (long First, long Last)? Of(IndexReader reader)
        {
            (long First, long Last)? range = null;
            foreach (var leaf in reader.Leaves)
            {
                var segment = BySegment.GetValue(leaf.AtomicReader.CoreCacheKey, _ => OfSegment(leaf.AtomicReader));
                if (segment is null) continue;
                range = range is { } r ? (Math.Min(r.First, segment.Item1), Math.Max(r.Last, segment.Item2)) : (segment.Item1, segment.Item2);
            }
            return range;
        }

        private static Tuple<long, long>? OfSegment(AtomicReader reader)
        {
            var newest = reader.GetNumericDocValues(ArticleFields.NewestKey);
            if (newest is null) return null;
            var (first, last) = (long.MaxValue, long.MinValue);
            for (var d = 0; d < reader.MaxDoc; d++)
            {
                var ms = newest.Get(d);
                if (ms == long.MinValue) continue; // undated
                if (ms < first) first = ms;
                if (ms > last) last = ms;
            }
            return first <= last ? Tuple.Create(first, last) : null;
        }
    }
}
