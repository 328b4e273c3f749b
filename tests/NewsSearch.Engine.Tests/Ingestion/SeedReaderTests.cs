using System.IO.Compression;
using System.Text;
using NewsSearch.Engine.Ingestion;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Ingestion;

public class SeedReaderTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private TempFolder _dir = null!;
    private SeedReader _reader = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempFolder();
        _reader = new SeedReader(Shanghai);
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private List<SeedItem> Read(string name) => _reader.Read(_dir.Combine(name), name).ToList();

    [Test]
    public void Read_JsonLinesWithBadLines_IndexesTheGoodOnesAndNamesEachBadLine()
    {
        _dir.Write("export.jsonl", string.Join('\n',
            Jsonl.Record("a1", "第一条", "正文一", "2025-07-01"),
            "{ this is not json",
            "[1, 2, 3]",
            Jsonl.Record("a2", "第二条", "正文二", "not-a-date"),
            "{\"id\": \"a3\"}",
            "",
            Jsonl.Record("a4", "第四条", "正文四", "2025-07-02T10:00:00+08:00")));

        var items = Read("export.jsonl");

        Assert.Multiple(() =>
        {
            Assert.That(items.Where(i => i.Article is not null).Select(i => i.Article!.Id), Is.EqualTo(new[] { "a1", "a4" }));
            var skipped = items.Where(i => i.Skipped is not null).Select(i => i.Skipped!).ToList();
            Assert.That(skipped.Select(s => s.Line), Is.EqualTo(new int?[] { 2, 3, 4, 5 }));
            Assert.That(skipped[0].Reason, Does.StartWith("invalid JSON: unexpected text at byte "));
            Assert.That(skipped[0].Reason, Does.Not.Contain("BytePositionInLine"), "the reason is served by GetStats: no runtime wording");
            Assert.That(skipped[1].Reason, Does.Contain("not a JSON object"));
            Assert.That(skipped[2].Reason, Does.Contain("not-a-date"));
            Assert.That(skipped[3].Reason, Does.Contain("neither title nor body"));
        });
    }

    [Test]
    public void Read_JsonLinesDates_TakesDaysInTheServiceZoneAndInstantsAsGiven()
    {
        _dir.Write("d.jsonl", Jsonl.Lines(
            Jsonl.Record("d1", "t", "b", "2025-07-01"),
            "{\"id\":\"d2\",\"title\":\"t\",\"body\":\"b\",\"published\":\"2025-07-01T23:30:00Z\"}"));
        var items = Read("d.jsonl");
        Assert.Multiple(() =>
        {
            Assert.That(items[0].Article!.Published, Is.EqualTo(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.FromHours(8))));
            Assert.That(items[1].Article!.Published, Is.EqualTo(new DateTimeOffset(2025, 7, 1, 23, 30, 0, TimeSpan.Zero)));
            Assert.That(items[1].Article!.DateSource, Is.EqualTo(DateSource.Record));
        });
    }

    [Test]
    public void Read_RecordsDatedAtTheEndsOfTheCalendar_AreReadWithTheNearestRepresentableInstant()
    {
        _dir.Write("old.jsonl", Jsonl.Lines(
            Jsonl.Record("first", "t", "b", "0001-01-01"),
            Jsonl.Record("last", "t", "b", "9999-12-31T23:59:59-08:00")));
        var items = Read("old.jsonl");
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.Skipped), Is.All.Null);
            Assert.That(items[0].Article!.Published, Is.EqualTo(DateTimeOffset.MinValue));
            Assert.That(items[1].Article!.Published, Is.EqualTo(DateTimeOffset.MaxValue));
        });
    }

    [Test]
    public void Read_GzipJsonLines_ReadsEveryRecord()
    {
        using (var gz = new GZipStream(File.Create(_dir.Combine("e.jsonl.gz")), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes(Jsonl.Lines(Jsonl.Record("g1", "甲", "乙"), Jsonl.Record("g2", "丙", "丁"))));
        Assert.That(Read("e.jsonl.gz").Select(i => i.Article?.Id), Is.EqualTo(new[] { "g1", "g2" }));
    }

    [Test]
    public void Read_Utf16File_SaysSoOnEachLine()
    {
        File.WriteAllText(_dir.Combine("wide.jsonl"), Jsonl.Lines(Jsonl.Record("w1", "甲", "乙"), Jsonl.Record("w2", "丙", "丁")), Encoding.Unicode);
        var items = Read("wide.jsonl");
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.Skipped?.Reason), Has.All.Contain("looks like UTF-16"));
            Assert.That(items.Select(i => SkipKinds.Of(i.Skipped!.Reason)), Has.All.EqualTo(SkipKinds.Undecodable));
        });
    }

    [Test]
    public void Read_JsonNestedTooDeep_SaysSo()
    {
        _dir.Write("deep.jsonl", "{\"title\":\"甲\",\"x\":" + string.Concat(Enumerable.Repeat("[", 5_000)) + string.Concat(Enumerable.Repeat("]", 5_000)) + "}\n");
        Assert.That(Read("deep.jsonl").Single().Skipped?.Reason, Does.Contain("nested deeper than 64 levels"));
    }

    [Test]
    public void Read_UnderAPathTooLongForAnId_SkipsRecordsWithoutAnId_AndKeepsThoseWithOne()
    {
        var deep = string.Join('/', Enumerable.Repeat(new string('深', 200), 3)) + "/a.jsonl"; // a 606-character id
        var file = _dir.Write("deep.jsonl", Jsonl.Lines(Jsonl.Record("own-id", "甲", "乙"), "{\"title\":\"丙\",\"body\":\"丁\"}"));

        var items = _reader.Read(file, deep).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(items[0].Article?.Id, Is.EqualTo("own-id"));
            Assert.That(items[1].Skipped?.Reason, Does.Contain("longer than 512 characters"));
            Assert.That(items[1].Skipped?.Line, Is.EqualTo(2));
            Assert.That(SkipKinds.Of(items[1].Skipped!.Reason), Is.EqualTo(SkipKinds.InvalidRecord));
        });
    }

    [Test]
    public void Read_RecordWithoutId_GetsAStableIdFromItsPathAndLine()
    {
        _dir.Write("sub/x.jsonl", "{\"title\":\"无编号\",\"body\":\"正文\"}\n");
        var first = _reader.Read(_dir.Combine("sub/x.jsonl"), "sub/x.jsonl").Single().Article!.Id;
        var again = _reader.Read(_dir.Combine("sub/x.jsonl"), "sub/x.jsonl").Single().Article!.Id;
        Assert.That(first, Is.EqualTo("sub/x#1").And.EqualTo(again));
    }

    [Test]
    public void Read_GbkEncodedPage_DecodesTheChineseText()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding("GBK");
        File.WriteAllBytes(_dir.Combine("gbk.txt"), gbk.GetBytes("国产大飞机完成首飞\n中国商飞公司今天宣布,国产大飞机顺利完成首次商业飞行。"));

        var article = Read("gbk.txt").Single().Article!;

        Assert.Multiple(() =>
        {
            Assert.That(article.Title, Is.EqualTo("国产大飞机完成首飞"));
            Assert.That(article.Body, Is.EqualTo("中国商飞公司今天宣布,国产大飞机顺利完成首次商业飞行。"));
        });
    }

    [Test]
    public void Read_Utf8PageWithBom_DropsTheBom()
    {
        File.WriteAllBytes(_dir.Combine("bom.txt"), [.. new byte[] { 0xEF, 0xBB, 0xBF }, .. Encoding.UTF8.GetBytes("标题\n正文")]);
        Assert.That(Read("bom.txt").Single().Article!.Title, Is.EqualTo("标题"));
    }

    [Test]
    public void Read_UndecodableBytes_IsSkippedWithAReason()
    {
        File.WriteAllBytes(_dir.Combine("bad.txt"), [0xFF, 0xFF, 0xFF, 0x81, 0x20, 0xFE, 0xFF]);
        var item = Read("bad.txt").Single();
        Assert.That(item.Skipped?.Reason, Does.Contain("neither valid UTF-8 nor valid GB18030"));
    }

    [Test]
    public void Read_EmptyPage_IsSkippedWithAReason()
    {
        _dir.Write("empty.txt", "  \n\n");
        Assert.That(Read("empty.txt").Single().Skipped?.Reason, Is.EqualTo("page holds no article text"));
    }

    [Test]
    public void Read_PageWithSidecar_TakesTheSidecarDateAndUrl()
    {
        _dir.Write("p.txt", "标题\n正文");
        _dir.Write("p.txt.meta.json", "{\"date\":\"2024-01-02\",\"url\":\"https://example.com/p\"}");
        var article = Read("p.txt").Single().Article!;
        Assert.Multiple(() =>
        {
            Assert.That(article.Published, Is.EqualTo(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.FromHours(8))));
            Assert.That(article.DateSource, Is.EqualTo(DateSource.Sidecar));
            Assert.That(article.Url, Is.EqualTo("https://example.com/p"));
        });
    }
}
