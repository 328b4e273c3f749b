using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using NewsSearch.Api.V1;

namespace NewsSearch.Bench;

/// <summary>
/// <c>freshness</c>: a server on a small seeds folder; new one-article files are dropped in one by one (written under a
/// temporary name, then renamed) and Search is polled every 20 ms for the article's unique code.
/// </summary>
public static class FreshnessBench
{
    public static async Task<Report?> Run(BenchContext ctx)
    {
        if (!ctx.CorpusPresent(BenchContext.CctvFile, "freshness")) return null;
        var count = ctx.Int("files", 100);
        var pollMs = ctx.Int("poll-ms", 20);
        // A random pause before each write, so writes do not fall in step with the server's poll loop (which the
        // previous hit was just seen after) and the figure covers every phase of the poll interval.
        var jitterMs = ctx.Int("jitter-ms", 600);
        using var tmp = new TempDir("freshness", ctx.Flag("keep"));
        var seeds = tmp.Sub("seeds");
        var baseArticles = ctx.Int("base-articles", 500);
        WriteBase(ctx.CorpusFile(BenchContext.CctvFile), Path.Combine(seeds, "base.jsonl"), baseArticles);

        string[] extra = ctx.Get("poll-interval") is { } interval ? ["--Search:PollInterval", interval] : [];
        using var server = ServerProcess.Start(ctx, seeds, tmp.Sub("index"), extra);
        await server.WaitForFirstSearch(Stopwatch.GetTimestamp(), TimeSpan.FromMinutes(2));
        while ((await server.Search.GetStatsAsync(new GetStatsRequest())).ArticleCount < baseArticles) await Task.Delay(50);
        Console.Error.WriteLine($"[freshness] serving {baseArticles} articles; adding {count} files …");

        var rnd = new Random(42);
        var codes = new HashSet<string>();
        var latencies = new List<double>();
        var missed = 0;
        var fresh = Directory.CreateDirectory(Path.Combine(seeds, "fresh")).FullName;
        for (var i = 0; i < count; i++)
        {
            string code;
            do code = "ZQ" + rnd.Next(0, 1_000_000).ToString("D6"); while (!codes.Add(code));
            var line = $$"""{"id":"fresh-{{i}}","date":"2025-06-01","title":"新闻测试 {{code}}","body":"这是一篇新写入的短文，编号 {{code}}，用于测量从写入文件到可以搜索的时间。"}""";
            var path = Path.Combine(fresh, $"f{i:D3}.jsonl");
            await Task.Delay(rnd.Next(jitterMs + 1));
            var written = Stopwatch.GetTimestamp();
            await File.WriteAllTextAsync(path + ".tmp", line + "\n", new UTF8Encoding(false));
            File.Move(path + ".tmp", path);
            while (true)
            {
                var r = await server.Search.SearchAsync(new SearchRequest { Query = code }, deadline: DateTime.UtcNow.AddSeconds(10));
                if (r.TotalHits > 0) { latencies.Add(Stats.Ms(written)); break; }
                if (Stopwatch.GetElapsedTime(written) > TimeSpan.FromSeconds(30)) { missed++; break; }
                await Task.Delay(pollMs);
            }
        }
        latencies.Sort();
        var pollInterval = ctx.Get("poll-interval") ?? "server default (appsettings.json: 00:00:00.500)";
        Report.Table($"Freshness: file written → first Search hit ({count} one-article files, one by one; random 0-{jitterMs} ms pause before each write; Search polled every {pollMs} ms; Search:PollInterval {pollInterval})",
            ["files", "found", "missed (30 s)", "p50", "p99", "min", "max", "mean"],
            [[count.ToString(), latencies.Count.ToString(), missed.ToString(), QueryBench.Ms(Stats.Pct(latencies, 0.5)),
                QueryBench.Ms(Stats.Pct(latencies, 0.99)), QueryBench.Ms(latencies.FirstOrDefault(double.NaN)),
                QueryBench.Ms(latencies.LastOrDefault(double.NaN)), QueryBench.Ms(latencies.Count > 0 ? latencies.Average() : double.NaN)]]);
        var report = new Report();
        report.Add("freshness", "write → searchable p50 / p99", $"{QueryBench.Ms(Stats.Pct(latencies, 0.5))} / {QueryBench.Ms(Stats.Pct(latencies, 0.99))}");
        report.Add("freshness", "missed within 30 s", $"{missed} of {count}");
        return report;
    }

    /// <summary>The first <paramref name="n"/> lines of the corpus as the starting seeds (a temporary folder, never the repo).</summary>
    private static void WriteBase(string corpus, string target, int n)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(corpus), CompressionMode.Decompress), Encoding.UTF8);
        using var writer = new StreamWriter(target, false, new UTF8Encoding(false));
        for (var i = 0; i < n && reader.ReadLine() is { } line; i++) writer.WriteLine(line);
    }
}
