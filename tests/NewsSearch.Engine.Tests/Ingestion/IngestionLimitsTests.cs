using System.IO.Compression;
using System.Text;
using NewsSearch.Engine.Ingestion;
using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Ingestion;

/// <summary>Hostile or broken seed files cost a skip with a reason, never the pass, and never unbounded memory.</summary>
public class IngestionLimitsTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void SetUp() => _folder = new TempFolder("limits");

    [TearDown]
    public void TearDown() => _folder.Dispose();

    private static readonly TimeZoneInfo Zone = Dates.FindZone("Asia/Shanghai");

    private List<SeedItem> Read(string relative, IngestionLimits limits) =>
        new SeedReader(Zone, limits).Read(_folder.Combine(relative), relative).ToList();

    private string WriteGzip(string relative, Action<Stream> write)
    {
        var path = _folder.Combine(relative);
        using (var file = File.Create(path))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
            write(gz);
        return path;
    }

    private static readonly byte[] GoodLine = Encoding.UTF8.GetBytes(Jsonl.Record("ok", "熊猫", "大熊猫") + "\n");

    [Test]
    public void LineLongerThanTheLimit_IsSkipped_AndTheLinesAroundItAreRead()
    {
        WriteGzip("long.jsonl.gz", gz =>
        {
            gz.Write(GoodLine);
            var run = new byte[1 << 20];
            Array.Fill(run, (byte)'a');
            for (var i = 0; i < 64; i++) gz.Write(run); // one 64 MiB line
            gz.WriteByte((byte)'\n');
            gz.Write(Encoding.UTF8.GetBytes(Jsonl.Record("after", "港口", "港口") + "\n"));
        });
        var items = Read("long.jsonl.gz", new IngestionLimits(MaxArticleBytes: 1 << 20));
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.Article?.Id), Is.EqualTo(new[] { "ok", null, "after" }));
            Assert.That(items[1].Skipped!.Line, Is.EqualTo(2));
            Assert.That(items[1].Skipped!.Reason, Does.Contain("longer than 1,048,576 bytes"));
        });
    }

    [Test]
    public void GzipThatExpandsPastTheLimit_StopsThere_KeepingWhatCameBefore()
    {
        WriteGzip("bomb.jsonl.gz", gz =>
        {
            for (var i = 0; i < 200_000; i++) gz.Write(GoodLine);
        });
        var items = Read("bomb.jsonl.gz", new IngestionLimits(MaxDecompressedBytes: 1 << 20));
        Assert.Multiple(() =>
        {
            Assert.That(items[^1].Skipped!.Reason, Does.Contain("expands past 1,048,576 bytes"));
            Assert.That(items.Count(i => i.Article is not null), Is.InRange(1, (1 << 20) / GoodLine.Length));
        });
    }

    [Test]
    public void FileOfGarbageLines_IsGivenUpAfterTheBadLineLimit_WithOneReason()
    {
        WriteGzip("garbage.jsonl.gz", gz =>
        {
            var junk = Encoding.ASCII.GetBytes("not json at all\n");
            for (var i = 0; i < 100_000; i++) gz.Write(junk);
        });
        var items = Read("garbage.jsonl.gz", new IngestionLimits(MaxBadLines: 50));
        Assert.Multiple(() =>
        {
            Assert.That(items, Has.Count.EqualTo(51));
            Assert.That(items[^1].Skipped!.Reason, Does.Contain("gave up on the rest of the file after 51 bad lines"));
        });
    }

    [Test]
    public void FileMostlyGood_IsReadToItsEnd_WhateverItsBadLines()
    {
        var lines = new StringBuilder();
        for (var i = 0; i < 300; i++) lines.Append(Jsonl.Record($"n{i}", "熊猫", "正文")).Append("\nbroken\n");
        _folder.Write("mixed.jsonl", lines.ToString());
        var items = Read("mixed.jsonl", new IngestionLimits(MaxBadLines: 50));
        Assert.That(items.Count(i => i.Article is not null), Is.EqualTo(300));
    }

    [Test]
    public void FileLargerThanTheLimit_IsSkippedWhole()
    {
        _folder.Write("big.jsonl", string.Concat(Enumerable.Repeat(Jsonl.Record("x", "熊猫", "正文") + "\n", 100)));
        var items = Read("big.jsonl", new IngestionLimits(MaxFileBytes: 1024));
        Assert.That(items.Single().Skipped!.Reason, Does.Contain("larger than 1,024 bytes"));
    }

    [Test]
    public void CorruptGzip_KeepsTheArticlesBeforeTheDamage_AndSaysWhy()
    {
        var path = WriteGzip("cut.jsonl.gz", gz =>
        {
            for (var i = 0; i < 2_000; i++) gz.Write(Encoding.UTF8.GetBytes(Jsonl.Record($"n{i}", $"熊猫{i}", $"正文{i}{Guid.NewGuid()}") + "\n"));
        });
        var bytes = File.ReadAllBytes(path);
        new Random(7).NextBytes(bytes.AsSpan(bytes.Length / 2));
        File.WriteAllBytes(path, bytes);
        var items = Read("cut.jsonl.gz", IngestionLimits.Default);
        Assert.Multiple(() =>
        {
            Assert.That(items.Count(i => i.Article is not null), Is.InRange(1, 1_999));
            Assert.That(items[^1].Skipped!.Reason, Does.Contain("truncated or corrupt"));
            Assert.That(items[^1].Skipped!.Reason, Does.Not.Contain(_folder.Path));
        });
    }

    /// <summary>40 records, the compressor flushed after each, so that a cut at a record's end leaves valid lines.</summary>
    private byte[] FlushedGzip(string relative)
    {
        var path = WriteGzip(relative, gz =>
        {
            for (var i = 0; i < 40; i++)
            {
                gz.Write(Encoding.UTF8.GetBytes(Jsonl.Record($"f{i}", $"熊猫{i}", "正文") + "\n"));
                gz.Flush();
            }
        });
        return File.ReadAllBytes(path);
    }

    [TestCase(0.5, TestName = "GzipCutInTheMiddle_KeepsTheArticlesBefore_AndSaysTheFileIsTruncated")]
    [TestCase(-8, TestName = "GzipWithoutItsTrailer_KeepsEveryArticle_AndSaysTheFileIsTruncated")]
    [TestCase(-3, TestName = "GzipCutInsideItsTrailer_KeepsEveryArticle_AndSaysTheFileIsTruncated")]
    public void GzipCutShort_IsReportedAfterTheArticlesRead(double cut)
    {
        var bytes = FlushedGzip("cut.jsonl.gz");
        File.WriteAllBytes(_folder.Combine("cut.jsonl.gz"), bytes[..(cut > 0 ? (int)(bytes.Length * cut) : bytes.Length + (int)cut)]);

        var items = Read("cut.jsonl.gz", IngestionLimits.Default);

        Assert.Multiple(() =>
        {
            Assert.That(items.Count(i => i.Article is not null), cut > 0 ? Is.InRange(1, 39) : Is.EqualTo(40));
            Assert.That(items[^1].Skipped?.Reason, Does.Contain("ends early or fails its checksum"));
            Assert.That(SkipKinds.Of(items[^1].Skipped!.Reason), Is.EqualTo(SkipKinds.Unreadable));
        });
    }

    [Test]
    public void WholeGzip_FlushedAfterEveryLine_IsReadWithoutAWarning()
    {
        FlushedGzip("whole.jsonl.gz");
        var items = Read("whole.jsonl.gz", IngestionLimits.Default);
        Assert.That(items.Select(i => i.Article?.Id), Is.EqualTo(Enumerable.Range(0, 40).Select(i => $"f{i}")));
    }

    [Test]
    public void PageLargerThanTheArticleLimit_IsSkipped()
    {
        _folder.Write("huge.txt", "标题\n" + new string('字', 2000));
        var items = Read("huge.txt", new IngestionLimits(MaxArticleBytes: 1024));
        Assert.That(items.Single().Skipped!.Reason, Does.Contain("at most 1,024 bytes"));
    }

    [Test]
    public void JsonErrors_NameTheLineOfTheFile_NotSystemTextJsonsCounters()
    {
        _folder.Write("bad.jsonl", Jsonl.Record("a", "熊猫", "正文") + "\n{\"id\": \"b\", \"title\": }\n");
        var skip = Read("bad.jsonl", IngestionLimits.Default)[1].Skipped!;
        Assert.Multiple(() =>
        {
            Assert.That(skip.Line, Is.EqualTo(2));
            Assert.That(skip.Reason, Does.Not.Contain("LineNumber"));
        });
    }
}

/// <summary>Inputs that used to make every indexing pass fail, beside good files, through the engine.</summary>
public class PoisonousInputTests
{
    [Test]
    public void FilesWithABackslashInTheirName_AreIndexed_UnderThatName()
    {
        Assume.That(Path.DirectorySeparatorChar, Is.EqualTo('/'), "a backslash is a character of a file name here");
        using var t = new TestEngine();
        t.AddSeed("2024\\05\\port.jsonl", Jsonl.Lines(Jsonl.Record("port", "港口", "港口吞吐量")));
        t.AddSeed("sub/2024\\page.txt", "港口新闻\n港口吞吐量创新高");
        var hits = t.Engine.Search(new SearchRequest("港口")).Hits;
        Assert.Multiple(() =>
        {
            Assert.That(hits.Select(h => h.Id), Is.EquivalentTo(new[] { "port", "sub/2024\\page" }));
            Assert.That(t.Engine.GetStats().InputsSkipped, Is.Zero);
        });
    }

    [Test]
    public void RunOfFortyThousandLetters_IsIndexed_AndTheRestOfTheArticleSearchable()
    {
        using var t = new TestEngine();
        t.AddSeed("long.jsonl", Jsonl.Lines(Jsonl.Record("long", "熊猫", "大熊猫 " + new string('a', 40_000) + " 港口")));
        t.AddSeed("good.jsonl", Jsonl.Lines(Jsonl.Record("good", "港口", "港口吞吐量")));
        Assert.Multiple(() =>
        {
            Assert.That(t.Engine.Search(new SearchRequest("港口")).TotalHits, Is.EqualTo(2));
            Assert.That(t.Engine.GetStats().InputsSkipped, Is.Zero);
        });
    }

    [Test]
    public void RecordsDatedAtTheEndsOfTheCalendar_DoNotStopTheOthers()
    {
        using var t = new TestEngine();
        t.AddSeed("dates.jsonl", Jsonl.Lines(
            Jsonl.Record("first", "熊猫一", "正文", "0001-01-01"),
            Jsonl.Record("last", "熊猫二", "正文", "9999-12-31"),
            Jsonl.Record("instant", "熊猫三", "正文", "0001-01-01T00:00:00+14:00"),
            Jsonl.Record("normal", "熊猫四", "正文", "2025-03-01")));
        t.AddSeed("good.jsonl", Jsonl.Lines(Jsonl.Record("good", "港口", "港口吞吐量")));
        var stats = t.Engine.GetStats();
        Assert.Multiple(() =>
        {
            Assert.That(t.Engine.Search(new SearchRequest("港口")).TotalHits, Is.EqualTo(1));
            Assert.That(stats.ArticleCount + stats.InputsSkipped, Is.EqualTo(5), "every record is either indexed or skipped with a reason");
            Assert.That(t.Engine.GetArticle("normal").Published, Is.Not.Null);
        });
    }
}
