using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NewsSearch.Bench;

/// <summary>
/// <c>scale</c>: a synthetic corpus of N articles recombined from real cctv paragraphs, indexed with the server's
/// <c>--reindex</c>, then served: start-to-first-Search, RSS, latency at a modest fixed rate, and a restart that must
/// not reindex. <c>generate</c> only writes the corpus.
/// </summary>
public static class ScaleBench
{
    public static int Generate(BenchContext ctx)
    {
        if (!ctx.CorpusPresent(BenchContext.CctvFile, "generate")) return 0;
        var output = Directory.CreateDirectory(ctx.Require("out")).FullName;
        var (articles, files, bytes, secs) = GenerateInto(ctx.CorpusFile(BenchContext.CctvFile), output, ctx.Int("articles", 50_000), ctx.Int("files", 20), ctx.Int("seed", 42),
            ctx.Flag("chronological"));
        Report.Table("Generated corpus", ["articles", "files", "compressed", "time"],
            [[Report.N(articles), files.ToString(), Report.Mb(bytes), Report.N(secs, 1) + " s"]]);
        return 0;
    }

    /// <summary>
    /// Writes <paramref name="n"/> articles into <paramref name="files"/> .jsonl.gz files: a real title, 3-8 real
    /// paragraphs, a date uniform over 2016-01-01..2025-12-31. Deterministic for a given seed.
    /// <paramref name="chronological"/>: the same articles, but dated in the order they are written, as a news
    /// archive's files are (article i of n on day i × days / n), instead of at random.
    /// </summary>
    public static (int Articles, int Files, long Bytes, double Secs) GenerateInto(string cctv, string output, int n, int files, int seed,
        bool chronological = false)
    {
        var watch = Stopwatch.StartNew();
        var titles = new List<string>();
        var paragraphs = new List<string>();
        foreach (var a in Corpus.Read(cctv))
        {
            titles.Add(a.Title);
            paragraphs.AddRange(a.Body.Split('\n').Select(p => p.Trim()).Where(p => p.Length > 0));
        }
        var first = new DateOnly(2016, 1, 1);
        var days = new DateOnly(2025, 12, 31).DayNumber - first.DayNumber + 1;
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        Parallel.For(0, files, f =>
        {
            var rnd = new Random(seed * 1000 + f);
            using var gz = new GZipStream(File.Create(Path.Combine(output, $"gen-{f:D3}.jsonl.gz")), CompressionLevel.Fastest);
            using var json = new Utf8JsonWriter(gz, options);
            var body = new StringBuilder();
            for (var i = (long)n * f / files; i < (long)n * (f + 1) / files; i++)
            {
                body.Clear();
                for (var k = rnd.Next(3, 9); k > 0; k--) body.Append(paragraphs[rnd.Next(paragraphs.Count)]).Append(k > 1 ? "\n" : "");
                json.WriteStartObject();
                json.WriteString("id", $"gen-{i:D8}");
                var day = rnd.Next(days); // drawn either way, so both corpora hold the same titles and paragraphs
                if (chronological) day = (int)(i * days / n);
                json.WriteString("date", first.AddDays(day).ToString("yyyy-MM-dd"));
                json.WriteString("title", titles[rnd.Next(titles.Count)]);
                json.WriteString("body", body.ToString());
                json.WriteEndObject();
                json.Flush();
                json.Reset();
                gz.WriteByte((byte)'\n');
            }
        });
        var bytes = Directory.EnumerateFiles(output, "gen-*.jsonl.gz").Sum(p => new FileInfo(p).Length);
        return (n, files, bytes, watch.Elapsed.TotalSeconds);
    }

    public static async Task<Report?> Run(BenchContext ctx)
    {
        if (!ctx.CorpusPresent(BenchContext.CctvFile, "scale")) return null;
        var n = ctx.Int("articles", 50_000);
        var rate = ctx.Double("rate", 20);
        var duration = TimeSpan.FromSeconds(ctx.Double("open-seconds", 15));
        var timeout = TimeSpan.FromMinutes(ctx.Int("timeout-min", 90));
        using var tmp = new TempDir("scale", ctx.Flag("keep"));
        var seeds = tmp.Sub("seeds");
        var index = tmp.Sub("index");
        var table = new List<string[]>();
        void Row(string metric, string value) { table.Add([metric, value]); Console.Error.WriteLine($"[scale] {metric}: {value}"); }

        var generated = GenerateInto(ctx.CorpusFile(BenchContext.CctvFile), seeds, n, ctx.Int("files", 20), ctx.Int("seed", 42));
        Row("generated", $"{Report.N(generated.Articles)} articles in {generated.Files} .jsonl.gz files ({Report.Mb(generated.Bytes)}) in {Report.N(generated.Secs, 1)} s");

        var reindex = ServerProcess.Reindex(ctx, seeds, index, timeout);
        if (reindex.ExitCode != 0) throw new InvalidOperationException("--reindex failed:\n" + string.Join('\n', reindex.Output.TakeLast(20)));
        var indexBytes = Proc.DirBytes(index);
        Row("--reindex wall time (process)", Report.N(reindex.WallSecs, 1) + " s");
        Row("--reindex articles/s (wall; engine's own figure)", $"{Report.N(n / reindex.WallSecs)} ({Report.N(reindex.EngineArticlesPerSec ?? double.NaN)})");
        Row("--reindex peak RSS (VmHWM)", Report.Mb(reindex.PeakRssKb * 1024));
        Row("index on disk", $"{Report.Mb(indexBytes)} ({Report.N((double)indexBytes / n)} bytes/article)");

        var titles = Corpus.Read(ctx.CorpusFile(BenchContext.CctvFile)).Select(a => a.Title).ToList();
        var specs = QueryMix.Build(titles, 1000, 42, new DateOnly(2016, 1, 1), new DateOnly(2025, 12, 31));

        var (firstStart, firstLog) = await StartAndMeasure(ctx, seeds, index, async server =>
        {
            var page5 = await QueryMix.ResolvePageTokens(server.Search, specs);
            Row("query mix", $"{specs.Count} queries, {page5} at page 5");
            Task Search(int i) => server.Search.SearchAsync(specs[i % specs.Count].ToRequest(), deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync;
            var warm = await Load.Closed(Search, 2, TimeSpan.FromSeconds(10));
            Row("warm-up (closed loop, 2 workers, 10 s)", $"{Report.N(warm.Rps)} req/s, p50 {QueryBench.Ms(warm.P50Ms)}, p99 {QueryBench.Ms(warm.P99Ms)}");
            Row("serving RSS after warm-up queries", server.RssText);
            var open = await Load.Open(Search, rate, duration);
            var sorted = open.Sorted();
            Row($"Search at a fixed {Report.N(rate)} req/s for {duration.TotalSeconds:F0} s: p50 / p99 / max",
                $"{QueryBench.Ms(Stats.Pct(sorted, 0.5))} / {QueryBench.Ms(Stats.Pct(sorted, 0.99))} / {QueryBench.Ms(sorted.LastOrDefault(double.NaN))} ({open.Errors} errors)");
            Row("serving RSS after the fixed-rate run; peak", $"{server.RssText}; {Report.Mb(server.PeakRssKb * 1024)}");
        }, timeout);
        Row("start → health SERVING / first successful Search (after --reindex)", $"{QueryBench.Ms(firstStart.Health.TotalMilliseconds)} / {QueryBench.Ms(firstStart.Search.TotalMilliseconds)}");
        Row("log says it indexed on that start", Reindexed(firstLog));

        var (restart, restartLog) = await StartAndMeasure(ctx, seeds, index, _ => Task.CompletedTask, timeout);
        Row("restart → health SERVING / first successful Search", $"{QueryBench.Ms(restart.Health.TotalMilliseconds)} / {QueryBench.Ms(restart.Search.TotalMilliseconds)}");
        Row("log says it indexed on restart", Reindexed(restartLog));

        Report.Table($"Scale: {Report.N(n)} synthetic articles ({Environment.ProcessorCount} cores)", ["metric", "value"], table);
        var report = new Report();
        report.Add($"scale {Report.N(n)}", "--reindex articles/s, index size", $"{Report.N(n / reindex.WallSecs)}, {Report.Mb(indexBytes)}");
        report.Add($"scale {Report.N(n)}", "restart → first Search", QueryBench.Ms(restart.Search.TotalMilliseconds));
        return report;
    }

    /// <summary>Starts the server, times process start → first Search, runs <paramref name="then"/>, stops it; returns its log.</summary>
    internal static async Task<((TimeSpan Health, TimeSpan Search) Serving, List<string> Log)> StartAndMeasure(BenchContext ctx, string seeds, string index,
        Func<ServerProcess, Task> then, TimeSpan timeout)
    {
        var start = Stopwatch.GetTimestamp();
        using var server = ServerProcess.Start(ctx, seeds, index);
        var health = await server.WaitForHealth(start, timeout);
        var search = await server.WaitForFirstSearch(start, timeout);
        await then(server);
        await Task.Delay(TimeSpan.FromSeconds(2)); // a few sync polls
        server.Stop();
        return ((health, search), server.Log.ToList());
    }

    /// <summary>The server's "Indexed … changed files" lines: what it indexed on starting (none on an unchanged index).</summary>
    internal static List<string> IndexedOnStart(List<string> log) =>
        log.Where(l => l.Contains("changed files", StringComparison.Ordinal)).ToList();

    private static string Reindexed(List<string> log)
    {
        var indexed = IndexedOnStart(log);
        var opened = log.FirstOrDefault(l => l.Contains("Opened index generation", StringComparison.Ordinal));
        return (indexed.Count == 0 ? "no (no \"Indexed … changed files\" line)" : "YES: " + string.Join(" / ", indexed))
            + (opened is null ? "; no \"Opened index generation\" line seen" : "");
    }
}
