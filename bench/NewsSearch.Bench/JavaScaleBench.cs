using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Engine;
using NewsSearch.Engine.Analysis;
using EngineRequest = NewsSearch.Engine.Querying.SearchRequest;

namespace NewsSearch.Bench;

/// <summary>
/// <c>java-scale</c>: issue 11's side-by-side at scale. Java Lucene 8 (<c>bench/java/ScaleJava.java</c>, Debian's
/// <c>liblucene8-java</c>) indexes the articles of <c>--seeds</c> (e.g. the 1 M <c>scale</c> corpus) and answers 1,000
/// plain BM25 queries of 1-3 title words (AND) with a 1-12 month date filter, top 10 with every hit counted and the 10
/// stored documents read; this engine answers the same words and dates in process, with its own ranking, snippets and
/// collapse, on <c>--index</c> (that corpus indexed by <c>--reindex</c>) or, with <c>--engine-reindex</c>, on the index
/// its own <c>--reindex</c> builds in the same run (the indexing comparison). Prints engine ÷ Java for each figure.
/// </summary>
public static class JavaScaleBench
{
    /// <summary>The zone <see cref="Corpus.Read"/> reads dates in: an article's day is its day there.</summary>
    private static readonly TimeZoneInfo Zone = NewsSearch.Engine.Ingestion.Dates.FindZone("Asia/Shanghai");

    public static Report? Run(BenchContext ctx)
    {
        if (!ctx.CorpusPresent(BenchContext.CctvFile, "java-scale")) return null;
        var seeds = Path.GetFullPath(ctx.Require("seeds"));
        var reindexing = ctx.Flag("engine-reindex");
        var index = reindexing ? null : Path.GetFullPath(ctx.Require("index"));
        var threads = Environment.ProcessorCount;
        var rounds = ctx.Int("rounds", 3);
        using var tmp = new TempDir("java-scale", ctx.Flag("keep"));
        var report = new Report();

        Console.Error.WriteLine("[java-scale] writing the articles and queries for Java …");
        var tsv = Path.Combine(tmp.Path, "articles.tsv");
        var articles = WriteTsv(seeds, tsv);
        var queries = Queries(ctx);
        var queryFile = Path.Combine(tmp.Path, "queries.tsv");
        File.WriteAllLines(queryFile, queries.Select(q => $"{q.From:yyyyMMdd}\t{q.To:yyyyMMdd}\t{q.Words}"));

        var classes = Compile(ctx, tmp);
        Console.Error.WriteLine($"[java-scale] Java: indexing {articles:N0} articles with {threads} threads …");
        var javaIndex = Path.Combine(tmp.Path, "java-index");
        var indexed = Java(classes, ["index", tsv, javaIndex, threads.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(ctx.Int("java-timeout-min", 60)));
        Console.Error.WriteLine("[java-scale] Java: queries …");
        var searched = Java(classes, ["query", javaIndex, queryFile, rounds.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(30));

        ServerProcess.ReindexResult? reindex = null;
        if (reindexing)
        {
            Console.Error.WriteLine("[java-scale] this engine: --reindex of the same articles …");
            index = tmp.Sub("engine-index");
            reindex = ServerProcess.Reindex(ctx, seeds, index, TimeSpan.FromMinutes(ctx.Int("timeout-min", 120)));
            if (reindex.ExitCode != 0) throw new InvalidOperationException("--reindex failed:\n" + string.Join('\n', reindex.Output.TakeLast(20)));
        }
        Console.Error.WriteLine("[java-scale] this engine: the same queries in process …");
        if (!reindexing) Proc.ReadIntoPageCache(index!, "java-scale");
        var ours = EngineQueries(index!, seeds, queries, rounds, WarmUp.Duration(ctx));

        double J(Dictionary<string, string> r, string key) => double.Parse(r[key], CultureInfo.InvariantCulture);
        string R(double engine, double java) => Report.N(engine / java, 2) + "×";
        var ourRate = reindex is null ? double.NaN : (reindex.Articles ?? articles) / reindex.WallSecs;
        Report.Table($"Java Lucene 8 beside this engine, {articles:N0} articles, same run, {threads} cores",
            ["figure", "Java Lucene 8 (plain BM25)", "this engine", "engine ÷ Java", "target"],
            [
                ["search p50, in process, 1 thread", Ms(J(searched, "p50_ms")), Ms(ours.P50), R(ours.P50, J(searched, "p50_ms")), ""],
                ["search mean, in process, 1 thread", Ms(J(searched, "mean_ms")), Ms(ours.Mean), R(ours.Mean, J(searched, "mean_ms")), "≤ 3×"],
                ["search p99, in process, 1 thread", Ms(J(searched, "p99_ms")), Ms(ours.P99), R(ours.P99, J(searched, "p99_ms")), ""],
                ["hits counted over the queries (one round)", Report.N(J(searched, "hits") / (rounds + 1)), Report.N(ours.Hits), "", ""],
                [$"indexing, {threads} threads (articles/s; Java warm, the engine's whole --reindex)", Report.N(J(indexed, "docs_per_s")),
                    reindex is null ? "not run (--engine-reindex)" : Report.N(ourRate), reindex is null ? "" : R(ourRate, J(indexed, "docs_per_s")), "≥ 1×"],
                ["indexing peak RSS", Report.Mb((long)J(indexed, "peak_rss_kb") * 1024), reindex is null ? "" : Report.Mb(reindex.PeakRssKb * 1024), "", ""],
                ["index size", Report.Mb((long)J(indexed, "size_bytes")), Report.Mb(Proc.DirBytes(index!)), R(Proc.DirBytes(index!), J(indexed, "size_bytes")), ""],
            ]);
        Console.WriteLine("Java: " + string.Join(" ", indexed.Select(kv => $"{kv.Key}={kv.Value}")));
        Console.WriteLine("Java: " + string.Join(" ", searched.Select(kv => $"{kv.Key}={kv.Value}")));
        Console.WriteLine("Differences: Java matches each word as one term in title or body; the engine also matches it as a character " +
            "sequence (phrase queries on the grams fields), ranks with its own clause weights, sorts ties by date, collapses " +
            "near-duplicates and builds a snippet and a marked title for each hit.");
        report.Add("java-scale", "search mean in process: engine ÷ Java", R(ours.Mean, J(searched, "mean_ms")));
        report.Add("java-scale", "indexing: engine ÷ Java", reindex is null ? "not run" : R(ourRate, J(indexed, "docs_per_s")));
        return report;
    }

    private sealed record JavaQuery(DateOnly From, DateOnly To, string Words);

    /// <summary>1,000 queries of 1-3 words of cctv titles, each with a 1-12 month window between --from and --to.</summary>
    private static List<JavaQuery> Queries(BenchContext ctx)
    {
        var titles = Corpus.Read(ctx.CorpusFile(BenchContext.CctvFile)).Select(a => a.Title).ToList();
        var first = DateOnly.Parse(ctx.Get("from") ?? "2016-01-01", CultureInfo.InvariantCulture);
        var last = DateOnly.Parse(ctx.Get("to") ?? "2025-12-31", CultureInfo.InvariantCulture);
        var rnd = new Random(42);
        var segmenter = new TextSegmenter(UserDictionary.Of());
        var result = new List<JavaQuery>();
        while (result.Count < ctx.Int("queries", 1000))
        {
            if (QueryMix.PickWords(titles[rnd.Next(titles.Count)], rnd, segmenter) is not { } words) continue;
            var start = first.AddDays(rnd.Next(last.DayNumber - first.DayNumber + 1));
            var end = start.AddMonths(1 + rnd.Next(12)).AddDays(-1);
            result.Add(new JavaQuery(start, end, words));
        }
        return result;
    }

    /// <summary>Every article of the seeds folder as the engine reads it, one TSV line each; returns how many.</summary>
    private static int WriteTsv(string seeds, string path)
    {
        static string Esc(string s) => s.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r");
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        var n = 0;
        foreach (var file in Directory.EnumerateFiles(seeds, "*.jsonl*").Order())
            foreach (var a in Corpus.Read(file))
            {
                var day = a.Published is { } p ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(p, Zone).DateTime) : new DateOnly(1970, 1, 1);
                w.Write($"{Esc(a.Id)}\t{day:yyyyMMdd}\t{Esc(a.Title)}\t{Esc(a.Body)}\n");
                n++;
            }
        return n;
    }

    private const string Jars = "/usr/share/java";
    private static readonly string ClassPath = string.Join(':', new[] { "lucene-core-8.7.0.jar", "lucene-analyzers-common-8.7.0.jar", "lucene-analyzers-smartcn-8.7.0.jar" }.Select(j => Path.Combine(Jars, j)));

    /// <summary>Compiles ScaleJava.java, installing Debian's liblucene8-java first when it is missing.</summary>
    private static string Compile(BenchContext ctx, TempDir tmp)
    {
        if (!File.Exists(Path.Combine(Jars, "lucene-analyzers-smartcn-8.7.0.jar")))
            Run("sh", ["-c", "apt-get update -qq && apt-get install -y -qq --no-install-recommends liblucene8-java default-jdk-headless"], TimeSpan.FromMinutes(15));
        var classes = tmp.Sub("classes");
        Run("javac", ["-nowarn", "-cp", ClassPath, "-d", classes, Path.Combine(ctx.RepoRoot, "bench", "java", "ScaleJava.java")], TimeSpan.FromMinutes(5));
        return classes;
    }

    /// <summary>Runs ScaleJava and returns the key=value pairs of its RESULT line.</summary>
    private static Dictionary<string, string> Java(string classes, string[] args, TimeSpan timeout)
    {
        var lines = Run("java", ["-cp", classes + ":" + ClassPath, "ScaleJava", .. args], timeout);
        var result = lines.LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("ScaleJava printed no RESULT:\n" + string.Join('\n', lines.TakeLast(15)));
        return Regex.Matches(result, @"(\w+)=(\S+)").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    private static List<string> Run(string file, string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var lines = new List<string>();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add("stderr: " + e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout)) { p.Kill(true); throw new TimeoutException($"{file} did not finish within {timeout}"); }
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({p.ExitCode}):\n" + string.Join('\n', lines.TakeLast(15)));
        return lines;
    }

    private sealed record EngineFigures(double P50, double P99, double Mean, long Hits);

    private static EngineFigures EngineQueries(string index, string seeds, List<JavaQuery> queries, int rounds, TimeSpan warmUpFor)
    {
        using var engine = new NewsSearchEngine(new SearchEngineOptions { IndexPath = index, SeedsPath = seeds }, NullLoggerFactory.Instance);
        engine.Open();
        var requests = queries.Select(q => new EngineRequest(q.Words, q.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            q.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), 10)).ToList();
        long hits = 0;
        var latencies = InProcessBench.TimeRounds(engine, requests, rounds, warmUpFor,
                warmUp => hits = warmUp.Sum(r => (long)r.TotalHits))
            .Latencies.Cast<double>().Order().ToList();
        return new EngineFigures(Stats.Pct(latencies, 0.5), Stats.Pct(latencies, 0.99), latencies.Average(), hits);
    }

    private static string Ms(double ms) => QueryBench.Ms(ms);
}
