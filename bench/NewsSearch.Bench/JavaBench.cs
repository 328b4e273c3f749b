using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NewsSearch.Engine.Analysis;

namespace NewsSearch.Bench;

/// <summary>
/// <c>java</c>: runs ../shared/bench/java-lucene/run.sh (Java Lucene 8, SmartChineseAnalyzer) on the cctv corpus and
/// sets its RESULT lines beside this engine's figures from the same session.
/// </summary>
public static class JavaBench
{
    public static Report? Run(BenchContext ctx, CorpusFigures? ours)
    {
        if (!ctx.CorpusPresent(BenchContext.CctvFile, "java")) return null;
        var report = new Report();
        var script = Path.GetFullPath(ctx.Get("java-script") ?? Path.Combine(ctx.RepoRoot, "..", "shared", "bench", "java-lucene", "run.sh"));
        if (!File.Exists(script))
        {
            Console.WriteLine($"SKIPPED java: {script} is absent.");
            report.Add("java", "status", $"skipped: {script} is absent");
            return report;
        }
        var threads = Environment.ProcessorCount;
        Console.Error.WriteLine($"[java] running {script} with {threads} threads (apt-get install of liblucene8-java on first use) …");
        var psi = new ProcessStartInfo(script) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = ctx.RepoRoot };
        psi.ArgumentList.Add(ctx.CorpusFile(BenchContext.CctvFile));
        psi.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
        var lines = new List<string>();
        var watch = Stopwatch.StartNew();
        using (var p = new Process { StartInfo = psi })
        {
            p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add("stderr: " + e.Data); };
            p.Start();
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (!p.WaitForExit(TimeSpan.FromMinutes(ctx.Int("java-timeout-min", 30))))
            {
                p.Kill(entireProcessTree: true);
                lines.Add("timed out");
            }
            p.WaitForExit();
            if (!p.HasExited || p.ExitCode != 0)
            {
                var why = string.Join("\n", lines.TakeLast(15));
                Console.WriteLine($"java: run.sh could not run (exit code {(p.HasExited ? p.ExitCode : -1)}); its last output:\n{why}");
                report.Add("java", "status", $"run.sh failed (exit code {(p.HasExited ? p.ExitCode : -1)}): {lines.LastOrDefault()}");
                return report;
            }
        }
        Console.Error.WriteLine($"[java] done in {watch.Elapsed.TotalSeconds:F0} s");
        var results = lines.Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).Select(Fields).ToList();
        double Get(string mode, Func<Dictionary<string, string>, bool> where, string key) =>
            results.Where(r => r["mode"] == mode && where(r)).Select(r => double.Parse(r[key], CultureInfo.InvariantCulture)).DefaultIfEmpty(double.NaN).Last();
        var javaIndexWarm = Stats.Median(results.Where(r => r["mode"] == "index" && r["iter"] != "0").Select(r => double.Parse(r["docs_per_s"], CultureInfo.InvariantCulture)));
        var javaIndexCold = Get("index", r => r["iter"] == "0", "docs_per_s");
        var javaIndexSize = Get("index", _ => true, "size_bytes");
        var java1 = Get("analyze", r => r["threads"] == "1", "docs_per_s");
        var javaN = Get("analyze", r => r["threads"] == threads.ToString(CultureInfo.InvariantCulture), "docs_per_s");
        var javaQps = Get("query", _ => true, "qps");
        var javaP50 = Get("query", _ => true, "p50_ms");
        var javaP99 = Get("query", _ => true, "p99_ms");

        Console.Error.WriteLine("[java] this engine's figures on the same corpus, same session …");
        ours ??= IndexBench.RunCorpus(ctx, "cctv", BenchContext.CctvFile, withQueries: true);
        var corpus = Corpus.Read(ctx.CorpusFile(BenchContext.CctvFile)).ToList();
        var articles = corpus.Select(a => (a.Title, a.Body)).ToList();
        var analyzer = new ChineseAnalyzer(UserDictionary.Of());
        IndexBench.Analyze(analyzer, articles.Take(500).ToList(), 1, IndexBench.WordFields);
        var words1 = IndexBench.Analyze(analyzer, articles, 1, IndexBench.WordFields);
        var wordsN = IndexBench.Analyze(analyzer, articles, threads, IndexBench.WordFields);
        var q = ours.Index.Queries;
        Console.Error.WriteLine("[java] this engine's analyzer on Java's own indexing workload …");
        var javasSchema = IndexBench.IndexJavasSchema(corpus, threads, rounds: 3);
        var javasSchemaWarm = Stats.Median(javasSchema.Skip(1));

        string R(double a, double b) => Report.N(a / b, 2);
        Report.Table($"Java Lucene 8 (run.sh) beside this engine, cctv corpus, same session, {threads} cores",
            ["figure", "Java Lucene 8", "this engine", "engine ÷ Java"],
            [
                ["analysis, title+body words only, 1 thread (articles/s)", Report.N(java1), Report.N(words1.ArticlesPerSec), R(words1.ArticlesPerSec, java1)],
                [$"analysis, title+body words only, {threads} threads", Report.N(javaN), Report.N(wordsN.ArticlesPerSec), R(wordsN.ArticlesPerSec, javaN)],
                ["analysis, the index's 4 fields (+ title_g, body_g), 1 thread", "—", Report.N(ours.One.ArticlesPerSec), R(ours.One.ArticlesPerSec, java1)],
                [$"analysis, the index's 4 fields, {threads} threads", "—", Report.N(ours.All.ArticlesPerSec), R(ours.All.ArticlesPerSec, javaN)],
                [$"indexing, {threads} threads, warm (articles/s; median of the later rounds in one process)", Report.N(javaIndexWarm), Report.N(ours.Index.BestArticlesPerSec), R(ours.Index.BestArticlesPerSec, javaIndexWarm)],
                [$"indexing, {threads} threads, cold (first round of a fresh process)", Report.N(javaIndexCold), Report.N(ours.Index.ArticlesPerSec), R(ours.Index.ArticlesPerSec, javaIndexCold)],
                [$"indexing Java's workload (its 2 word fields, no offsets, corpus preloaded), {threads} threads, warm", Report.N(javaIndexWarm), Report.N(javasSchemaWarm), R(javasSchemaWarm, javaIndexWarm)],
                [$"indexing Java's workload, {threads} threads, cold", Report.N(javaIndexCold), Report.N(javasSchema[0]), R(javasSchema[0], javaIndexCold)],
                ["index size", Report.Mb((long)javaIndexSize), Report.Mb(ours.Index.IndexBytes), R(ours.Index.IndexBytes, javaIndexSize)],
                ["in-process queries, 1 thread (q/s)", Report.N(javaQps), Report.N(q?.Qps ?? double.NaN), R(q?.Qps ?? double.NaN, javaQps)],
                ["in-process query p50", Report.N(javaP50, 3) + " ms", Report.N(q?.P50Ms ?? double.NaN, 3) + " ms", R(q?.P50Ms ?? double.NaN, javaP50)],
                ["in-process query p99", Report.N(javaP99, 3) + " ms", Report.N(q?.P99Ms ?? double.NaN, 3) + " ms", R(q?.P99Ms ?? double.NaN, javaP99)],
            ]);
        Console.WriteLine("Java: RESULT lines of run.sh:");
        foreach (var l in lines.Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal))) Console.WriteLine("    " + l);
        Console.WriteLine("Differences: the engine indexes 4 analysed fields (words, and a gram per character with positions; no offsets) against Java's 2; " +
            "its queries are OR-of-views with phrase queries on the gram fields, sorted, with stored fields and snippets for each hit; Java's count hits only.");

        report.Add("java", "analysis words-only 1 thread: Java / engine (articles/s)", $"{Report.N(java1)} / {Report.N(words1.ArticlesPerSec)}");
        report.Add("java", $"indexing {threads} threads, warm: Java / engine (articles/s)", $"{Report.N(javaIndexWarm)} / {Report.N(ours.Index.BestArticlesPerSec)}");
        report.Add("java", $"indexing {threads} threads, cold: Java / engine (articles/s)", $"{Report.N(javaIndexCold)} / {Report.N(ours.Index.ArticlesPerSec)}");
        report.Add("java", $"indexing Java's workload {threads} threads, warm: Java / engine's analyzer (articles/s)", $"{Report.N(javaIndexWarm)} / {Report.N(javasSchemaWarm)}");
        report.Add("java", "in-process q/s, p99: Java / engine", $"{Report.N(javaQps)}, {Report.N(javaP99, 2)} ms / {Report.N(q?.Qps ?? double.NaN)}, {Report.N(q?.P99Ms ?? double.NaN, 2)} ms");
        return report;
    }

    private static Dictionary<string, string> Fields(string line) =>
        Regex.Matches(line, @"(\w+)=(\S+)").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
}
