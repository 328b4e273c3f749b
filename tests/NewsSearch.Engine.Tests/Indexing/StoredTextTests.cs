using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine.Tests.Indexing;

/// <summary>
/// An article's title and body are stored as UTF-16 (<see cref="StoredUtf16"/>) and read back exactly, every code unit
/// as it was; articles an earlier schema stored as strings still read back while the index is read again.
/// </summary>
public class StoredTextTests
{
    [TestCase("")]
    [TestCase("国产大飞机C919完成首次商业飞行")]
    [TestCase("表情😀与𠀀扩展汉字")]
    [TestCase("孤立的\ud800代理与\udc00尾")]
    [TestCase("ASCII, digits 2026 and punctuation：“引号”。")]
    public void Text_ReadsBackAsItWasWritten_CodeUnitForCodeUnit(string text)
    {
        var buffer = Array.Empty<byte>();
        var stored = StoredUtf16.Encode(text, ref buffer);

        Assert.Multiple(() =>
        {
            Assert.That(stored.Length, Is.EqualTo(text.Length * 2), "two bytes a code unit");
            Assert.That(StoredUtf16.Decode(stored.Bytes.AsSpan(stored.Offset, stored.Length).ToArray()), Is.EqualTo(text));
        });
    }

    [Test]
    public void StoredBytesOfOddLength_AreReportedAsACorruptIndex_NotReadAsText()
    {
        Assert.That(() => StoredUtf16.Decode([0x2D, 0x4E, 0x3B]), Throws.TypeOf<CorruptIndexException>());
    }

    [Test]
    public void AnArticleStoredByTheBuilder_ReadsBackWhole_AndItsTitleAlone()
    {
        var article = new Article("a1", "嫦娥六号成功着陆月背", "嫦娥六号着陆器和上升器组合体😀成功着陆在月球背面", DateTimeOffset.FromUnixTimeMilliseconds(1_717_286_400_000),
            DateSource.Record, "https://example.org/a1", "新闻联播", "a.jsonl");
        using var directory = Index(new ArticleFields.DocumentBuilder().Build(article));
        using var reader = DirectoryReader.Open(directory);

        Assert.Multiple(() =>
        {
            Assert.That(ArticleFields.ReadArticle(reader, 0), Is.EqualTo(article));
            Assert.That(ArticleFields.ReadTitle(reader, 0), Is.EqualTo(article.Title));
        });
    }

    [Test]
    public void AnArticleAnEarlierSchemaStoredAsStrings_StillReadsBackWhole()
    {
        var earlier = new Document
        {
            new StringField(ArticleFields.Id, "old1", Field.Store.YES),
            new StringField(ArticleFields.SourcePath, "old.jsonl", Field.Store.YES),
            new TextField(ArticleFields.Title, "大熊猫", Field.Store.YES),
            new TextField(ArticleFields.Body, "大熊猫基地迎来新生幼崽", Field.Store.YES),
        };
        using var directory = Index(earlier);
        using var reader = DirectoryReader.Open(directory);
        var article = ArticleFields.ReadArticle(reader, 0);

        Assert.Multiple(() =>
        {
            Assert.That((article.Id, article.Title, article.Body), Is.EqualTo(("old1", "大熊猫", "大熊猫基地迎来新生幼崽")));
            Assert.That(ArticleFields.ReadTitle(reader, 0), Is.EqualTo("大熊猫"));
        });
    }

    private static RAMDirectory Index(Document document)
    {
        var directory = new RAMDirectory();
        using var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new ChineseAnalyzer(UserDictionary.Of())));
        writer.AddDocument(document);
        writer.Commit();
        return directory;
    }
}
