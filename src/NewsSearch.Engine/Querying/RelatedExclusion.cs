using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// The one place that says which articles Related never returns for a source article: the article itself and the
/// other members of its near-duplicate cluster (its reprints).
/// </summary>
internal static class RelatedExclusion
{
    /// <summary>Terms whose documents are left out of the articles related to <paramref name="source"/>, whose
    /// near-duplicate cluster key is <paramref name="clusterKey"/>.</summary>
    public static IReadOnlyList<Term> For(Article source, string clusterKey) =>
        [new Term(ArticleFields.Id, source.Id), new Term(ArticleFields.Cluster, clusterKey)];

    /// <summary>Accepts every document holding none of <paramref name="excluded"/>, in bit sets rented from
    /// <paramref name="rented"/> when given.</summary>
    public static Filter Filter(IReadOnlyList<Term> excluded, RentedBits? rented) => new TermDocsFilter(excluded, exclude: true, rented);
}
