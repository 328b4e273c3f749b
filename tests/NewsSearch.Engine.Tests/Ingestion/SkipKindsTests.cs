using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Ingestion;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Ingestion;

/// <summary>
/// The kinds metrics count skips by, from the reasons the reader and the scan really give: a reason reworded so that
/// no rule knows it any more shows here as <c>other</c>, not silently in a dashboard.
/// </summary>
public class SkipKindsTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder("skipkinds");

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private List<string> Kinds(string name, IngestionLimits? limits = null) =>
        new SeedReader(Shanghai, limits).Read(_dir.Combine(name), name)
            .Where(i => i.Skipped is not null).Select(i => SkipKinds.Of(i.Skipped!.Reason)).ToList();

    [Test]
    public void Of_ReasonsOfBadLines_AreSortedByWhatIsWrong()
    {
        _dir.Write("lines.jsonl", string.Join('\n',
            "{ not json",
            "[1, 2]",
            "{\"id\": \"x\"}",
            Jsonl.Record("d", "标题", "正文", "not-a-date"),
            "{\"id\": \"\", \"title\": \"t\"}",
            "{\"title\": \"\\ud800\"}",
            "{\"title\": \"" + new string('长', 600) + "\"}"));

        Assert.That(Kinds("lines.jsonl", new IngestionLimits(MaxArticleBytes: 1024)), Is.EqualTo(new[]
        {
            SkipKinds.InvalidJson, SkipKinds.InvalidJson, SkipKinds.InvalidRecord, SkipKinds.InvalidRecord,
            SkipKinds.InvalidRecord, SkipKinds.InvalidJson, SkipKinds.TooLong,
        }));
    }

    [Test]
    public void Of_ReasonsOfWholeFiles_AreSortedByWhatIsWrong()
    {
        File.WriteAllBytes(_dir.Combine("nul.txt"), Encoding.UTF8.GetBytes("标题\0正文"));
        _dir.Write("empty.txt", "   \n");
        _dir.Write("big.jsonl", Jsonl.Lines(Jsonl.Record("a", "标题", new string('长', 2000))));
        using (var gz = new GZipStream(File.Create(_dir.Combine("bomb.jsonl.gz")), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes(Jsonl.Lines(Enumerable.Range(0, 200).Select(i => Jsonl.Record($"g{i}", "标题", "正文")).ToArray())));
        _dir.Write("garbage.jsonl", string.Join('\n', Enumerable.Repeat("garbage", 10)));

        Assert.Multiple(() =>
        {
            Assert.That(Kinds("nul.txt"), Is.EqualTo(new[] { SkipKinds.Undecodable }));
            Assert.That(Kinds("empty.txt"), Is.EqualTo(new[] { SkipKinds.InvalidRecord }));
            Assert.That(Kinds("big.jsonl", new IngestionLimits(MaxFileBytes: 1024)), Is.EqualTo(new[] { SkipKinds.TooLong }));
            Assert.That(Kinds("bomb.jsonl.gz", new IngestionLimits(MaxDecompressedBytes: 2048)).Last(), Is.EqualTo(SkipKinds.TooLong));
            Assert.That(Kinds("garbage.jsonl", new IngestionLimits(MaxBadLines: 3)).Last(), Is.EqualTo(SkipKinds.TooManyBadLines));
        });
    }

    [Test]
    public void Of_FifosAndLinksOut_AreNotRegularFileAndLinkOutside()
    {
        Assume.That(OperatingSystem.IsLinux(), "links and FIFOs as Linux has them");
        var seeds = _dir.Combine("seeds");
        Directory.CreateDirectory(seeds);
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(seeds, "f.jsonl"))) mkfifo.WaitForExit();
        var outside = _dir.Write("outside.txt", "标题\n正文");
        File.CreateSymbolicLink(Path.Combine(seeds, "leak.txt"), outside);

        var scan = SeedScanner.Scan(seeds);
        var fifo = new SeedReader(Shanghai).Read(Path.Combine(seeds, "f.jsonl"), "f.jsonl").Single().Skipped!;
        Assert.Multiple(() =>
        {
            Assert.That(SkipKinds.Of(fifo.Reason), Is.EqualTo(SkipKinds.NotRegularFile));
            Assert.That(SkipKinds.Of(scan.Files["leak.txt"].Rejected!), Is.EqualTo(SkipKinds.LinkOutside));
        });
    }

    [Test]
    public void FileNamesThatCannotBeUsed_AreRejectedUnderAPrintableName_AsUnreadable()
    {
        Assume.That(OperatingSystem.IsLinux(), "file names as Linux allows them");
        var seeds = _dir.Combine("seeds-names");
        Directory.CreateDirectory(seeds);
        File.WriteAllText(Path.Combine(seeds, "inj\n[02:22:00 FTL] forged.jsonl"), "{\"title\":\"标题\"}\n");
        // Bytes that are not UTF-8 in the name: .NET lists the file with U+FFFD in their place and cannot open it so.
        using (var touch = Process.Start("sh", ["-c", $"printf '{{\"title\":\"x\"}}\\n' > \"{seeds}/bad$(printf '\\377\\376')name.jsonl\""]))
            touch.WaitForExit();
        File.WriteAllText(Path.Combine(seeds, "good\uFFFD.jsonl"), "{\"title\":\"标题\"}\n");
        using (var mkdir = Process.Start("sh", ["-c", $"d=\"{seeds}/dir$(printf '\\377')\"; mkdir \"$d\" && printf '{{\"title\":\"x\"}}\\n' > \"$d/a.jsonl\""]))
            mkdir.WaitForExit();
        Directory.CreateDirectory(Path.Combine(seeds, "tab\tdir"));
        File.WriteAllText(Path.Combine(seeds, "tab\tdir", "b.jsonl"), "{\"title\":\"标题\"}\n");

        var scan = SeedScanner.Scan(seeds);

        Assert.Multiple(() =>
        {
            Assert.That(scan.Files.Keys, Is.EquivalentTo(new[]
            {
                "inj\\u000A[02:22:00 FTL] forged.jsonl", "bad\uFFFD\uFFFDname.jsonl", "good\uFFFD.jsonl", "dir\uFFFD/", "tab\\u0009dir/",
            }));
            Assert.That(scan.Files["dir\uFFFD/"].Rejected, Does.Contain("folder name is not valid UTF-8"));
            Assert.That(scan.Files["tab\\u0009dir/"].Rejected, Does.Contain("folder name holds a control character"));
            Assert.That(scan.Files["inj\\u000A[02:22:00 FTL] forged.jsonl"].Rejected, Does.Contain("control character"));
            Assert.That(scan.Files["bad\uFFFD\uFFFDname.jsonl"].Rejected, Does.Contain("not valid UTF-8"));
            Assert.That(scan.Files["good\uFFFD.jsonl"].Rejected, Is.Null, "a real U+FFFD in a name that opens is fine");
            Assert.That(scan.Files.Values.Where(f => f.Rejected is not null).Select(f => SkipKinds.Of(f.Rejected!)), Is.All.EqualTo(SkipKinds.Unreadable));
        });
    }

    [Test]
    public void AFileNamedAsAnotherFilesPrintableName_IsIndexed_NotTakenForTheRefusedOne()
    {
        Assume.That(OperatingSystem.IsLinux(), "file names as Linux allows them");
        var seeds = _dir.Combine("seeds-twins");
        Directory.CreateDirectory(seeds);
        File.WriteAllText(Path.Combine(seeds, "a\nb.jsonl"), "{\"title\":\"标题\"}\n");
        File.WriteAllText(Path.Combine(seeds, "a\\u000Ab.jsonl"), "{\"title\":\"标题\"}\n"); // a real name: backslash, u, 0…

        var entry = SeedScanner.Scan(seeds).Files["a\\u000Ab.jsonl"];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Rejected, Is.Null);
            Assert.That(entry.Stamp.Length, Is.GreaterThan(0), "the real file's stamp, not the refused one's");
        });
    }

    [Test]
    public void ARefusedName_ListedAfterARealFileOfThatName_LeavesTheRealFile()
    {
        // The scan above meets the two in the order the folder lists them; this is the other order.
        var real = new SeedEntry(new FileStamp(10, 20));
        var files = new Dictionary<string, SeedEntry> { ["a\\u000Ab.jsonl"] = real };
        SeedScanner.ListRefused(files, "a\\u000Ab.jsonl", "the file name holds a control character");
        Assert.That(files["a\\u000Ab.jsonl"], Is.EqualTo(real));
    }

    [Test]
    public void Of_AReasonNoRuleKnows_IsOther() =>
        Assert.That(SkipKinds.Of("something new went wrong"), Is.EqualTo(SkipKinds.Other));
}
