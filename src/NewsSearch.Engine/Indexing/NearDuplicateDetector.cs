using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine.Indexing;

/// <summary>
/// Gives each article of an indexing pass its near-duplicate cluster key, in the order the pass reads them: the key of
/// the most similar earlier article it is a near-duplicate of (<see cref="NearDuplicateSignature.IsNearDuplicateOf"/>),
/// or its own id when it matches none. "Earlier" means already in the index (the writer's near-real-time view, with
/// this pass's deletes applied) or read before it in this pass (kept in memory).
/// </summary>
/// <remarks>
/// <para>Candidates are the articles sharing at least one LSH band with it; the <see cref="MaxCandidates"/> sharing
/// the most bands are verified. Two dated articles published more than <see cref="MaxDaysApart"/> days apart are never
/// near-duplicates: a reprint follows its original within weeks, while a template text (a yearly ceremony, a
/// broadcast notice) comes back a year later with only names and dates changed. Clusters are never merged afterwards: an article that matches two clusters joins the
/// one it is most similar to.</para>
/// <para>A key is a label, not a pointer: when the article whose id is the key is removed or changed, the articles
/// that joined its cluster keep the key. An article read again (its file changed) is matched afresh.</para>
/// <para>Memory is bounded: after <see cref="MaxInFlight"/> articles the pass waits until the writer holds every
/// article handed to it (<paramref name="drain"/>), reopens its view, and forgets the articles it held in memory.</para>
/// </remarks>
/// <param name="drain">Returns once every document handed to the indexing threads is in the writer.</param>
public sealed class NearDuplicateDetector(IndexWriter writer, Action drain) : IDisposable
{
    /// <summary>Articles of a pass held in memory before the view is reopened (about 1 KB each).</summary>
    public const int DefaultMaxInFlight = 32_768;

    /// <summary><see cref="DefaultMaxInFlight"/>, lowered only by tests of the reopening path.</summary>
    internal static int MaxInFlight { get; set; } = DefaultMaxInFlight;
    /// <summary>Candidates verified per article: those sharing the most bands.</summary>
    public const int MaxCandidates = 16;
    /// <summary>Most days between the publication of two dated near-duplicates.</summary>
    public const int MaxDaysApart = 30;
    private const long MaxMillisApart = MaxDaysApart * 86_400_000L;

    private static readonly ISet<string> SignatureOnly = new HashSet<string> { ArticleFields.DuplicateSignature };

    private readonly List<(NearDuplicateSignature Signature, string Key, long Published)> _inFlight = [];
    // In-memory band index as chains of slots (in-flight index × BandCount + band): the last slot of each band hash,
    // and for each slot the previous one with the same hash (or -1). A list per hash took 2 KB per article.
    private readonly Dictionary<uint, int> _bandHeads = [];
    private readonly List<int> _bandNext = [];
    private DirectoryReader? _view = DirectoryReader.Open(writer, applyAllDeletes: true);
    private Leaf?[] _leaves = [];
    private bool _leavesRead;
    private Dictionary<object, LeafFilter> _filters = [];

    /// <summary>The cluster key of <paramref name="article"/>, which comes after every article given before it.</summary>
    public NearDuplicateMark Assign(Article article)
    {
        var signature = NearDuplicateSignature.Of(article.Title, article.Body);
        if (signature is null) return new NearDuplicateMark(article.Id, null);
        var published = article.Published?.ToUnixTimeMilliseconds() ?? Undated;
        var key = BestMatch(signature, published) ?? article.Id;
        if (_inFlight.Count >= MaxInFlight) Reopen();
        var index = _inFlight.Count;
        _inFlight.Add((signature, key, published));
        foreach (var band in signature.Bands)
        {
            _bandNext.Add(_bandHeads.TryGetValue(band, out var previous) ? previous : -1);
            _bandHeads[band] = _bandNext.Count - 1;
        }
        return new NearDuplicateMark(key, signature);
    }

    /// <summary>Publication time of an undated article, as <see cref="ArticleFields.NewestKey"/> stores it.</summary>
    private const long Undated = long.MinValue;

    private static bool FarApart(long a, long b) => a != Undated && b != Undated && Math.Abs(a - b) > MaxMillisApart;

    private string? BestMatch(NearDuplicateSignature signature, long published)
    {
        // Candidate → bands shared: in-memory articles as (-1 - index), indexed ones as their view doc id.
        var shared = new Dictionary<int, int>();
        foreach (var band in signature.Bands)
            for (var slot = _bandHeads.GetValueOrDefault(band, -1); slot >= 0; slot = _bandNext[slot])
            {
                var i = slot / NearDuplicateSignature.BandCount;
                shared[-1 - i] = shared.GetValueOrDefault(-1 - i) + 1;
            }
        foreach (var leaf in Leaves())
        {
            if (leaf is null) continue;
            var filter = leaf.Filter();
            foreach (var band in signature.Bands)
            {
                if (filter?.MayContain(band) == false) continue;
                if (!leaf.Terms.SeekExact(new BytesRef(NearDuplicateSignature.BandTerm(band)))) continue;
                leaf.Docs = leaf.Terms.Docs(leaf.Reader.LiveDocs, leaf.Docs, DocsFlags.NONE);
                for (var d = leaf.Docs.NextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = leaf.Docs.NextDoc())
                    shared[leaf.DocBase + d] = shared.GetValueOrDefault(leaf.DocBase + d) + 1;
            }
        }
        if (shared.Count == 0) return null;

        string? best = null;
        var bestScore = -1.0;
        foreach (var (candidate, _) in shared.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(MaxCandidates))
        {
            var (other, key, when) = candidate < 0 ? _inFlight[-1 - candidate] : Indexed(candidate);
            if (other is null || FarApart(published, when) || signature.NearDuplicateScore(other) is not { } score) continue;
            if (score > bestScore || (score == bestScore && string.CompareOrdinal(key, best) < 0))
            {
                best = key;
                bestScore = score;
            }
        }
        return best;
    }

    private (NearDuplicateSignature? Signature, string Key, long Published) Indexed(int doc)
    {
        var leaf = _leaves[ReaderUtil.SubIndex(doc, _view!.Leaves)]!;
        var local = doc - leaf.DocBase;
        var stored = leaf.Reader.Document(local, SignatureOnly).GetBinaryValue(ArticleFields.DuplicateSignature);
        var key = new BytesRef();
        leaf.Keys?.Get(local, key);
        var signature = stored is null ? null : NearDuplicateSignature.FromBytes(stored.Bytes.AsSpan(stored.Offset, stored.Length));
        return (signature, key.Utf8ToString(), leaf.Published?.Get(local) ?? Undated);
    }

    /// <summary>The view's leaves, aligned with <c>_view.Leaves</c>; null for a leaf without band terms.</summary>
    private Leaf?[] Leaves()
    {
        if (_leavesRead || _view is null) return _leaves;
        _leavesRead = true;
        var filters = new Dictionary<object, LeafFilter>();
        _leaves = _view.Leaves.Select(c =>
        {
            if (c.AtomicReader.GetTerms(ArticleFields.DuplicateBands) is not { } terms) return null;
            // A segment keeps its core across reopens, and with it the filter (and the seeks counted towards one).
            var filter = _filters.GetValueOrDefault(c.AtomicReader.CoreCacheKey) ?? new LeafFilter(terms);
            filters[c.AtomicReader.CoreCacheKey] = filter;
            return new Leaf(c.AtomicReader, c.DocBase, terms.GetEnumerator(), c.AtomicReader.GetSortedDocValues(ArticleFields.Cluster),
                c.AtomicReader.GetNumericDocValues(ArticleFields.NewestKey), filter);
        }).ToArray();
        _filters = filters;
        return _leaves;
    }

    private void Reopen()
    {
        drain();
        var next = DirectoryReader.OpenIfChanged(_view!, writer, applyAllDeletes: true);
        if (next is not null)
        {
            _view!.Dispose();
            _view = next;
        }
        _leavesRead = false;
        _leaves = [];
        _inFlight.Clear();
        _bandHeads.Clear();
        _bandNext.Clear();
    }

    public void Dispose()
    {
        _view?.Dispose();
        _view = null;
    }

    /// <summary>
    /// A segment's <see cref="BandFilter"/>, built once the seeks into the segment reach a sixteenth of its band terms:
    /// building reads every term once (reading the next term costs far less than seeking one), so a small pass over a
    /// large index never pays for it, and a large pass pays about what the seeks before it cost.
    /// </summary>
    private sealed class LeafFilter(Terms terms)
    {
        private long _seeks;
        private BandFilter? _filter;

        public BandFilter? Get()
        {
            if (_filter is not null) return _filter;
            var count = terms.Count;
            _seeks += NearDuplicateSignature.BandCount;
            if (count < 0 || _seeks < count / 16) return null;
            return _filter = BandFilter.Of(terms.GetEnumerator(), count);
        }
    }

    private sealed class Leaf(AtomicReader reader, int docBase, TermsEnum terms, SortedDocValues? keys, NumericDocValues? published,
        LeafFilter filter)
    {
        /// <summary>The segment's band filter, or null while seeking costs less than building one would.</summary>
        public BandFilter? Filter() => filter.Get();
        public NumericDocValues? Published { get; } = published;
        public AtomicReader Reader { get; } = reader;
        public int DocBase { get; } = docBase;
        public TermsEnum Terms { get; } = terms;
        public SortedDocValues? Keys { get; } = keys;
        public DocsEnum? Docs { get; set; }
    }
}
