using System.IO.Compression;
using NewsSearch.Api.V1;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>Twenty SIGKILLs at random moments while the real process indexes the cctv corpus.</summary>
public class CorpusKillTests
{
    private const int Parts = 10, Kills = 20;

    [Test]
    public async Task TwentyKillsWhileIndexingTheCctvCorpus_LeaveEveryArticleExactlyOnce()
    {
        var corpus = RepoPaths.RequireCorpusFile("cctv-news.jsonl.gz");
        using var folder = new TempFolder("kills");
        var seeds = folder.Combine("seeds");
        Directory.CreateDirectory(seeds);

        // The corpus in ten parts that arrive one per restart, so that kills land in first builds, in catch-up passes
        // after a restart, and between passes.
        var lines = new List<string>();
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(corpus), CompressionMode.Decompress)))
            while (reader.ReadLine() is { } line)
                if (line.Length > 0) lines.Add(line);
        var ids = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToList();
        var partSize = (lines.Count + Parts - 1) / Parts;

        string[] Args() => ["--contentRoot", folder.Path, "--Search:SeedsPath", seeds, "--Search:IndexPath", folder.Combine("index"),
            "--Search:PollInterval", "00:00:00.100", "--Search:RamBufferMb", "16"];
        var random = new Random(20261126);
        var killedMidPass = 0;
        for (var k = 0; k < Kills; k++)
        {
            if (k < Parts)
                File.WriteAllLines(Path.Combine(seeds, $"part{k:D2}.jsonl"), lines.Skip(k * partSize).Take(partSize));
            using var server = ServerProcess.Start(Args());
            await Task.Delay(random.Next(400, 6_000));
            var lastOpened = server.Output.LastIndexOf("Opened index generation", StringComparison.Ordinal);
            if (lastOpened >= 0 && server.Output.IndexOf("Indexed ", lastOpened, StringComparison.Ordinal) < 0) killedMidPass++;
            server.KillHard();
        }

        using var final = ServerProcess.Start(Args());
        var stats = await final.WaitForStatsAsync(s => s.ArticleCount == ids.Distinct().Count(), TimeSpan.FromSeconds(300));
        var sample = ids.OrderBy(_ => random.Next()).Take(200).ToList();
        var byId = await final.Client.SearchAsync(new SearchRequest { Ids = { sample }, PublishedFrom = "1900-01-01", PageSize = 100 });
        Assert.Multiple(() =>
        {
            Assert.That(stats.ArticleCount, Is.EqualTo(ids.Count), "every article of the corpus, each id once");
            Assert.That(stats.DuplicateCopies, Is.Zero);
            Assert.That(byId.TotalHits, Is.EqualTo(sample.Count), "sampled ids are each found once");
            Assert.That(killedMidPass, Is.GreaterThanOrEqualTo(5), "kills landed while a pass was running");
        });
    }
}
