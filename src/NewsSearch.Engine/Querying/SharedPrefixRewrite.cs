using Lucene.Net.Index;
using Lucene.Net.Search;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Rewrites a prefix query (a single character's grams) as Lucene's constant-score rewrite would, to the same
/// constant score, but over a filter shared by every search for the same prefix and field, whose documents are kept
/// per segment: a common character's grams are thousands of terms and a large share of the archive's documents, and
/// enumerating them again for every search was most of a single character's cost at 1 M articles.
/// </summary>
/// <remarks>
/// Segments' document sets are kept by <see cref="CachingWrapperFilter"/> (deleted documents are applied on top) for
/// as long as the segment lives; the filters themselves are kept for the <paramref name="capacity"/> prefixes (a
/// prefix in one field each) used last (<see cref="SearchEngineOptions.PrefixFilterCacheSize"/>). At 1 M articles a
/// prefix's sets take about 125 KB.
/// </remarks>
internal sealed class SharedPrefixRewrite(int capacity) : MultiTermQuery.RewriteMethod
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Term, LinkedListNode<(Term Prefix, Filter Filter)>> _byPrefix = [];
    private readonly LinkedList<(Term Prefix, Filter Filter)> _recent = new();

    /// <summary>Prefixes whose filters are kept.</summary>
    public int Capacity => capacity;

    public override Query Rewrite(IndexReader reader, MultiTermQuery query) =>
        query is PrefixQuery prefix
            ? new ConstantScoreQuery(FilterOf(prefix.Prefix)) { Boost = query.Boost }
            : MultiTermQuery.CONSTANT_SCORE_AUTO_REWRITE_DEFAULT.Rewrite(reader, query);

    /// <summary>The shared filter of <paramref name="prefix"/>, made the first time it is asked for.</summary>
    internal Filter FilterOf(Term prefix)
    {
        lock (_lock)
        {
            if (_byPrefix.TryGetValue(prefix, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                return node.Value.Filter;
            }
            var added = _recent.AddFirst((prefix, new CachingWrapperFilter(new PrefixFilter(prefix))));
            _byPrefix[prefix] = added;
            if (_recent.Count > capacity)
            {
                _byPrefix.Remove(_recent.Last!.Value.Prefix);
                _recent.RemoveLast();
            }
            return added.Value.Filter;
        }
    }
}
