using System.Text.Json;
using System.Text.RegularExpressions;
using NewsSearch.Api.V1;
using NewsSearch.Engine.Indexing;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary><c>--snapshot</c> beside a server that is indexing, and a server started on the snapshot, as processes.</summary>
public partial class SnapshotTests
{
    [Test]
    public async Task SnapshotTakenWhileAPassRuns_IsConsistent_AndARestoredServerServesAtOnceAndCatchesUpOnlyWhatChanged()
    {
        using var folder = new TempFolder("snapshot");
        var seeds = folder.Combine("seeds");
        Directory.CreateDirectory(seeds);
        File.WriteAllText(Path.Combine(seeds, "a.jsonl"), Jsonl.Lines(Enumerable.Range(0, 3)
            .Select(i => Jsonl.Record($"a{i}", $"熊猫{i}", "大熊猫", "2025-03-01")).ToArray()));
        string[] Args(string index) => ["--contentRoot", folder.Path, "--Search:SeedsPath", seeds, "--Search:IndexPath", index, "--Search:PollInterval", "00:00:00.100"];

        using (var server = ServerProcess.Start(Args(folder.Combine("index"))))
        {
            await server.WaitForStatsAsync(s => s.ArticleCount == 3, TimeSpan.FromSeconds(60));
            // A large pass starts, and the snapshot is taken while it runs.
            var body = string.Concat(Enumerable.Repeat("沿海港口货物吞吐量同比增长,集装箱航线持续加密。", 15));
            for (var f = 0; f < 6; f++)
                File.WriteAllText(Path.Combine(seeds, $"big{f}.jsonl"), Jsonl.Lines(Enumerable.Range(0, 2_500)
                    .Select(i => Jsonl.Record($"b{f}-{i}", $"港口{f}-{i}", body + i, "2025-03-02")).ToArray()));
            await Task.Delay(700);
            using var snapshot = ServerProcess.Start([.. Args(folder.Combine("index")), "--snapshot", folder.Combine("snap")]);
            Assert.That(await snapshot.WaitForExitAsync(TimeSpan.FromSeconds(120)), Is.True);
            Assert.That(snapshot.ExitCode, Is.Zero, snapshot.Output);
            await server.WaitForStatsAsync(s => s.ArticleCount == 15_003, TimeSpan.FromSeconds(120));
            server.Terminate();
            Assert.That(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True);
        }

        var (manifest, problems) = IndexSnapshot.Verify(folder.Combine("snap"));
        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty, "every file matches its checksum");
            Assert.That(manifest.Articles, Is.EqualTo(3).Or.EqualTo(15_003), "the snapshot holds one whole commit");
            Assert.That(manifest.Schema, Is.EqualTo(IndexState.CurrentSchema));
        });

        // Restore: a server on the snapshot serves its articles at once, then reads only the seed files that changed.
        File.WriteAllText(Path.Combine(seeds, "later.jsonl"), Jsonl.Lines(Jsonl.Record("later", "长江", "长江大保护", "2025-03-03")));
        using var restored = ServerProcess.Start(Args(folder.Combine("snap")));
        await restored.WaitForStatsAsync(s => s.ArticleCount == 15_004, TimeSpan.FromSeconds(120));
        var opened = OpenedWith().Match(restored.Output);
        var reread = await FilesReadAsync(restored, atLeast: 8 - manifest.SeedFiles);
        Assert.Multiple(() =>
        {
            Assert.That(opened.Success && long.Parse(opened.Groups[1].Value) == manifest.Articles, Is.True, restored.Output);
            Assert.That(reread, Is.EqualTo(8 - manifest.SeedFiles), "only files added or changed since the snapshot were read");
        });
        Assert.That((await restored.Client.SearchAsync(new SearchRequest { Query = "熊猫" })).TotalHits, Is.EqualTo(3));
    }

    /// <summary>
    /// The seed files the server's passes logged as read, once they reach <paramref name="atLeast"/> or 10 s pass: a
    /// pass's articles are searchable (and counted in stats) a moment before its line reaches the output.
    /// </summary>
    private static async Task<int> FilesReadAsync(ServerProcess server, int atLeast)
    {
        int Read() => IndexedFiles().Matches(server.Output).Sum(m => int.Parse(m.Groups[1].Value));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Read() < atLeast && DateTime.UtcNow < until) await Task.Delay(50);
        return Read();
    }

    [GeneratedRegex(@"Opened index generation \S+ with (\d+) articles")]
    private static partial Regex OpenedWith();

    [GeneratedRegex(@"Indexed (\d+) changed files? ")]
    private static partial Regex IndexedFiles();
}
