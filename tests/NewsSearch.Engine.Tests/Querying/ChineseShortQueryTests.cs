using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>
/// The window scorer's other tests use made-up terms on two fields. Here the query builder's own short queries run over
/// Chinese text indexed as the engine indexes it (words and character grams of the title and the body): each word is
/// a disjunction of its terms and grams, every word required, with the proximity clause beside them. The window
/// scorer must find exactly Lucene's documents with Lucene's scores, words found only in the title or only in the
/// body included.
/// </summary>
public class ChineseShortQueryTests
{
    private static readonly string[] TwoCharacterWords =
    [
        "中国", "经济", "发展", "北京", "记者", "会议", "合作", "国际", "市场", "企业", "技术", "创新", "政策", "建设",
        "文化", "教育", "人民", "政府", "社会", "城市", "农村", "环境", "安全", "科学", "体育", "比赛", "旅游", "交通",
    ];
    private static readonly string[] Others = ["习近平", "人工智能", "一带一路", "大", "新", "，", "。", "5G", "2026年"];
    private const string Order = "order";

    private SegmentedIndex _index = null!;
    private DirectoryReader _reader = null!;
    private IndexSearcher _searcher = null!;

    [OneTimeSetUp]
    public void IndexChineseArticles()
    {
        var random = new Random(20261127);
        // The first words are common, the last rare (probability ~ 1/(n+1)).
        string Word() => random.Next(8) == 0 ? Others[random.Next(Others.Length)]
            : TwoCharacterWords[(int)Math.Min(TwoCharacterWords.Length - 1, Math.Floor(Math.Exp(random.NextDouble() * Math.Log(TwoCharacterWords.Length + 1)) - 1))];
        string Text(int min, int max) => string.Concat(Enumerable.Range(0, random.Next(min, max)).Select(_ => Word()));

        _index = new SegmentedIndex(6_000, perSegment: 2_300, deleteEvery: 9, d =>
        {
            var (title, body) = (Text(1, 5), Text(3, 40));
            return new Document
            {
                new StringField(ArticleFields.Id, "d" + d, Field.Store.YES),
                new TextField(ArticleFields.Title, title, Field.Store.NO),
                new TextField(ArticleFields.Body, body, Field.Store.NO),
                new TextField(ArticleFields.TitleGrams, title, Field.Store.NO),
                new TextField(ArticleFields.BodyGrams, body, Field.Store.NO),
                new Int32Field(Order, d, Field.Store.NO),
            };
        }, new ChineseAnalyzer(UserDictionary.Of()), NewsSearchEngine.Similarity);
        _reader = _index.Reader;
        _searcher = new IndexSearcher(_reader) { Similarity = NewsSearchEngine.Similarity };
    }

    [OneTimeTearDown]
    public void Dispose() => _index.Dispose();

    private static IEnumerable<TestCaseData> Filters()
    {
        yield return new TestCaseData(null).SetArgDisplayNames("no filter");
        yield return new TestCaseData(NumericRangeFilter.NewInt32Range(Order, 1_000, 4_500, true, true)).SetArgDisplayNames("a run of documents");
    }

    private Dictionary<int, float> AllHits(Query query, Filter? filter)
    {
        var hits = new BagOfWordsQueryTests.AllHitsCollector();
        _searcher.Search(query, filter, hits);
        return hits.Scores;
    }

    [TestCaseSource(nameof(Filters))]
    public void ShortQueriesOfChineseWords_FindLucenesDocumentsWithLucenesScores(Filter? filter)
    {
        var random = new Random(5);
        var builder = new Engine.Querying.QueryBuilder(UserDictionary.Of());
        var (bodyOnly, titleOnly) = (0, 0);
        for (var i = 0; i < 60; i++)
        {
            var words = Enumerable.Range(0, 2 + random.Next(2))
                .Select(_ => random.Next(6) == 0 ? Others[random.Next(3)] : TwoCharacterWords[random.Next(TwoCharacterWords.Length)]).Distinct();
            var text = string.Join(' ', words);
            var query = builder.Build(UserQueryParser.Parse(text)).Query!;
            var wrapped = BagOfWordsQuery.TryWrap(query, filter, _searcher.Similarity);
            Assert.That(wrapped, Is.Not.Null, $"{text} is scored a window at a time");
            var expected = AllHits(query, filter);
            BagOfWordsQueryTests.AssertSameHits(expected, AllHits(wrapped!, null), $"query {i}: {text}");
            // The hits include documents holding a word only in the body, or only in the title.
            foreach (var word in text.Split(' '))
            {
                var inTitle = AllHits(new TermQuery(new Term(ArticleFields.TitleGrams, word)), filter).Keys.ToHashSet();
                var inBody = AllHits(new TermQuery(new Term(ArticleFields.BodyGrams, word)), filter).Keys.ToHashSet();
                bodyOnly += expected.Keys.Count(d => inBody.Contains(d) && !inTitle.Contains(d));
                titleOnly += expected.Keys.Count(d => inTitle.Contains(d) && !inBody.Contains(d));
            }
        }
        Assert.Multiple(() =>
        {
            Assert.That(bodyOnly, Is.GreaterThan(0), "some hits hold a word only in the body");
            Assert.That(titleOnly, Is.GreaterThan(0), "some hits hold a word only in the title");
        });
    }
}
