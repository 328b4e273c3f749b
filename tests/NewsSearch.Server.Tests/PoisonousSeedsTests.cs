using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using NewsSearch.Api.V1;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>
/// Every input that used to stop all indexing, dropped beside good files into a real server process: the good files
/// are served, each bad one is reported with a plain reason, memory stays bounded, and indexing goes on afterwards.
/// </summary>
public class PoisonousSeedsTests
{
    [Test]
    public async Task PoisonousFilesBesideGoodOnes_AreSkippedWithReasons_AndIndexingGoesOn()
    {
        Assume.That(OperatingSystem.IsLinux(), "FIFOs, links and /proc as Linux has them");
        using var folder = new TempFolder("poison");
        var seeds = folder.Combine("seeds");
        Directory.CreateDirectory(seeds);
        string Seed(string name) => Path.Combine(seeds, name);

        File.WriteAllText(Seed("good.jsonl"), Jsonl.Lines(
            Jsonl.Record("good-1", "熊猫新闻", "成都大熊猫繁育研究基地", "2025-03-01"),
            Jsonl.Record("good-2", "港口新闻", "港口吞吐量同比增长", "2025-03-02")));
        File.WriteAllText(Seed("dates.jsonl"), Jsonl.Lines(
            Jsonl.Record("year-1", "公元元年", "日期", "0001-01-01"), Jsonl.Record("year-9999", "万年", "日期", "9999-12-31")));
        File.WriteAllText(Seed("letters.jsonl"), Jsonl.Lines(Jsonl.Record("letters", "长串字母", "开头 " + new string('x', 40_000) + " 结尾")));
        using (var mkfifo = Process.Start("mkfifo", Seed("f.txt"))) await mkfifo.WaitForExitAsync();
        File.CreateSymbolicLink(Seed("leak.txt"), "/etc/passwd");
        Directory.CreateDirectory(Seed("sub"));
        Directory.CreateSymbolicLink(Seed("sub/up"), "..");
        // One 300 MB line, and 256 MB of short garbage lines, each a few hundred KB compressed.
        WriteGzip(Seed("one-line.jsonl.gz"), gz =>
        {
            var chunk = Encoding.ASCII.GetBytes("{\"id\":\"huge\",\"body\":\"" + new string('a', (1 << 20) - 21));
            for (var i = 0; i < 300; i++) gz.Write(chunk);
            gz.Write("\"}\n"u8);
        });
        WriteGzip(Seed("garbage.jsonl.gz"), gz =>
        {
            var junk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("garbage\n", 1 << 17)));
            for (var i = 0; i < 256; i++) gz.Write(junk);
        });

        using var server = ServerProcess.Start("--contentRoot", folder.Path, "--Search:SeedsPath", seeds,
            "--Search:IndexPath", folder.Combine("index"), "--Search:PollInterval", "00:00:00.200");
        var stats = await server.WaitForStatsAsync(s => s.ArticleCount >= 3 && s.InputsSkipped >= 4, TimeSpan.FromSeconds(120));
        var hits = await server.Client.SearchAsync(new SearchRequest { Query = "熊猫" });
        var reasons = stats.Skipped.ToDictionary(s => $"{s.Path}:{s.Line}", s => s.Reason);

        Assert.Multiple(() =>
        {
            Assert.That(hits.TotalHits, Is.EqualTo(1), "good files are served");
            Assert.That(reasons["f.txt:0"], Does.Contain("not a regular file"));
            Assert.That(reasons["leak.txt:0"], Does.Contain("outside the seeds folder"));
            Assert.That(reasons["one-line.jsonl.gz:1"], Does.Contain("longer than"));
            Assert.That(reasons.Keys, Has.Some.StartsWith("garbage.jsonl.gz:"));
            Assert.That(reasons.Values, Has.Some.Contains("gave up on the rest of the file"));
            Assert.That(reasons.Values, Has.None.Contains(folder.Path), "no absolute path reaches clients");
            Assert.That(stats.IndexingProblem, Is.Empty);
            Assert.That(server.PeakRssMb(), Is.LessThan(1024), "a 300 MB line is never held in memory");
        });
        var letters = await server.Client.SearchAsync(new SearchRequest { Query = "结尾" });
        var root = await server.Client.SearchAsync(new SearchRequest { Query = "root" });
        Assert.Multiple(() =>
        {
            Assert.That(letters.TotalHits, Is.EqualTo(1), "a 40,000-letter run does not cost its article");
            Assert.That(root.TotalHits, Is.Zero, "/etc/passwd is not indexed");
        });

        // Indexing is not stalled: a file dropped in now is served, and removing the link loop loses nothing.
        File.WriteAllText(Seed("later.jsonl"), Jsonl.Lines(Jsonl.Record("later", "长江新闻", "长江大保护", "2025-03-03")));
        Directory.Delete(Seed("sub/up"));
        await server.WaitForStatsAsync(s => s.ArticleCount == stats.ArticleCount + 1, TimeSpan.FromSeconds(60));
        Assert.That((await server.Client.SearchAsync(new SearchRequest { Query = "熊猫" })).TotalHits, Is.EqualTo(1));
    }

    private static void WriteGzip(string path, Action<Stream> write)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        write(gz);
    }
}
