using System.Security.Cryptography;
using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>Page tokens are the service's own: tampered, forged or overflowing tokens are refused as such.</summary>
public class PageTokenTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private TestEngine _t = null!;

    [OneTimeSetUp]
    public void IndexThirtyArticles()
    {
        _t = new TestEngine(o => o.PageTokenKey = Convert.ToBase64String(Key));
        _t.AddSeed("rail.jsonl", Jsonl.Lines(Enumerable.Range(1, 30)
            .Select(i => Jsonl.Record($"n{i:00}", $"第{i}篇高铁报道", "高铁运营里程增长。", "2025-01-01")).ToArray()));
    }

    [OneTimeTearDown]
    public void TearDown() => _t.Dispose();

    private static readonly SearchRequest Rail = new("高铁", PageSize: 10);

    private InvalidRequestException Refused(string token) =>
        Assert.Throws<InvalidRequestException>(() => _t.Engine.Search(Rail with { PageToken = token }))!;

    [Test]
    public void IssuedToken_OpensTheNextPage()
    {
        var token = _t.Engine.Search(Rail).NextPageToken;
        var second = _t.Engine.Search(Rail with { PageToken = token });
        Assert.That(second.Hits, Has.Count.EqualTo(10));
    }

    [Test]
    public void TokenWithOneCharacterChanged_IsNotATokenThisServiceIssued()
    {
        var token = _t.Engine.Search(Rail).NextPageToken;
        foreach (var i in new[] { 0, 3, token.Length / 2, token.Length - 1 })
        {
            var tampered = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            var e = Refused(tampered);
            Assert.That((e.Field, e.Message), Is.EqualTo(("page_token", PageTokens.NotIssued)), $"changed at {i}");
        }
    }

    [Test]
    public void TokenSignedWithAnotherKey_IsNotATokenThisServiceIssued()
    {
        var forged = new PageTokens(RandomNumberGenerator.GetBytes(32)).Encode(20, Rail);
        Assert.That(Refused(forged).Message, Is.EqualTo(PageTokens.NotIssued));
    }

    [TestCase(int.MaxValue)]
    [TestCase(int.MaxValue - 5)]
    [TestCase(10_000)]
    public void GenuineTokenWithAnOffsetPastTheWindow_IsRefusedWithoutWrappingRound(int offset)
    {
        var token = new PageTokens(Key).Encode(offset, Rail);
        var e = Refused(token);
        Assert.That((e.Field, e.Message), Is.EqualTo(("page_token", "pages end at hit 10000; narrow the query or the date range")));
    }

    [Test]
    public void GenuineTokenOfAnotherQuery_SaysItBelongsToADifferentQuery()
    {
        var token = _t.Engine.Search(Rail).NextPageToken;
        var e = Assert.Throws<InvalidRequestException>(() => _t.Engine.Search(new SearchRequest("报道", PageSize: 10, PageToken: token)));
        Assert.That(e!.Message, Does.Contain("different query"));
    }

    [TestCase("A")]
    [TestCase("====")]
    [TestCase("not base64 at all!")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Garbage_IsNotATokenThisServiceIssued(string token)
    {
        Assert.That(Refused(token).Message, Is.EqualTo(PageTokens.NotIssued));
    }

    [Test]
    public void HugeToken_IsRefusedWithoutDecodingIt()
    {
        Assert.That(Refused(new string('A', 1_000_000)).Message, Is.EqualTo(PageTokens.NotIssued));
    }
}

/// <summary>Without a configured key, the engine makes one in its index folder and keeps it.</summary>
public class PageTokenKeyFileTests
{
    [Test]
    public void WithoutAConfiguredKey_TokensSurviveARestart()
    {
        using var t = new TestEngine();
        t.AddSeed("a.jsonl", Jsonl.Lines(Enumerable.Range(1, 15).Select(i => Jsonl.Record($"a{i}", "高铁", "高铁", "2025-01-01")).ToArray()));
        var token = t.Engine.Search(new SearchRequest("高铁", PageSize: 10)).NextPageToken;
        t.Restart();
        Assert.That(t.Engine.Search(new SearchRequest("高铁", PageSize: 10, PageToken: token)).Hits, Has.Count.EqualTo(5));
    }

    [Test]
    public void WithoutAConfiguredKey_TheKeyFileIsReadableByTheOwnerOnly()
    {
        using var t = new TestEngine();
        var file = Path.Combine(t.Options.IndexPath, PageTokens.KeyFileName);
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(file), Is.True);
            if (!OperatingSystem.IsWindows())
                Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        });
    }

    [Test]
    public void TwoIndexFolders_RefuseEachOthersTokens()
    {
        using var a = new TestEngine();
        using var b = new TestEngine();
        var records = Jsonl.Lines(Enumerable.Range(1, 15).Select(i => Jsonl.Record($"a{i}", "高铁", "高铁", "2025-01-01")).ToArray());
        a.AddSeed("a.jsonl", records);
        b.AddSeed("a.jsonl", records);
        var token = a.Engine.Search(new SearchRequest("高铁", PageSize: 10)).NextPageToken;
        var e = Assert.Throws<InvalidRequestException>(() => b.Engine.Search(new SearchRequest("高铁", PageSize: 10, PageToken: token)));
        Assert.That(e!.Message, Is.EqualTo(PageTokens.NotIssued));
    }
}
