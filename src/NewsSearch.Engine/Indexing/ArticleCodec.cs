using Lucene.Net.Codecs;
using Lucene.Net.Codecs.Compressing;
using Lucene.Net.Codecs.Lucene46;

namespace NewsSearch.Engine.Indexing;

/// <summary>
/// The codec the engine writes segments with: Lucene 4.6's format, with stored fields kept as they are (not
/// compressed) in 4 KB chunks, so that a hit's article is read alone.
/// <para>
/// Why: every hit of a page reads its article's stored fields. Compressed, Lucene decompresses a chunk from its start
/// up to the end of the wanted document, its neighbours included, and LZ4 saves little on Chinese text in UTF-8
/// (cctv's chunks compress to about 71%). Stored as they are, a hit seeks to its document and copies its bytes.
/// Measured on cctv in process (two alternated pairs, the same corpus indexed with each codec): an article read
/// 15.6 / 14.7 → 9.8 / 10.3 µs; the reader mix's mean 0.66 / 0.63 → 0.58 / 0.60 ms, 50 hits' p50 0.82 / 0.81 → 0.61 /
/// 0.61 ms; stored fields 35.6 → 46.7 MB, and back to 35.2 MB once titles and bodies were stored as UTF-16
/// (<see cref="StoredUtf16"/>, schema 5).
/// </para>
/// <para>
/// Segments written before are still read: with Lucene's own codec (<c>Lucene46</c>) or with
/// <see cref="CompressedArticleCodec"/>. Merges and rebuilds rewrite them with this codec. The codec's name is written
/// into every segment, so it must resolve when an index is opened: <see cref="Register"/> runs before the engine reads
/// or writes one. An engine older than this type cannot read segments it wrote.
/// </para>
/// </summary>
[CodecName(CodecName)]
public sealed class ArticleCodec : FilterCodec
{
    public const string CodecName = "NewsSearchArticlesAsIs";
    /// <summary>Stored bytes per chunk (the unit the stored-fields index points at); a larger article is a chunk of its own.</summary>
    public const int StoredFieldChunkBytes = 4 * 1024;

    private readonly StoredFieldsFormat _storedFields =
        new CompressingStoredFieldsFormat("NewsSearchStoredFieldsAsIs", StoredAsIs.Instance, StoredFieldChunkBytes);

    public ArticleCodec() : base(new Lucene46Codec()) { }

    public override StoredFieldsFormat StoredFieldsFormat => _storedFields;

    private static readonly Lazy<bool> Registration = new(() =>
    {
        Codec.SetCodecFactory(new Factory());
        return true;
    });

    /// <summary>Makes Lucene resolve this codec's name and the earlier engine codec's (once per process; Lucene's codec
    /// lookup is process-wide).</summary>
    public static void Register() => _ = Registration.Value;

    /// <summary>Lucene's own codecs and the engine's.</summary>
    private sealed class Factory : DefaultCodecFactory
    {
        protected override void Initialize()
        {
            base.Initialize();
            PutCodecType(typeof(ArticleCodec));
            PutCodecType(typeof(CompressedArticleCodec));
        }
    }
}

/// <summary>
/// The codec engines before <see cref="ArticleCodec"/> wrote segments with: Lucene 4.6's format with stored fields
/// compressed (LZ4) in 4 KB chunks. Kept so that their indexes are still served; nothing is written with it.
/// </summary>
[CodecName(CodecName)]
public sealed class CompressedArticleCodec : FilterCodec
{
    public const string CodecName = "NewsSearchArticles46";

    private readonly StoredFieldsFormat _storedFields =
        new CompressingStoredFieldsFormat("NewsSearchStoredFields", CompressionMode.FAST, ArticleCodec.StoredFieldChunkBytes);

    public CompressedArticleCodec() : base(new Lucene46Codec()) { }

    public override StoredFieldsFormat StoredFieldsFormat => _storedFields;
}
