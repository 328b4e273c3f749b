using Lucene.Net.Documents;
using Lucene.Net.Util;

namespace NewsSearch.Engine.Indexing;

/// <summary>What near-duplicate detection decided for one article: its cluster key and its signature (null when the
/// text is too short to compare).</summary>
public readonly record struct NearDuplicateMark(string ClusterKey, NearDuplicateSignature? Signature);

/// <summary>
/// Adds the near-duplicate fields to an article's document: the cluster key (<see cref="ArticleFields.Cluster"/>),
/// and, when the article has a signature, its band terms and the stored signature. Field instances are reused like
/// <see cref="ArticleFields.DocumentBuilder"/>'s: one builder per indexing thread.
/// </summary>
public sealed class NearDuplicateFields
{
    private readonly StringField _cluster = new(ArticleFields.Cluster, "", Field.Store.NO);
    private readonly SortedDocValuesField _clusterValue = new(ArticleFields.Cluster, new BytesRef());
    private readonly StringField[] _bands = Enumerable.Range(0, NearDuplicateSignature.BandCount)
        .Select(_ => new StringField(ArticleFields.DuplicateBands, "", Field.Store.NO)).ToArray();
    private readonly StoredField _signature = new(ArticleFields.DuplicateSignature, new BytesRef());

    public void AddTo(Document doc, NearDuplicateMark mark)
    {
        _cluster.SetStringValue(mark.ClusterKey);
        _clusterValue.SetBytesValue(new BytesRef(mark.ClusterKey));
        doc.Add(_cluster);
        doc.Add(_clusterValue);
        if (mark.Signature is not { } signature) return;
        for (var i = 0; i < _bands.Length; i++)
        {
            _bands[i].SetStringValue(NearDuplicateSignature.BandTerm(signature.Bands[i]));
            doc.Add(_bands[i]);
        }
        _signature.SetBytesValue(new BytesRef(signature.ToBytes()));
        doc.Add(_signature);
    }
}
