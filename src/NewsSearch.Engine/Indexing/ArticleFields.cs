using Lucene.Net.Documents;
using Lucene.Net.Index;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine.Indexing;

/// <summary>The index schema: field names and how an <see cref="Article"/> becomes a document.</summary>
public static class ArticleFields
{
    public const string Id = "id";
    /// <summary>Seeds-relative path of the file the article came from: removing the file deletes by this term.</summary>
    public const string SourcePath = "src";
    public const string Title = "title";
    public const string Body = "body";
    public const string TitleGrams = Title + ChineseAnalyzer.GramsSuffix;
    public const string BodyGrams = Body + ChineseAnalyzer.GramsSuffix;
    /// <summary>Publication instant in Unix milliseconds: indexed for range filters, doc values for sorting.</summary>
    public const string Published = "published";
    /// <summary>Sort keys: the publication instant, or the value that puts undated articles last in each order.</summary>
    public const string NewestKey = "sort_newest", OldestKey = "sort_oldest";
    public const string DateSource = "date_source";
    public const string Url = "url";
    public const string Source = "source";
    /// <summary>Doc values of the source name (cut to <see cref="MaxSourceFacetChars"/>), counted by source facets.</summary>
    public const string SourceFacet = "source_facet";
    /// <summary>Doc values of the id, the tie-break of an export's (publication, id) order.</summary>
    public const string IdKey = "id_key";
    /// <summary>Longest source name kept for facets: doc values refuse values over 32,766 bytes, which would fail the pass.</summary>
    public const int MaxSourceFacetChars = 256;
    /// <summary>Near-duplicate cluster key: sorted doc values (collapsing) and an indexed term (filtering by cluster).
    /// See <see cref="NearDuplicateFields"/>.</summary>
    public const string Cluster = "dup_cluster";
    /// <summary>LSH band hashes of the MinHash signature (<see cref="NearDuplicateSignature"/>), one term each.</summary>
    public const string DuplicateBands = "dup_bands";
    /// <summary>The stored MinHash signature, read back to verify a candidate near-duplicate.</summary>
    public const string DuplicateSignature = "dup_sig";

    // Postings hold what queries read and nothing more. Words are matched one term at a time (sequences are matched on
    // the grams), so their postings keep frequencies for BM25 but no positions; grams keep positions for phrases.
    // Neither keeps offsets: snippets are marked in the stored text. (Schema 3 kept positions and offsets everywhere:
    // a third of the index, written at every indexing pass and read by no query.) The text itself is stored apart,
    // as UTF-16 (StoredUtf16; schema 4 and earlier stored it as Lucene's UTF-8 strings, which are still read).
    private static readonly FieldType WordText = new(TextField.TYPE_NOT_STORED)
    {
        IndexOptions = IndexOptions.DOCS_AND_FREQS,
    };
    private static readonly FieldType GramText = new(TextField.TYPE_NOT_STORED)
    {
        IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS,
    };

    static ArticleFields()
    {
        WordText.Freeze();
        GramText.Freeze();
    }

    /// <summary>
    /// Builds documents from one set of field instances, reused from article to article. Lucene keeps a token stream
    /// per field instance for untokenised and numeric fields, and building one costs attribute lookups by
    /// reflection: a new set per article was a few percent of indexing. Not thread-safe: one builder per indexing
    /// thread, and each document must be handed to the writer before the next is built.
    /// </summary>
    public sealed class DocumentBuilder
    {
        private readonly StringField _id = new(Id, "", Field.Store.YES);
        private readonly StringField _source = new(SourcePath, "", Field.Store.YES);
        private readonly Field _title = new(Title, "", WordText);
        private readonly Field _body = new(Body, "", WordText);
        private readonly StoredField _storedTitle = new(Title, new Lucene.Net.Util.BytesRef());
        private readonly StoredField _storedBody = new(Body, new Lucene.Net.Util.BytesRef());
        private readonly Field _titleGrams = new(TitleGrams, "", GramText);
        private readonly Field _bodyGrams = new(BodyGrams, "", GramText);
        private readonly StoredField _dateSource = new(DateSource, 0);
        private readonly Int64Field _published = new(Published, 0, Field.Store.YES);
        private readonly NumericDocValuesField _newest = new(NewestKey, 0);
        private readonly NumericDocValuesField _oldest = new(OldestKey, 0);
        private readonly StoredField _url = new(Url, "");
        private readonly StoredField _sourceName = new(Source, "");
        private readonly SortedDocValuesField _sourceFacet = new(SourceFacet, new Lucene.Net.Util.BytesRef());
        private readonly SortedDocValuesField _idKey = new(IdKey, new Lucene.Net.Util.BytesRef());
        // The stored title's and body's bytes, reused from article to article (the writer copies them as it adds one).
        private byte[] _titleBytes = [], _bodyBytes = [];

        public Document Build(Article a)
        {
            _id.SetStringValue(a.Id);
            _source.SetStringValue(a.SourcePath);
            _title.SetStringValue(a.Title);
            _body.SetStringValue(a.Body);
            _titleGrams.SetStringValue(a.Title);
            _bodyGrams.SetStringValue(a.Body);
            _dateSource.SetInt32Value((int)a.DateSource);
            _storedTitle.SetBytesValue(StoredUtf16.Encode(a.Title, ref _titleBytes));
            _storedBody.SetBytesValue(StoredUtf16.Encode(a.Body, ref _bodyBytes));
            var doc = new Document { _id, _source, _title, _body, _storedTitle, _storedBody, _titleGrams, _bodyGrams, _dateSource };
            _idKey.SetBytesValue(new Lucene.Net.Util.BytesRef(a.Id));
            doc.Add(_idKey);
            var ms = a.Published?.ToUnixTimeMilliseconds();
            if (ms is not null)
            {
                _published.SetInt64Value(ms.Value);
                doc.Add(_published);
            }
            _newest.SetInt64Value(ms ?? long.MinValue);
            _oldest.SetInt64Value(ms ?? long.MaxValue);
            doc.Add(_newest);
            doc.Add(_oldest);
            if (a.Url is not null)
            {
                _url.SetStringValue(a.Url);
                doc.Add(_url);
            }
            if (a.Source is not null)
            {
                _sourceName.SetStringValue(a.Source);
                doc.Add(_sourceName);
                _sourceFacet.SetBytesValue(new Lucene.Net.Util.BytesRef(FacetSourceName(a.Source)));
                doc.Add(_sourceFacet);
            }
            return doc;
        }
    }

    /// <summary>The source name as facets count it: at most <see cref="MaxSourceFacetChars"/> characters, never half a pair.</summary>
    public static string FacetSourceName(string source) =>
        source.Length <= MaxSourceFacetChars ? source
        : source[..(char.IsHighSurrogate(source[MaxSourceFacetChars - 1]) ? MaxSourceFacetChars - 1 : MaxSourceFacetChars)];

    /// <summary>The article stored as document <paramref name="doc"/> of <paramref name="reader"/>.</summary>
    public static Article ReadArticle(IndexReader reader, int doc)
    {
        var visitor = new ArticleVisitor(titleOnly: false);
        reader.Document(doc, visitor);
        return visitor.ToArticle();
    }

    /// <summary>The title of document <paramref name="doc"/> of <paramref name="reader"/>; nothing else is read.</summary>
    public static string ReadTitle(IndexReader reader, int doc)
    {
        var visitor = new ArticleVisitor(titleOnly: true);
        reader.Document(doc, visitor);
        return visitor.TitleRead ?? "";
    }

    /// <summary>
    /// Reads an article's stored fields straight into an <see cref="Article"/>: no <see cref="Document"/> and no field
    /// object per value, and the near-duplicate signature is not read. Where a field holds several values the first
    /// counts. Title and body are read as stored now (UTF-16 bytes) or before schema 5 (strings).
    /// </summary>
    private sealed class ArticleVisitor(bool titleOnly) : StoredFieldVisitor
    {
        private string? _id, _title, _body, _url, _source, _sourcePath;
        private long? _published;
        private int? _dateSource;

        public string? TitleRead => _title;

        public override Status NeedsField(FieldInfo fieldInfo)
        {
            if (titleOnly) return _title is not null ? Status.STOP : fieldInfo.Name == Title ? Status.YES : Status.NO;
            return fieldInfo.Name switch
            {
                Id or Title or Body or Url or Source or SourcePath or Published or DateSource => Status.YES,
                _ => Status.NO,
            };
        }

        public override void BinaryField(FieldInfo fieldInfo, byte[] value)
        {
            switch (fieldInfo.Name)
            {
                case Title: _title ??= StoredUtf16.Decode(value); break;
                case Body: _body ??= StoredUtf16.Decode(value); break;
            }
        }

        public override void StringField(FieldInfo fieldInfo, string value)
        {
            switch (fieldInfo.Name)
            {
                case Id: _id ??= value; break;
                case Title: _title ??= value; break;
                case Body: _body ??= value; break;
                case Url: _url ??= value; break;
                case Source: _source ??= value; break;
                case SourcePath: _sourcePath ??= value; break;
            }
        }

        public override void Int64Field(FieldInfo fieldInfo, long value)
        {
            if (fieldInfo.Name == Published) _published ??= value;
        }

        public override void Int32Field(FieldInfo fieldInfo, int value)
        {
            if (fieldInfo.Name == DateSource) _dateSource ??= value;
        }

        public Article ToArticle() => new(
            _id!,
            _title ?? "",
            _body ?? "",
            _published is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            (Ingestion.DateSource)(_dateSource ?? 0),
            _url,
            _source,
            _sourcePath ?? "");
    }
}
