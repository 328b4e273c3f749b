using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

public class QuerySyntaxTests
{
    private TestEngine _t = null!;

    [OneTimeSetUp]
    public void IndexPhoneNews()
    {
        _t = new TestEngine();
        _t.AddSeed("phones.jsonl", Jsonl.Lines(
            Jsonl.Record("huawei", "华为发布新款手机", "华为今天发布新款折叠屏手机。"),
            Jsonl.Record("xiaomi", "小米手机销量增长", "小米手机第三季度销量同比增长。"),
            Jsonl.Record("apple", "苹果手机降价", "苹果手机在中国市场降价促销。"),
            Jsonl.Record("huawei-car", "华为智能汽车", "华为与车企合作推出智能汽车。")));
    }

    [OneTimeTearDown]
    public void TearDown() => _t.Dispose();

    private string[] Ids(string query) => _t.Engine.Search(new SearchRequest(query)).Hits.Select(h => h.Id).Order().ToArray();

    [Test]
    public void Or_FindsArticlesWithEitherAlternative()
    {
        Assert.That(Ids("(华为 OR 小米) 手机"), Is.EqualTo(new[] { "huawei", "xiaomi" }));
    }

    [Test]
    public void Excluded_RemovesArticlesContainingTheWord()
    {
        Assert.That(Ids("手机 -苹果"), Is.EqualTo(new[] { "huawei", "xiaomi" }));
    }

    [Test]
    public void Required_KeepsOnlyArticlesContainingTheWord()
    {
        Assert.That(Ids("+华为"), Is.EqualTo(new[] { "huawei", "huawei-car" }));
    }

    [Test]
    public void OnlyExcluded_ListsEverythingElse()
    {
        Assert.That(Ids("-手机"), Is.EqualTo(new[] { "huawei-car" }));
    }
}
