using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NewsSearch.Engine;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Eval;

/// <summary>
/// <c>near-duplicates</c>: how well index-time near-duplicate detection finds reprints. A generated set
/// (<see cref="NearDuplicateGenerator"/>: cctv articles, perturbed copies, unrelated articles on the same topic) is
/// indexed through the engine twice — in one pass (copies and originals in one shuffled file) and in two (the copies
/// in a later pass, found through the index) — and the pairs put in one cluster are scored against the true pairs
/// (an article and its copies, and copies of one article with each other): precision and recall. Then the real
/// corpus is indexed and its clusters of two or more articles counted, with examples.
/// </summary>
public static class NearDuplicatesCommand
{
    public sealed record Settings(string Corpus, int Sources, int Seed, string? Index, bool Reuse, int Examples);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(Settings s)
    {
        var corpus = CorpusReader.Read(s.Corpus).ToList();
        var set = NearDuplicateGenerator.Generate(corpus, s.Sources, s.Seed);
        var sources = set.Count(a => a.Changes == "original");
        var copies = set.Count(a => a.Id != a.Family);
        var distractors = set.Count(a => a.Changes.StartsWith("distractor", StringComparison.Ordinal));
        var truth = TruePairs(set);
        Console.Error.WriteLine($"generated {set.Count} articles: {sources} sources, {copies} copies, {distractors} distractors; {truth.Count} true pairs");

        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine(string.Create(Inv, $"## Near-duplicate detection — generated set (seed {s.Seed}): {sources} cctv articles, {copies} perturbed copies, {distractors} unrelated articles on the same topic"));
        sb.AppendLine();
        sb.AppendLine(string.Create(Inv, $"Rule: containment ≥ {NearDuplicateSignature.MinContainment} and Jaccard ≥ {NearDuplicateSignature.MinJaccard}, " +
            $"published at most {NearDuplicateDetector.MaxDaysApart} days apart " +
            $"(estimated from {NearDuplicateSignature.HashCount} MinHash values over {NearDuplicateSignature.ShingleLength}-character shingles of the folded body; " +
            $"candidates from {NearDuplicateSignature.BandCount} bands of {NearDuplicateSignature.RowsPerBand})."));
        sb.AppendLine();
        sb.AppendLine("| indexed as | predicted pairs | true pairs | found | precision | recall | time |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        var misses = new List<string>();
        foreach (var layout in new[] { "one pass, shuffled", "two passes, copies later" })
        {
            var watch = Stopwatch.StartNew();
            var clusters = IndexAndCluster(set, layout, s.Seed);
            var predicted = clusters.SelectMany(PairsOf).ToHashSet();
            var found = predicted.Count(truth.Contains);
            sb.AppendLine(string.Create(Inv, $"| {layout} | {predicted.Count:N0} | {truth.Count:N0} | {found:N0} | " +
                $"{Ratio(found, predicted.Count):F3} | {Ratio(found, truth.Count):F3} | {watch.Elapsed.TotalSeconds:F1} s |"));
            if (misses.Count == 0)
            {
                misses.AddRange(truth.Where(p => !predicted.Contains(p)).Take(s.Examples).Select(p => Describe("missed", p, set)));
                misses.AddRange(predicted.Where(p => !truth.Contains(p)).Take(s.Examples).Select(p => Describe("wrongly paired", p, set)));
            }
        }
        sb.AppendLine();
        sb.Append(Distributions(set));
        if (misses.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Errors (first pass layout):");
            sb.AppendLine();
            foreach (var m in misses) sb.AppendLine("- " + m);
        }

        sb.Append(RealCorpus(s, corpus));
        Console.WriteLine(sb.ToString());
        return 0;
    }

    private static double Ratio(int a, int b) => b == 0 ? 1 : (double)a / b;

    /// <summary>Pairs (ordinal order) of articles of the same family.</summary>
    private static HashSet<(string, string)> TruePairs(IReadOnlyList<GeneratedArticle> set) =>
        set.GroupBy(a => a.Family).SelectMany(g => PairsOf(g.Select(a => a.Id).ToList())).ToHashSet();

    private static IEnumerable<(string, string)> PairsOf(IReadOnlyList<string> ids)
    {
        var sorted = ids.Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < sorted.Count; i++)
            for (var j = i + 1; j < sorted.Count; j++)
                yield return (sorted[i], sorted[j]);
    }

    /// <summary>Indexes the set in a temporary engine and returns its clusters (ids), singletons included.</summary>
    private static List<IReadOnlyList<string>> IndexAndCluster(IReadOnlyList<GeneratedArticle> set, string layout, int seed)
    {
        var root = Path.Combine(Path.GetTempPath(), "newssearch-neardup-" + Guid.NewGuid().ToString("N")[..8]);
        var seeds = Path.Combine(root, "seeds");
        Directory.CreateDirectory(seeds);
        try
        {
            using var engine = new NewsSearchEngine(new SearchEngineOptions { SeedsPath = seeds, IndexPath = Path.Combine(root, "index") },
                new StderrLoggerFactory(Microsoft.Extensions.Logging.LogLevel.Warning));
            engine.Open();
            if (layout.StartsWith("one", StringComparison.Ordinal))
            {
                var random = new Random(seed);
                Write(Path.Combine(seeds, "all.jsonl"), set.OrderBy(_ => random.Next()));
                engine.SyncOnce();
            }
            else
            {
                Write(Path.Combine(seeds, "1-originals.jsonl"), set.Where(a => a.Id == a.Family));
                engine.SyncOnce();
                Write(Path.Combine(seeds, "2-copies.jsonl"), set.Where(a => a.Id != a.Family));
                engine.SyncOnce();
            }
            return engine.NearDuplicateClusters(minSize: 1).Select(c => c.Ids).ToList();
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
        }
    }

    private static void Write(string path, IEnumerable<GeneratedArticle> articles)
    {
        var json = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var w = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var a in articles)
        {
            var record = new Dictionary<string, string> { ["id"] = a.Id, ["title"] = a.Title, ["body"] = a.Body };
            if (a.Date.Length > 0) record["date"] = a.Date;
            w.Write(JsonSerializer.Serialize(record, json) + "\n");
        }
    }

    private static string Describe(string what, (string A, string B) pair, IReadOnlyList<GeneratedArticle> set)
    {
        var a = set.First(x => x.Id == pair.A);
        var b = set.First(x => x.Id == pair.B);
        var (j, c) = Similarity(a, b);
        return string.Create(Inv, $"{what}: {a.Id} ({a.Changes}) / {b.Id} ({b.Changes}): Jaccard {j:F2}, containment {c:F2}; 「{Short(a.Title)}」 / 「{Short(b.Title)}」");
    }

    private static (double Jaccard, double Containment) Similarity(GeneratedArticle a, GeneratedArticle b)
    {
        var x = NearDuplicateSignature.Of(a.Title, a.Body);
        var y = NearDuplicateSignature.Of(b.Title, b.Body);
        if (x is null || y is null) return (double.NaN, double.NaN);
        var j = x.Jaccard(y);
        return (j, x.Containment(y, j));
    }

    /// <summary>Estimated similarity of each copy to its source, and of each distractor to its source (text only: the
    /// date rule is left out).</summary>
    private static string Distributions(IReadOnlyList<GeneratedArticle> set)
    {
        var byId = set.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var copyPairs = set.Where(a => a.Id != a.Family).Select(a => Similarity(byId[a.Family], a)).ToList();
        var distractorPairs = set.Where(a => a.Changes.StartsWith("distractor of ", StringComparison.Ordinal))
            .Select(a => Similarity(byId[a.Changes["distractor of ".Length..]], a)).ToList();
        var sb = new StringBuilder();
        sb.AppendLine("Estimated similarity to the source (MinHash; text only, dates not considered), percentiles:");
        sb.AppendLine();
        sb.AppendLine("| pairs | n | Jaccard p5 / p50 / p95 | containment p5 / p50 / p95 | pass the rule |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var (name, pairs) in new[] { ("source – copy", copyPairs), ("source – distractor", distractorPairs) })
        {
            var js = pairs.Select(p => double.IsNaN(p.Jaccard) ? 0 : p.Jaccard).Order().ToList();
            var cs = pairs.Select(p => double.IsNaN(p.Containment) ? 0 : p.Containment).Order().ToList();
            var pass = pairs.Count(p => p.Jaccard >= NearDuplicateSignature.MinJaccard && p.Containment >= NearDuplicateSignature.MinContainment);
            sb.AppendLine(string.Create(Inv, $"| {name} | {pairs.Count} | {Pct(js, 0.05):F2} / {Pct(js, 0.5):F2} / {Pct(js, 0.95):F2} | " +
                $"{Pct(cs, 0.05):F2} / {Pct(cs, 0.5):F2} / {Pct(cs, 0.95):F2} | {pass} |"));
        }
        return sb.ToString();
    }

    private static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];

    private static string Short(string title) => title.Length <= 40 ? title : title[..40] + "…";

    /// <summary>Clusters of two or more articles in the real corpus, with examples (titles side by side).</summary>
    private static string RealCorpus(Settings s, IReadOnlyList<CorpusArticle> corpus)
    {
        var watch = Stopwatch.StartNew();
        var signed = corpus.Count(a => NearDuplicateSignature.Of(a.Title, a.Body) is not null);
        var signing = watch.Elapsed;
        using var index = EvalIndex.OpenOrBuild(s.Corpus, s.Index, s.Reuse, new StderrLoggerFactory());
        var clusters = index.Engine.NearDuplicateClusters(minSize: 2);
        var inClusters = clusters.Sum(c => c.Ids.Count);
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine(string.Create(Inv, $"## Near-duplicates in the real corpus ({Path.GetFileName(s.Corpus)}, {index.Articles:N0} articles)"));
        sb.AppendLine();
        sb.AppendLine("| figure | value |");
        sb.AppendLine("|---|---|");
        sb.AppendLine(string.Create(Inv, $"| clusters of 2 or more articles | {clusters.Count:N0} |"));
        sb.AppendLine(string.Create(Inv, $"| articles in them | {inClusters:N0} ({100.0 * inClusters / Math.Max(1, index.Articles):F1}%) |"));
        sb.AppendLine(string.Create(Inv, $"| copies a collapsed search can hide (articles − clusters) | {inClusters - clusters.Count:N0} |"));
        sb.AppendLine(string.Create(Inv, $"| sizes: 2 / 3–5 / 6 or more | {clusters.Count(c => c.Ids.Count == 2)} / {clusters.Count(c => c.Ids.Count is >= 3 and <= 5)} / {clusters.Count(c => c.Ids.Count >= 6)} |"));
        sb.AppendLine(string.Create(Inv, $"| largest cluster | {(clusters.Count == 0 ? 0 : clusters[0].Ids.Count)} |"));
        sb.AppendLine(string.Create(Inv, $"| articles long enough to compare | {signed:N0} of {corpus.Count:N0} |"));
        sb.AppendLine(string.Create(Inv, $"| signatures, one thread | {corpus.Count / signing.TotalSeconds:N0} articles/s ({signing.TotalMilliseconds / corpus.Count * 1000:F0} µs each) |"));
        sb.AppendLine();
        var random = new Random(s.Seed);
        var examples = clusters.Take(3).Concat(clusters.Skip(3).OrderBy(_ => random.Next()).Take(Math.Max(0, s.Examples - 3))).ToList();
        if (examples.Count == 0) return sb.ToString();
        sb.AppendLine("Examples (the largest three, then drawn at random): titles side by side, the cluster key's article first.");
        sb.AppendLine();
        sb.AppendLine("| size | titles |");
        sb.AppendLine("|---|---|");
        foreach (var c in examples)
        {
            var ids = c.Ids.OrderBy(id => id == c.Key ? 0 : 1).ThenBy(id => id, StringComparer.Ordinal).Take(3);
            var titles = ids.Select(id => $"{id}: {Short(Title(index.Engine, id))}");
            sb.AppendLine($"| {c.Ids.Count} | {string.Join(" ‖ ", titles)}{(c.Ids.Count > 3 ? " ‖ …" : "")} |");
        }
        return sb.ToString();
    }

    private static string Title(NewsSearchEngine engine, string id)
    {
        try { return engine.GetArticle(id).Title.Replace("|", "｜"); }
        catch (NewsSearch.Engine.Querying.ArticleNotFoundException) { return "(gone)"; }
    }
}
