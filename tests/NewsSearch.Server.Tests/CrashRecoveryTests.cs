using System.Diagnostics;
using Grpc.Net.Client;
using NewsSearch.Api.V1;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>The service as a separate process, killed with SIGKILL while it indexes.</summary>
public class CrashRecoveryTests
{
    private static readonly string[] FastPolling = ["--Search:PollInterval", "00:00:00.100", "--Search:RamBufferMb", "16"];

    [Test]
    public async Task KillDashNineWhileIndexing_LeavesAnIndexThatOpensAndCatchesUp()
    {
        using var folder = new TempFolder("crash");
        Directory.CreateDirectory(folder.Combine("seeds"));
        const int files = 6, perFile = 400;
        for (var f = 0; f < files; f++)
            File.WriteAllText(folder.Combine("seeds", $"batch{f}.jsonl"), Jsonl.Lines(Enumerable.Range(0, perFile).Select(i =>
                Jsonl.Record($"f{f}-{i}", $"第{f}批第{i}条:港口吞吐量", string.Concat(Enumerable.Repeat("沿海港口货物吞吐量同比增长,集装箱航线持续加密。", 20)), "2025-03-01")).ToArray()));

        // Kill at several moments: early in the first build, mid-way, and after new files arrive.
        foreach (var delayMs in new[] { 700, 1500, 2500 })
        {
            using var p = ServerProcess.Start(folder, FastPolling);
            await Task.Delay(delayMs);
            File.WriteAllText(folder.Combine("seeds", $"late{delayMs}.jsonl"), Jsonl.Lines(Jsonl.Record($"late{delayMs}", "港口晚到的新闻", "港口", "2025-03-02")));
            await p.KillAsync();
        }

        using var server = ServerProcess.Start(folder, FastPolling);
        try
        {
            using var channel = GrpcChannel.ForAddress(server.Address);
            var client = new ArticleSearch.ArticleSearchClient(channel);
            const long expected = files * perFile + 3;
            long count = -1;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(90) && count != expected)
            {
                try { count = (await client.GetStatsAsync(new GetStatsRequest())).ArticleCount; }
                catch (Grpc.Core.RpcException) { /* not listening yet */ }
                await Task.Delay(200);
            }
            var hits = await client.SearchAsync(new SearchRequest { Query = "港口" });
            Assert.Multiple(() =>
            {
                Assert.That(count, Is.EqualTo(expected), "after restart every article is there exactly once");
                Assert.That(hits.TotalHits, Is.EqualTo(expected));
            });
        }
        finally
        {
            await server.KillAsync();
        }
    }
}
