using System.Diagnostics;
using Grpc.Net.Client;
using NewsSearch.Api.V1;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>The service as a separate process, killed with SIGKILL while it indexes.</summary>
public class CrashRecoveryTests
{
    private static Process Start(TempFolder folder, int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "NewsSearch.Server.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", folder.Path,
                "--Search:SeedsPath", folder.Combine("seeds"), "--Search:IndexPath", folder.Combine("index"),
                "--Search:PollInterval", "00:00:00.100", "--Search:RamBufferMb", "16" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

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
            var port = FreePort();
            using var p = Start(folder, port);
            await Task.Delay(delayMs);
            File.WriteAllText(folder.Combine("seeds", $"late{delayMs}.jsonl"), Jsonl.Lines(Jsonl.Record($"late{delayMs}", "港口晚到的新闻", "港口", "2025-03-02")));
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }

        var finalPort = FreePort();
        using var server = Start(folder, finalPort);
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{finalPort}");
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
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
