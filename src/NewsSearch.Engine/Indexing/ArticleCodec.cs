using Lucene.Net.Codecs;
using Lucene.Net.Codecs.Compressing;
using Lucene.Net.Codecs.Lucene46;

namespace NewsSearch.Engine.Indexing;

/// <summary>
/// The codec the engine writes segments with: Lucene 4.6's format, with stored fields compressed in 4 KB chunks
/// instead of 16 KB.
/// <para>
/// Why: every hit of a page reads its article's stored fields, and Lucene decompresses a chunk from its start up to
/// the end of the wanted document, about half a chunk plus the article. A cctv article is 1–3 KB, so with 16 KB chunks
/// most of what was decompressed for a hit was its neighbours: a profile of the cctv reader mix in process put 21% of
/// search time in <c>CompressingStoredFieldsReader.VisitDocument</c>. Measured on the cctv reader mix in process,
/// five interleaved pairs, the same corpus indexed twice: mean per search 1.50–1.67 → 1.12–1.42 ms, 50 hits p50
/// 2.12–2.36 → 1.45–1.85 ms; stored fields 33.1 → 35.6 MB. 2 KB chunks measured the same as 4 KB and are larger.
/// </para>
/// <para>
/// Segments written before (codec <c>Lucene46</c>) are still read; merges and rebuilds rewrite them with this codec.
/// The codec's name is written into every segment, so it must resolve when an index is opened: <see cref="Register"/>
/// runs before the engine reads or writes one. An engine older than this type cannot read segments it wrote.
/// </para>
/// </summary>
[CodecName(CodecName)]
public sealed class ArticleCodec : FilterCodec
{
    public const string CodecName = "NewsSearchArticles46";
    /// <summary>Uncompressed bytes per stored-field chunk; an article larger than that is a chunk of its own.</summary>
    public const int StoredFieldChunkBytes = 4 * 1024;

    private readonly StoredFieldsFormat _storedFields =
        new CompressingStoredFieldsFormat("NewsSearchStoredFields", CompressionMode.FAST, StoredFieldChunkBytes);

    public ArticleCodec() : base(new Lucene46Codec()) { }

    public override StoredFieldsFormat StoredFieldsFormat => _storedFields;

    private static readonly Lazy<bool> Registration = new(() =>
    {
        Codec.SetCodecFactory(new Factory());
        return true;
    });

    /// <summary>Makes Lucene resolve this codec's name (once per process; Lucene's codec lookup is process-wide).</summary>
    public static void Register() => _ = Registration.Value;

    /// <summary>Lucene's own codecs and this one.</summary>
    private sealed class Factory : DefaultCodecFactory
    {
        protected override void Initialize()
        {
            base.Initialize();
            PutCodecType(typeof(ArticleCodec));
        }
    }
}
