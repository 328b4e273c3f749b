using Lucene.Net.Index;
using Lucene.Net.Util;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Counts hits by source name from the per-segment ordinals of <see cref="ArticleFields.SourceFacet"/>: an array per
/// segment indexed by ordinal while collecting, turned into names once at the end of the segment, so a hit costs one
/// doc-values read and one increment.
/// </summary>
internal sealed class SourceTally
{
    public const string Field = "facets.source_top";

    private readonly int _top;
    private readonly Dictionary<string, long> _byName = new(StringComparer.Ordinal);
    private SortedDocValues? _segment;
    private int[] _segmentCounts = [];
    private long _total, _missing;

    /// <param name="top">How many sources to name, 1 to <see cref="FacetRequest.MaxSourceTop"/>.</param>
    public SourceTally(int top) => _top = top;

    public void SetNextReader(AtomicReader reader)
    {
        Flush();
        _segment = reader.GetSortedDocValues(ArticleFields.SourceFacet);
        _segmentCounts = _segment is null ? [] : new int[_segment.ValueCount];
    }

    public void Add(int doc)
    {
        _total++;
        var ord = _segment?.GetOrd(doc) ?? -1;
        if (ord < 0) _missing++;
        else _segmentCounts[ord]++;
    }

    /// <summary>The most frequent sources, then the hits of all others, then the hits without a source.</summary>
    public (IReadOnlyList<SourceCount> Top, long Other, long Missing) Result()
    {
        Flush();
        var top = _byName.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(_top).Select(kv => new SourceCount(kv.Key, kv.Value)).ToList();
        return (top, _total - _missing - top.Sum(s => s.Count), _missing);
    }

    private void Flush()
    {
        if (_segment is null) return;
        var name = new BytesRef();
        for (var ord = 0; ord < _segmentCounts.Length; ord++)
        {
            if (_segmentCounts[ord] == 0) continue;
            _segment.LookupOrd(ord, name);
            var key = name.Utf8ToString();
            _byName[key] = _byName.GetValueOrDefault(key) + _segmentCounts[ord];
        }
        _segment = null;
        _segmentCounts = [];
    }
}
