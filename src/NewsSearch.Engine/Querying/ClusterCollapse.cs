using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Collapses near-duplicate clusters (<see cref="ArticleFields.Cluster"/>) in a result list: each cluster shows only
/// its first hit in the requested order (the best-ranked one, or the newest or oldest when sorted by date), carrying
/// how many other hits of the search are in its cluster and their ids. Pages step through clusters, in the same
/// order as the hits, so a later page never shows a cluster an earlier one showed (while the index does not change).
/// </summary>
/// <remarks>
/// Cost: one pass over all hits that ranks the first hits and marks each hit's cluster in two bit sets (seen, seen
/// twice; global ordinals of the cluster key, mapped once per index refresh), so the number of clusters is exact. The
/// ranked list is taken a little deeper than the page, and again deeper when copies fill it. A second, filtered pass
/// lists the copies, only for the page's clusters that have any.
/// </remarks>
internal static class ClusterCollapse
{
    /// <summary>Most collapsed copy ids listed on one hit; the count is always exact.</summary>
    public const int MaxCollapsedIds = 50;
    /// <summary>Copies of the page's clusters ranked to list their ids.</summary>
    private const int CopiesRanked = 2_000;

    /// <param name="Hits">The page: each cluster's first hit with its copies (other hits of this search in its cluster).</param>
    /// <param name="TotalIsLowerBound">Hits that could not enter the page were skipped, not counted: <paramref name="TotalHits"/>
    /// and <paramref name="TotalClusters"/> are lower bounds.</param>
    public sealed record Result(IReadOnlyList<(ScoreDoc Hit, int Copies, IReadOnlyList<string> CopyIds)> Hits, int TotalHits, long TotalClusters,
        bool TotalIsLowerBound);

    private static readonly ConditionalWeakTable<IndexReader, MultiDocValues.OrdinalMap> MapsByReader = new();
    private static readonly ISet<string> IdOnly = new HashSet<string> { ArticleFields.Id };

    /// <param name="live">The index reader <paramref name="searcher"/> reads (unwrapped): the ordinal map is cached per reader.</param>
    /// <param name="filter">What the search is restricted to; copies are counted over all of it.</param>
    /// <param name="slice">A narrower filter to rank the page from (a date slice, <see cref="NewestSlices"/>), or null
    /// for <paramref name="filter"/>; the result is null when the slice does not fill the page.</param>
    /// <param name="exactUpTo">Hits counted exactly before hits that cannot enter the page may be skipped (see
    /// <see cref="TopHits.Search"/>); with facets every hit is counted.</param>
    /// <param name="giveUpAt">When set, the search stops once it has counted that many hits, and the result is null.</param>
    public static Result? Search(IndexSearcher searcher, IndexReader live, FilteredSearch search, Filter? filter, Sort sort,
        int offset, int pageSize, SearchStop stop, FacetCounts? facets = null, int exactUpTo = int.MaxValue, Filter? slice = null,
        int? giveUpAt = null)
    {
        var ordinals = Ordinals(live);
        var wanted = offset + pageSize;
        var depth = Math.Max(1, Math.Min(wanted + wanted / 2 + 16, searcher.IndexReader.MaxDoc));
        using var counter = new ClusterCounter(ordinals);
        if (facets is not null) exactUpTo = int.MaxValue;
        var ranked = search.With(slice ?? filter);
        var (first, lowerBound) = Ranked(searcher, ranked, sort, depth, counter, facets, exactUpTo, giveUpAt);
        if (first is not { } top) return null;
        var firsts = FirstOfEachCluster(top, ordinals, wanted);
        while (firsts.Count < wanted && top.ScoreDocs.Length < top.TotalHits)
        {
            stop.ThrowIfStopped();
            depth = (int)Math.Min((long)depth * 4, top.TotalHits);
            top = Ranked(searcher, ranked, sort, depth, null, null, exactUpTo).Top!;
            firsts = FirstOfEachCluster(top, ordinals, wanted);
        }
        if (slice is not null && firsts.Count < wanted) return null;
        var page = firsts.Skip(offset).ToList();
        // The counter saw every hit only when none was skipped and the whole filter was ranked; otherwise a copy it
        // did not see may exist, and every cluster of the page is looked up.
        var sawAll = !lowerBound && slice is null;
        var copies = Copies(searcher, search, filter, sort, ordinals, page.Where(p => p.Cluster >= 0 && (!sawAll || counter.IsRepeated(p.Cluster))).ToList());
        var hits = page.Select(p => copies.TryGetValue(p.Cluster, out var c) && c.Count > 0
            ? (p.Hit, c.Count, (IReadOnlyList<string>)c.Ids.Where(d => d != p.Hit.Doc).Take(MaxCollapsedIds).Select(d => IdOf(searcher, d)).ToList())
            : (p.Hit, 0, [])).ToList();
        return new Result(hits, top.TotalHits, counter.Clusters, lowerBound);
    }

    private static ClusterOrdinals Ordinals(IndexReader live) =>
        new(live, live.Leaves.Count == 0 ? null : MapsByReader.GetValue(live, ClusterOrdinals.MapOf));

    /// <param name="facets">Counts every hit too, in the first pass only.</param>
    private static (TopDocs? Top, bool TotalIsLowerBound) Ranked(IndexSearcher searcher, (Query Query, Filter? Filter) search, Sort sort,
        int depth, ClusterCounter? counter, FacetCounts? facets, int exactUpTo, int? giveUpAt = null)
    {
        if (facets is null) return TopHits.Search(searcher, search, sort, depth, exactUpTo, counter, giveUpAt);
        var ranked = TopFieldCollector.Create(sort, depth, fillFields: true, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
        ICollector collector = counter is null ? ranked : MultiCollector.Wrap(ranked, counter);
        searcher.Search(search.Query, search.Filter, facets.Counting(collector));
        return (ranked.GetTopDocs(), false);
    }

    /// <summary>The first hit of each cluster in rank order, up to <paramref name="wanted"/> clusters.</summary>
    private static List<(ScoreDoc Hit, long Cluster)> FirstOfEachCluster(TopDocs top, ClusterOrdinals ordinals, int wanted)
    {
        var seen = new HashSet<long>();
        var firsts = new List<(ScoreDoc, long)>();
        foreach (var sd in top.ScoreDocs)
        {
            var cluster = ordinals.Of(sd.Doc);
            if (!seen.Add(cluster)) continue;
            firsts.Add((sd, cluster));
            if (firsts.Count == wanted) break;
        }
        return firsts;
    }

    /// <summary>For each of <paramref name="page"/>'s clusters: how many other hits it has and their doc ids in rank
    /// order (at most <see cref="CopiesRanked"/> over all clusters).</summary>
    private static Dictionary<long, (int Count, List<int> Ids)> Copies(IndexSearcher searcher, FilteredSearch search, Filter? filter,
        Sort sort, ClusterOrdinals ordinals, List<(ScoreDoc Hit, long Cluster)> page)
    {
        var result = new Dictionary<long, (int Count, List<int> Ids)>();
        if (page.Count == 0) return result;
        // This pass's bit sets are rented for it and given back when it ends.
        using var rented = new RentedBits();
        var clusters = new TermDocsFilter(page.Select(p => new Term(ArticleFields.Cluster, ordinals.KeyOf(p.Hit.Doc))).ToList(), exclude: false, rented);
        var (query, only) = search.With(filter is null ? clusters : new ChainedAllFilter([filter, clusters], rented));
        var counts = new ClusterTally(ordinals);
        var ranked = TopFieldCollector.Create(sort, CopiesRanked, fillFields: false, trackDocScores: false, trackMaxScore: false, docsScoredInOrder: false);
        searcher.Search(query, only, MultiCollector.Wrap(ranked, counts));
        foreach (var (_, cluster) in page) result[cluster] = (counts.CountOf(cluster) - 1, []);
        foreach (var sd in ranked.GetTopDocs().ScoreDocs)
            if (result.TryGetValue(ordinals.Of(sd.Doc), out var c)) c.Ids.Add(sd.Doc);
        return result;
    }

    private static string IdOf(IndexSearcher searcher, int doc) => searcher.Doc(doc, IdOnly).Get(ArticleFields.Id) ?? "";

    /// <summary>
    /// Cluster keys as global ordinals over one index reader, for one search on one thread. An article without a key
    /// (none is written without one since schema 3) is a cluster of its own: its ordinal is negative and unique.
    /// </summary>
    /// <remarks>
    /// The ordinal map is built once per reader and shared: it is immutable. The doc values are the calling thread's
    /// own (a segment reader keeps them per thread): they read through a positioned input, so an instance shared by
    /// concurrent searches returned wrong ordinals (an IndexOutOfRangeException under load, seen as INTERNAL).
    /// </remarks>
    private sealed class ClusterOrdinals
    {
        /// <summary>
        /// Each segment's cluster ordinal per document, read once per segment (4 bytes a document) and shared by every
        /// search of it: reading the doc values hit by hit was about a fifth of a search at 1 M articles.
        /// </summary>
        private static readonly ConditionalWeakTable<object, int[]> OrdsBySegment = new();

        private readonly IList<AtomicReaderContext> _leaves;
        private readonly SortedDocValues?[] _keys;
        private readonly int[][] _ords;
        private readonly MultiDocValues.OrdinalMap? _map;

        public ClusterOrdinals(IndexReader reader, MultiDocValues.OrdinalMap? map)
        {
            _leaves = reader.Leaves;
            _keys = KeysOf(reader);
            _ords = _leaves.Select((l, i) => OrdsBySegment.GetValue(l.AtomicReader.CoreCacheKey, _ => OrdsOf(_keys[i], l.AtomicReader.MaxDoc))).ToArray();
            _map = map;
        }

        /// <summary>The ordinal of every document of a segment; empty when the segment has no cluster keys.</summary>
        private static int[] OrdsOf(SortedDocValues? keys, int maxDoc)
        {
            if (keys is null) return [];
            var ords = new int[maxDoc];
            for (var d = 0; d < maxDoc; d++) ords[d] = keys.GetOrd(d);
            return ords;
        }

        private static SortedDocValues?[] KeysOf(IndexReader reader) =>
            reader.Leaves.Select(l => l.AtomicReader.GetSortedDocValues(ArticleFields.Cluster)).ToArray();

        /// <summary>The map from each segment's cluster ordinals to global ones; the reader holds a segment at least.</summary>
        public static MultiDocValues.OrdinalMap MapOf(IndexReader reader) =>
            new MultiDocValues.OrdinalMap(reader.CoreCacheKey, KeysOf(reader).Select(k => (k ?? DocValues.EMPTY_SORTED).GetTermsEnum()).ToArray());

        public long ValueCount => _map?.ValueCount ?? 0;

        public long Of(int doc) => Of(ReaderUtil.SubIndex(doc, _leaves), doc);

        private long Of(int leaf, int doc)
        {
            var ords = _ords[leaf];
            var ord = ords.Length == 0 ? -1 : ords[doc - _leaves[leaf].DocBase];
            // One segment's ordinals are already global.
            return ord < 0 ? -1L - doc : _leaves.Count == 1 ? ord : _map!.GetGlobalOrd(leaf, ord);
        }

        /// <summary>The global ordinal of a leaf's <paramref name="segmentDoc"/>, for collectors.</summary>
        public long OfSegment(int leaf, int segmentDoc) => Of(leaf, _leaves[leaf].DocBase + segmentDoc);

        public BytesRef KeyOf(int doc)
        {
            var leaf = ReaderUtil.SubIndex(doc, _leaves);
            var key = new BytesRef();
            _keys[leaf]?.Get(doc - _leaves[leaf].DocBase, key);
            return BytesRef.DeepCopyOf(key);
        }
    }

    /// <summary>Counts the distinct clusters of all hits and marks those holding more than one.</summary>
    /// <remarks>Its two bit sets hold a bit per cluster (125 KB each at 1 M articles): they are rented, since new ones
    /// per search were fresh large-object memory whose page faults and zeroing showed in profiles.</remarks>
    private sealed class ClusterCounter(ClusterOrdinals ordinals) : ICollector, IDisposable
    {
        private readonly FixedBitSet _seen = PooledBits.Rent((int)Math.Max(1, ordinals.ValueCount));
        private readonly FixedBitSet _repeated = PooledBits.Rent((int)Math.Max(1, ordinals.ValueCount));
        private int _leaf;

        public long Clusters { get; private set; }
        public bool IsRepeated(long cluster) => cluster >= 0 && _repeated.Get((int)cluster);
        public bool AcceptsDocsOutOfOrder => true;
        public void SetScorer(Scorer scorer) { }
        public void SetNextReader(AtomicReaderContext context) => _leaf = context.Ord;

        public void Collect(int doc)
        {
            var cluster = ordinals.OfSegment(_leaf, doc);
            if (cluster < 0) Clusters++;
            else if (!_seen.GetAndSet((int)cluster)) Clusters++;
            else _repeated.Set((int)cluster);
        }

        public void Dispose()
        {
            PooledBits.Return(_seen);
            PooledBits.Return(_repeated);
        }
    }

    /// <summary>Hits per cluster, for the few clusters a filtered pass reaches.</summary>
    private sealed class ClusterTally(ClusterOrdinals ordinals) : ICollector
    {
        private readonly Dictionary<long, int> _counts = [];
        private int _leaf;

        public int CountOf(long cluster) => _counts.GetValueOrDefault(cluster);
        public bool AcceptsDocsOutOfOrder => true;
        public void SetScorer(Scorer scorer) { }
        public void SetNextReader(AtomicReaderContext context) => _leaf = context.Ord;
        public void Collect(int doc) => _counts[ordinals.OfSegment(_leaf, doc)] = _counts.GetValueOrDefault(ordinals.OfSegment(_leaf, doc)) + 1;
    }
}
