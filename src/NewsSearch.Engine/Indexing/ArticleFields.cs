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

    // Offsets in the postings let snippets be built without re-analysing stored text.
    private static readonly FieldType StoredText = new(TextField.TYPE_STORED)
    {
        IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS,
    };
    private static readonly FieldType GramText = new(TextField.TYPE_NOT_STORED)
    {
        IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS,
    };

    static ArticleFields()
    {
        StoredText.Freeze();
        GramText.Freeze();
    }

    public static Document ToDocument(Article a)
    {
        var doc = new Document
        {
            new StringField(Id, a.Id, Field.Store.YES),
            new StringField(SourcePath, a.SourcePath, Field.Store.YES),
            new Field(Title, a.Title, StoredText),
            new Field(Body, a.Body, StoredText),
            new Field(TitleGrams, a.Title, GramText),
            new Field(BodyGrams, a.Body, GramText),
            new StoredField(DateSource, (int)a.DateSource),
        };
        var ms = a.Published?.ToUnixTimeMilliseconds();
        if (ms is not null) doc.Add(new Int64Field(Published, ms.Value, Field.Store.YES));
        doc.Add(new NumericDocValuesField(NewestKey, ms ?? long.MinValue));
        doc.Add(new NumericDocValuesField(OldestKey, ms ?? long.MaxValue));
        if (a.Url is not null) doc.Add(new StoredField(Url, a.Url));
        if (a.Source is not null) doc.Add(new StoredField(Source, a.Source));
        return doc;
    }

    public static Article ToArticle(Document d) => new(
        d.Get(Id),
        d.Get(Title) ?? "",
        d.Get(Body) ?? "",
        d.GetField(Published)?.GetInt64Value() is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
        (Ingestion.DateSource)(d.GetField(DateSource)?.GetInt32Value() ?? 0),
        d.Get(Url),
        d.Get(Source),
        d.Get(SourcePath) ?? "");
}
