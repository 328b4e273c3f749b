using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine;

/// <summary>A near-duplicate cluster: its key and the ids of the articles in it.</summary>
public sealed record NearDuplicateCluster(string Key, IReadOnlyList<string> Ids);

public sealed partial class NewsSearchEngine
{
    /// <summary>
    /// The near-duplicate cluster key of article <paramref name="id"/>: the id of the earliest indexed article it
    /// reprints (or that article's own key), else its own id. The key stays when that article is later removed.
    /// </summary>
    /// <exception cref="ArticleNotFoundException">No article has that id.</exception>
    public string ClusterKeyOf(string id)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new InvalidRequestException("id", "id is empty");
        using var lease = Borrow();
        var top = lease.Searcher.Search(new TermQuery(new Term(ArticleFields.Id, id)), 1);
        if (top.TotalHits == 0) throw new ArticleNotFoundException(id);
        var doc = top.ScoreDocs[0].Doc;
        var leaves = lease.Searcher.IndexReader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        var key = new BytesRef();
        leaf.AtomicReader.GetSortedDocValues(ArticleFields.Cluster)?.Get(doc - leaf.DocBase, key);
        return key.Length == 0 ? id : key.Utf8ToString();
    }

    /// <summary>Matches every article of the cluster <paramref name="clusterKey"/> (<see cref="ClusterKeyOf"/>): add it
    /// as a MUST_NOT clause to leave an article's near-duplicates out of a search.</summary>
    public static Query ClusterQuery(string clusterKey) => new TermQuery(new Term(ArticleFields.Cluster, clusterKey));

    /// <summary>Every near-duplicate cluster of at least <paramref name="minSize"/> articles in the live index, largest
    /// first. Reads every article's id: meant for reports, not for requests.</summary>
    public IReadOnlyList<NearDuplicateCluster> NearDuplicateClusters(int minSize = 2)
    {
        using var lease = Borrow();
        var ids = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var idOnly = new HashSet<string> { ArticleFields.Id };
        foreach (var leaf in lease.Searcher.IndexReader.Leaves)
        {
            var reader = leaf.AtomicReader;
            var keys = reader.GetSortedDocValues(ArticleFields.Cluster);
            var live = reader.LiveDocs;
            var key = new BytesRef();
            for (var d = 0; d < reader.MaxDoc; d++)
            {
                if (live is not null && !live.Get(d)) continue;
                var id = reader.Document(d, idOnly).Get(ArticleFields.Id);
                keys?.Get(d, key);
                var k = keys is null || key.Length == 0 ? id : key.Utf8ToString();
                if (!ids.TryGetValue(k, out var list)) ids[k] = list = [];
                list.Add(id);
            }
        }
        return ids.Where(kv => kv.Value.Count >= minSize)
            .OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new NearDuplicateCluster(kv.Key, kv.Value.Order(StringComparer.Ordinal).ToList())).ToList();
    }
}
