using Grpc.Core;
using NewsSearch.Api.V1;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Engine;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>
/// SIGTERM at a bad moment, against the real process: it stops within seconds and the index a restart opens is the
/// last complete one, never a partial build.
/// </summary>
public class ShutdownTests
{
    private const int Files = 8, PerFile = 2_500;

    private static void WriteCorpus(string seeds, string prefix)
    {
        Directory.CreateDirectory(seeds);
        var body = string.Concat(Enumerable.Repeat("沿海港口货物吞吐量同比增长,集装箱航线持续加密,多式联运加快发展。", 12));
        for (var f = 0; f < Files; f++)
            File.WriteAllText(Path.Combine(seeds, $"{prefix}{f}.jsonl"), Jsonl.Lines(Enumerable.Range(0, PerFile)
                .Select(i => Jsonl.Record($"{prefix}{f}-{i}", $"第{f}批第{i}条:港口", body + i, "2025-03-01")).ToArray()));
    }

    /// <summary>The article count of the published index, read as a restart would read it.</summary>
    private static long PublishedArticles(string seeds, string index)
    {
        using var engine = new NewsSearchEngine(new SearchEngineOptions { SeedsPath = seeds, IndexPath = index }, NullLoggerFactory.Instance);
        engine.Open();
        return engine.GetStats().ArticleCount;
    }

    private static bool Indexing(ServerProcess p) =>
        p.Output.Contains("Opened index generation") && !p.Output.Contains("Indexed ");

    [Test]
    public async Task SigtermDuringAFirstBuild_StopsWithinSeconds_AndPublishesNothingPartial()
    {
        using var folder = new TempFolder("sigterm");
        var seeds = folder.Combine("seeds");
        WriteCorpus(seeds, "b");
        using var server = ServerProcess.Start("--contentRoot", folder.Path, "--Search:SeedsPath", seeds, "--Search:IndexPath", folder.Combine("index"));
        await RunningService.WaitUntil(() => Task.FromResult(server.Output.Contains("Opened index generation")), TimeSpan.FromSeconds(60));
        await Task.Delay(1_500);
        var midBuild = Indexing(server);
        server.Terminate();
        Assert.That(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True, "SIGTERM stopped the process\n" + server.Output);
        var published = PublishedArticles(seeds, folder.Combine("index"));
        Assert.Multiple(() =>
        {
            Assert.That(server.ExitCode, Is.Zero, server.Output);
            Assert.That(published, Is.EqualTo(0).Or.EqualTo(Files * PerFile), "the restart opens the empty index or the complete one");
        });
        Assume.That(midBuild, "the signal landed while the build ran (on a very fast machine it may not)");
        Assert.That(published, Is.Zero);
    }

    [Test]
    public async Task SigtermDuringReindex_PublishesNothing_AndTheLiveIndexIsKept()
    {
        using var folder = new TempFolder("sigterm-reindex");
        var seeds = folder.Combine("seeds");
        var index = folder.Combine("index");
        Directory.CreateDirectory(seeds);
        File.WriteAllText(Path.Combine(seeds, "old.jsonl"), Jsonl.Lines(Jsonl.Record("old", "旧新闻", "港口", "2025-01-01")));
        NewsSearchEngine.Rebuild(new SearchEngineOptions { SeedsPath = seeds, IndexPath = index }, NullLoggerFactory.Instance);
        WriteCorpus(seeds, "n");

        using var reindex = ServerProcess.Start("--contentRoot", folder.Path, "--Search:SeedsPath", seeds, "--Search:IndexPath", index, "--reindex");
        await RunningService.WaitUntil(() => Task.FromResult(reindex.Output.Contains("Rebuilding the index")), TimeSpan.FromSeconds(60));
        await Task.Delay(1_500);
        var midBuild = !reindex.Output.Contains("The index now holds");
        reindex.Terminate();
        Assert.That(await reindex.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True, "SIGTERM stopped --reindex\n" + reindex.Output);
        Assume.That(midBuild, "the signal landed while the rebuild ran");
        Assert.Multiple(() =>
        {
            Assert.That(reindex.ExitCode, Is.EqualTo(130), reindex.Output);
            Assert.That(reindex.Output, Does.Contain("nothing was published"));
            Assert.That(PublishedArticles(seeds, index), Is.EqualTo(1), "the old generation is still the live one");
            Assert.That(Directory.GetDirectories(index, "g-*"), Has.Length.EqualTo(1), "the partial generation was deleted");
        });
    }

    [Test]
    public async Task SigtermDuringExports_EndsAReadingClientsStreamUnavailable_AndAStalledOneDoesNotHoldTheStop()
    {
        using var folder = new TempFolder("sigterm-export");
        var seeds = folder.Combine("seeds");
        Directory.CreateDirectory(seeds);
        File.WriteAllText(Path.Combine(seeds, "many.jsonl"), Jsonl.Lines(Enumerable.Range(0, 10_000)
            .Select(i => Jsonl.Record($"e{i:D5}", $"第{i}条:港口货物吞吐量同比增长,集装箱航线持续加密", "港口", "2025-03-01")).ToArray()));
        using var server = ServerProcess.Start("--contentRoot", folder.Path, "--Search:SeedsPath", seeds, "--Search:IndexPath", folder.Combine("index"));
        await server.WaitForStatsAsync(s => s.ArticleCount == 10_000, TimeSpan.FromSeconds(120));
        var request = new ExportRequest { PublishedFrom = "2025-01-01", IncludeTitles = true };

        // The stalled client takes one item and reads no more: HTTP/2 flow control soon holds the service's writes.
        using var stalled = server.Client.Export(request);
        Assert.That(await stalled.ResponseStream.MoveNext(), Is.True);
        // The reading client takes an item every 5 ms: 50 s for the whole export, far past the stop.
        using var reading = server.Client.Export(request);
        var readingEnd = Task.Run(async () =>
        {
            var items = new List<ExportItem>();
            try
            {
                while (await reading.ResponseStream.MoveNext())
                {
                    items.Add(reading.ResponseStream.Current);
                    await Task.Delay(5);
                }
                return (items, (RpcException?)null);
            }
            catch (RpcException e)
            {
                return (items, e);
            }
        });
        await Task.Delay(1_000);
        server.Terminate();

        var (received, end) = await readingEnd;
        Assert.That(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.True, "SIGTERM stopped the process\n" + server.Output);
        Assert.Multiple(() =>
        {
            Assert.That(end?.StatusCode, Is.EqualTo(StatusCode.Unavailable), "a status the client retries, not a lost connection");
            Assert.That(end?.Status.Detail, Does.Contain("resume it from the last cursor"));
            Assert.That(received, Has.Count.InRange(1, 9_999));
            Assert.That(server.ExitCode, Is.Zero, server.Output);
        });
    }
}
