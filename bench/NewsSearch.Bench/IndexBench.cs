using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Engine;
using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Ingestion;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Bench;

/// <summary>What the indexing child process measured for one corpus.</summary>
/// <remarks><c>IndexSecs</c> is the first (cold: JIT, dictionaries' first use) round; <c>WarmIndexSecs</c> the median of
/// the later rounds in the same process, as Java's reference reports its later iterations.</remarks>
public sealed record ChildResult(string Corpus, int Articles, long Utf8Bytes, int Threads, double DictionaryLoadSecs,
    double IndexSecs, double? WarmIndexSecs, long PeakRssKb, long IndexBytes, InProcessQueries? Queries)
{
    public double ArticlesPerSec => Articles / IndexSecs;
    public double MBPerSec => Utf8Bytes / 1e6 / IndexSecs;
    public double? WarmArticlesPerSec => Articles / WarmIndexSecs;
    /// <summary>The warm figure when there is one, else the cold one.</summary>
    public double BestArticlesPerSec => WarmArticlesPerSec ?? ArticlesPerSec;
}

/// <summary>Single-threaded in-process searches (the Java reference's query mode, with our full Search path).</summary>
public sealed record InProcessQueries(int Queries, double Qps, double P50Ms, double P99Ms, double MeanMs, long HitSum);

public sealed record AnalysisFigures(int Threads, int Articles, long Utf8Bytes, long Tokens, double Secs)
{
    public double ArticlesPerSec => Articles / Secs;
    public double MBPerSec => Utf8Bytes / 1e6 / Secs;
}

public sealed record CorpusFigures(string Name, ChildResult Index, AnalysisFigures One, AnalysisFigures All);

/// <summary>
/// <c>index</c>: from-scratch indexing per corpus in a child process (so VmHWM is per corpus), then analysis-only
/// throughput of the index's own token streams (the 4 analysed fields) with 1 thread and all cores.
/// </summary>
public static class IndexBench
{
    public static readonly string[] IndexedFields = [ArticleFields.Title, ArticleFields.Body, ArticleFields.TitleGrams, ArticleFields.BodyGrams];
    public static readonly string[] WordFields = [ArticleFields.Title, ArticleFields.Body];

    public static (Report Report, List<CorpusFigures> Figures) Run(BenchContext ctx)
    {
        var report = new Report();
        var figures = new List<CorpusFigures>();
        var wanted = (ctx.Get("corpora") ?? "cctv,lecard").Split(',');
        foreach (var (name, file) in new[] { ("cctv", BenchContext.CctvFile), ("lecard", BenchContext.LecardFile) })
        {
            if (!wanted.Contains(name) || !ctx.CorpusPresent(file, $"index {name}")) continue;
            figures.Add(RunCorpus(ctx, name, file, withQueries: name == "cctv"));
        }
        if (figures.Count == 0) return (report, figures);

        Report.Table($"Indexing from scratch ({Environment.ProcessorCount} cores; engine Rebuild, IndexingThreads = all cores, one child process per corpus)",
            ["corpus", "articles", "title+body UTF-8", "time (cold)", "articles/s cold", "MB/s cold", "articles/s warm (median of later rounds)", "peak RSS (VmHWM)", "index on disk", "index / text"],
            figures.Select(f => new[]
            {
                f.Name, Report.N(f.Index.Articles), Report.Mb(f.Index.Utf8Bytes), Report.N(f.Index.IndexSecs, 1) + " s",
                Report.N(f.Index.ArticlesPerSec), Report.N(f.Index.MBPerSec, 2),
                f.Index.WarmArticlesPerSec is { } warm ? Report.N(warm) : "—", Report.Mb(f.Index.PeakRssKb * 1024),
                Report.Mb(f.Index.IndexBytes), Report.N((double)f.Index.IndexBytes / f.Index.Utf8Bytes, 2) + "×",
            }));
        Report.Table("Analysis only (ChineseAnalyzer token streams of title, body, title_g, body_g; nothing indexed)",
            ["corpus", "threads", "articles/s", "MB/s", "tokens", "indexing (warm if measured) ÷ analysis (all cores)"],
            figures.SelectMany(f => new[]
            {
                new[] { f.Name, "1", Report.N(f.One.ArticlesPerSec), Report.N(f.One.MBPerSec, 2), Report.N(f.One.Tokens), "" },
                [f.Name, f.All.Threads.ToString(), Report.N(f.All.ArticlesPerSec), Report.N(f.All.MBPerSec, 2), Report.N(f.All.Tokens),
                    Report.N(f.Index.BestArticlesPerSec / f.All.ArticlesPerSec, 2)],
            }));
        if (figures.FirstOrDefault(f => f.Index.Queries is not null) is { Index.Queries: { } q } withQ)
            Report.Table($"In-process searches on the fresh {withQ.Name} index (1 thread, NewsSearchEngine.Search, page size 10, snippets included)",
                ["queries", "q/s", "p50", "p99", "mean"],
                [[Report.N(q.Queries), Report.N(q.Qps), Report.N(q.P50Ms, 2) + " ms", Report.N(q.P99Ms, 2) + " ms", Report.N(q.MeanMs, 2) + " ms"]]);

        foreach (var f in figures)
        {
            report.Add($"index {f.Name}", "indexing articles/s cold (MB/s)", $"{Report.N(f.Index.ArticlesPerSec)} ({Report.N(f.Index.MBPerSec, 2)})");
            if (f.Index.WarmArticlesPerSec is { } warm) report.Add($"index {f.Name}", "indexing articles/s warm", Report.N(warm));
            report.Add($"index {f.Name}", "peak RSS / index size", $"{Report.Mb(f.Index.PeakRssKb * 1024)} / {Report.Mb(f.Index.IndexBytes)}");
            report.Add($"index {f.Name}", "analysis articles/s, 1 thread", Report.N(f.One.ArticlesPerSec));
            report.Add($"index {f.Name}", $"analysis articles/s, {f.All.Threads} threads", Report.N(f.All.ArticlesPerSec));
            report.Add($"index {f.Name}", "indexing ÷ analysis (all cores)", Report.N(f.Index.BestArticlesPerSec / f.All.ArticlesPerSec, 2));
        }
        return (report, figures);
    }

    public static CorpusFigures RunCorpus(BenchContext ctx, string name, string relativeFile, bool withQueries)
    {
        Console.Error.WriteLine($"[index] indexing {name} in a child process …");
        var child = RunChild(ctx, name, ctx.CorpusFile(relativeFile), withQueries);
        Console.Error.WriteLine($"[index] analysis-only passes over {name} …");
        var articles = Corpus.Read(ctx.CorpusFile(relativeFile)).Select(a => (a.Title, a.Body)).ToList();
        var analyzer = new ChineseAnalyzer(UserDictionary.Of());
        Analyze(analyzer, articles.Take(500).ToList(), 1, IndexedFields); // loads the SmartCn dictionaries, JIT warm-up
        var one = Analyze(analyzer, articles, 1, IndexedFields);
        var all = Analyze(analyzer, articles, Environment.ProcessorCount, IndexedFields);
        return new CorpusFigures(name, child, one, all);
    }

    private static ChildResult RunChild(BenchContext ctx, string name, string file, bool withQueries)
    {
        var psi = ctx.Self("index-child", "--name", name, "--file", file, "--rounds", ctx.Get("rounds") ?? (withQueries ? "3" : "1"));
        if (withQueries) psi.ArgumentList.Add("--queries");
        if (ctx.Get("ram-mb") is { } ram) { psi.ArgumentList.Add("--ram-mb"); psi.ArgumentList.Add(ram); }
        using var p = Process.Start(psi)!;
        ChildResult? result = null;
        while (p.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("CHILD-RESULT ", StringComparison.Ordinal))
                result = JsonSerializer.Deserialize<ChildResult>(line["CHILD-RESULT ".Length..]);
        }
        if (!p.WaitForExit(TimeSpan.FromMinutes(ctx.Int("timeout-min", 60)))) { p.Kill(true); throw new TimeoutException("indexing child timed out"); }
        return result ?? throw new InvalidOperationException($"indexing child for {name} failed (exit code {p.ExitCode})");
    }

    /// <summary>The hidden <c>index-child</c> command: one from-scratch index of one corpus, figures as JSON on stdout.</summary>
    public static int Child(BenchContext ctx)
    {
        var file = Path.GetFullPath(ctx.Require("file"));
        using var tmp = new TempDir("index", ctx.Flag("keep"));
        var seeds = Corpus.LinkedSeeds(tmp, file);
        var options = new SearchEngineOptions { SeedsPath = seeds, IndexPath = tmp.Sub("index"), IndexingThreads = ctx.Int("threads", 0) };
        if (ctx.Get("ram-mb") is { } ram) options.RamBufferMb = double.Parse(ram, System.Globalization.CultureInfo.InvariantCulture);

        var watch = Stopwatch.StartNew();
        new TextSegmenter(UserDictionary.Of()).Segment("中华人民共和国成立", SegmentMode.Words, false, []); // SmartCn dictionaries
        var dictionarySecs = watch.Elapsed.TotalSeconds;
        var rounds = new List<double>();
        SyncResult sync;
        do
        {
            // Every round builds a fresh index of its own; the last one stays for the searches below.
            if (rounds.Count > 0) options.IndexPath = tmp.Sub($"index-{rounds.Count}");
            watch.Restart();
            (sync, _) = NewsSearchEngine.Rebuild(options, NullLoggerFactory.Instance);
            rounds.Add(watch.Elapsed.TotalSeconds);
            Console.Error.WriteLine($"[index] {ctx.Get("name")} round {rounds.Count}: {sync.ArticlesIndexed / rounds[^1]:N0} articles/s");
        } while (rounds.Count < ctx.Int("rounds", 1));
        var indexSecs = rounds[0];
        double? warmSecs = rounds.Count > 1 ? rounds.Skip(1).Order().ElementAt((rounds.Count - 1) / 2) : null;
        var peak = Proc.StatusKb(Environment.ProcessId, "VmHWM");
        var indexBytes = Proc.DirBytes(options.IndexPath);

        long bytes = 0;
        var titles = new List<string>();
        foreach (var a in Corpus.Read(file))
        {
            bytes += Encoding.UTF8.GetByteCount(a.Title) + Encoding.UTF8.GetByteCount(a.Body);
            titles.Add(a.Title);
        }
        var queries = ctx.Flag("queries") ? InProcessSearches(options, titles) : null;
        var threads = options.IndexingThreads > 0 ? options.IndexingThreads : Environment.ProcessorCount;
        var result = new ChildResult(ctx.Get("name") ?? file, sync.ArticlesIndexed, bytes, threads, dictionarySecs, indexSecs, warmSecs, peak, indexBytes, queries);
        Console.WriteLine("CHILD-RESULT " + JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>
    /// Java's reference workload with this engine's analyzer: the same documents as its Bench.java (id, stored title and
    /// body analysed as words, with positions but no offsets, a date point and doc value), the corpus preloaded, added
    /// with <paramref name="threads"/> threads to a fresh index per round under a 256 MB buffer. Returns articles/s of
    /// every round (the first one cold). The engine's own schema adds the two grams fields and offsets.
    /// </summary>
    public static List<double> IndexJavasSchema(IReadOnlyList<Article> articles, int threads, int rounds)
    {
        var analyzer = new ChineseAnalyzer(UserDictionary.Of());
        var perSecond = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            using var tmp = new TempDir("javas-schema");
            var watch = Stopwatch.StartNew();
            using (var dir = new Lucene.Net.Store.NIOFSDirectory(new DirectoryInfo(tmp.Path)))
            using (var writer = new IndexWriter(dir, new IndexWriterConfig(Lucene.Net.Util.LuceneVersion.LUCENE_48, analyzer)
                   {
                       OpenMode = OpenMode.CREATE,
                       RAMBufferSizeMB = 256,
                       Similarity = new Lucene.Net.Search.Similarities.BM25Similarity(),
                   }))
            {
                var workers = Enumerable.Range(0, threads).Select(tid => new Thread(() =>
                {
                    for (var i = tid; i < articles.Count; i += threads)
                    {
                        var a = articles[i];
                        var date = a.Published?.ToUnixTimeMilliseconds() ?? 0;
                        writer.AddDocument(new Document
                        {
                            new StringField("id", a.Id, Field.Store.YES),
                            new TextField(ArticleFields.Title, a.Title, Field.Store.YES),
                            new TextField(ArticleFields.Body, a.Body, Field.Store.YES),
                            new Int64Field("date", date, Field.Store.NO),
                            new NumericDocValuesField("date_dv", date),
                        });
                    }
                })).ToList();
                workers.ForEach(t => t.Start());
                workers.ForEach(t => t.Join());
                writer.Commit();
            }
            perSecond.Add(articles.Count / watch.Elapsed.TotalSeconds);
        }
        return perSecond;
    }

    /// <summary>Runs the token streams the index runs for every article, on <paramref name="threads"/> threads.</summary>
    public static AnalysisFigures Analyze(Analyzer analyzer, IReadOnlyList<(string Title, string Body)> articles, int threads, string[] fields)
    {
        var next = -1;
        long tokens = 0, bytes = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            long n = 0, b = 0;
            int i;
            while ((i = Interlocked.Increment(ref next)) < articles.Count)
            {
                var (title, body) = articles[i];
                foreach (var field in fields) n += Consume(analyzer, field, field.StartsWith(ArticleFields.Title, StringComparison.Ordinal) ? title : body);
                b += Encoding.UTF8.GetByteCount(title) + Encoding.UTF8.GetByteCount(body);
            }
            Interlocked.Add(ref tokens, n);
            Interlocked.Add(ref bytes, b);
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        return new AnalysisFigures(threads, articles.Count, bytes, tokens, watch.Elapsed.TotalSeconds);
    }

    private static long Consume(Analyzer analyzer, string field, string text)
    {
        using var stream = analyzer.GetTokenStream(field, text);
        stream.Reset();
        long n = 0;
        while (stream.IncrementToken()) n++;
        stream.End();
        return n;
    }

    /// <summary>1,000 queries of 1-3 title words with a random 1-12 month date filter (as the Java reference), relevance order.</summary>
    private static InProcessQueries InProcessSearches(SearchEngineOptions options, List<string> titles)
    {
        using var engine = new NewsSearchEngine(options, NullLoggerFactory.Instance);
        engine.Open();
        var rnd = new Random(42);
        var segmenter = new TextSegmenter(UserDictionary.Of());
        var requests = new List<SearchRequest>();
        DateOnly min = new(2022, 1, 1), max = new(2026, 8, 21);
        while (requests.Count < 1000)
        {
            if (QueryMix.PickWords(titles[rnd.Next(titles.Count)], rnd, segmenter) is not { } words) continue;
            var start = min.AddDays(rnd.Next(max.DayNumber - min.DayNumber + 1));
            var end = start.AddMonths(1 + rnd.Next(12)).AddDays(-1);
            requests.Add(new SearchRequest(words, start.ToString("yyyy-MM-dd"), end.ToString("yyyy-MM-dd"), 10));
        }
        const int warm = 2, rounds = 3;
        var latencies = new List<double>();
        long hits = 0;
        for (var round = 0; round < warm + rounds; round++)
        {
            foreach (var r in requests)
            {
                var t0 = Stopwatch.GetTimestamp();
                var result = engine.Search(r);
                if (round < warm) continue;
                latencies.Add(Stats.Ms(t0));
                hits += result.TotalHits;
            }
        }
        latencies.Sort();
        return new InProcessQueries(latencies.Count, latencies.Count / (latencies.Sum() / 1000), Stats.Pct(latencies, 0.5),
            Stats.Pct(latencies, 0.99), latencies.Average(), hits);
    }
}
