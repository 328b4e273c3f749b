using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NewsSearch.Engine;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Eval;

/// <summary>
/// <c>lecard-related</c>: measures Related the way Search is measured. Each LeCaRD query's text is indexed as an
/// article of its own (id <c>query-&lt;qid&gt;</c>, beside the documents), and the query's pool is ranked twice: by
/// <see cref="NewsSearchEngine.Search"/> with the query text, and by <see cref="NewsSearchEngine.Related"/> from the
/// indexed copy (restricted to the pool; the copy itself is never a hit). P@5, P@10 and MAP of both, for every ranking
/// variant, with the choice among variants cross-validated over the committed folds as in <c>lecard-cv</c>.
/// </summary>
public static class LecardRelatedCommand
{
    public sealed record Settings(string Docs, string Queries, string? Qrels, string? Folds, string? Variants, string? Index, bool Reuse, string? PerQuery);

    /// <summary>The id a query's indexed copy gets.</summary>
    public static string CopyId(string queryId) => "query-" + queryId;

    private const string CopiesFile = "lecard-query-copies.jsonl";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(Settings s)
    {
        var total = Stopwatch.StartNew();
        var inputs = LecardInputs.Read(s.Queries, s.Qrels, s.Folds, s.Variants);
        var (queries, _, folds, variants) = inputs;
        var copies = WriteCopies(queries);
        EvalIndex index;
        try
        {
            index = EvalIndex.OpenOrBuild([s.Docs, copies], s.Index, s.Reuse, new StderrLoggerFactory());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(copies)!, recursive: true);
        }
        using var _ = index;
        var failures = 0;
        var relatedTime = TimeSpan.Zero;
        (Dictionary<string, QueryMetrics> Search, Dictionary<string, QueryMetrics> Related) ScoreAll(RankingVariant v)
        {
            var watch = Stopwatch.StartNew();
            index.Engine.Ranking = v.Settings;
            var search = new Dictionary<string, QueryMetrics>(StringComparer.Ordinal);
            var related = new Dictionary<string, QueryMetrics>(StringComparer.Ordinal);
            foreach (var q in queries)
            {
                var grades = inputs.Grades(q.Id);
                var (bySearch, _, searchError) = LecardCommand.RankPool(index.Engine, q);
                var relatedWatch = Stopwatch.StartNew();
                var (byRelated, relatedError) = RankPoolRelated(index.Engine, q);
                relatedTime += relatedWatch.Elapsed;
                if (searchError is not null) failures++;
                if (relatedError is not null) failures++;
                search[q.Id] = LecardMetrics.Score(bySearch.Select(r => r.Id).ToList(), q.Judged, grades);
                related[q.Id] = LecardMetrics.Score(byRelated.Select(r => r.Id).ToList(), q.Judged, grades);
            }
            Console.Error.WriteLine(string.Create(Inv,
                $"  {v.Name}: MAP search {search.Values.Average(m => m.AP):F3}, related {related.Values.Average(m => m.AP):F3} ({watch.Elapsed.TotalSeconds:F0} s)"));
            return (search, related);
        }

        var plain = ScoreAll(RankingVariants.Plain);
        var scored = variants.Select(ScoreAll).ToList();
        index.Engine.Ranking = RankingSettings.Default;
        var relatedCalls = (variants.Count + 1) * queries.Count;

        if (s.PerQuery is not null) WritePerQuery(s.PerQuery, queries, scored[0].Search, scored[0].Related);
        var metrics = LecardCvCommand.Metrics;
        var all = queries.Select(q => q.Id).ToList();
        string Row(string name, IReadOnlyDictionary<string, QueryMetrics> m) =>
            $"| {name} | {string.Join(" | ", metrics.Select(x => CrossValidation.Mean(m, all, x.Of).ToString("F3", Inv)))} |";
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine($"LeCaRD — {queries.Count} queries, each ranking its pool by Search (the query text) and by Related (from the query's " +
                      $"copy indexed as an article); {index.Articles:N0} documents including the {queries.Count} copies");
        sb.AppendLine();
        sb.AppendLine("| ranking of each pool | P@5 | P@10 | MAP |");
        sb.AppendLine("|---|---|---|---|");
        sb.AppendLine(Row("Search, default settings", scored[0].Search));
        sb.AppendLine(Row("**Related, default settings**", scored[0].Related));
        sb.AppendLine(Row("Search, plain SmartCn BM25 (reference)", plain.Search));
        sb.AppendLine(Row("Related, plain SmartCn BM25 (reference)", plain.Related));
        sb.AppendLine("| BM25 (paper) | 0.412 | 0.398 | 0.505 |");
        sb.AppendLine("| LMIR (paper) | 0.468 | 0.424 | 0.523 |");
        if (variants.Count > 1)
        {
            var folded = folds.Cast<IReadOnlyList<string>>().ToList();
            sb.AppendLine();
            sb.AppendLine($"Related, {folds.Count}-fold cross-validation of {variants.Count} variants chosen by MAP:");
            sb.AppendLine();
            sb.Append(CvReport.Write(variants, scored.Select(x => (IReadOnlyDictionary<string, QueryMetrics>)x.Related).ToList(), folded,
                metrics, metrics[2], (RankingVariants.Plain, plain.Related)));
            sb.AppendLine();
            sb.AppendLine("Search, the same variants and folds:");
            sb.AppendLine();
            sb.Append(CvReport.Write(variants, scored.Select(x => (IReadOnlyDictionary<string, QueryMetrics>)x.Search).ToList(), folded,
                metrics, metrics[2], (RankingVariants.Plain, plain.Search)));
        }
        else sb.AppendLine($"\nNothing tuned (default settings only): the cross-validated figures are the default's. Give --variants to choose among settings.");
        sb.AppendLine();
        sb.AppendLine(Inv, $"Related: {relatedTime.TotalMilliseconds / Math.Max(1, relatedCalls):F1} ms per query's pool on average. " +
                           $"Elapsed: index {(index.Reused ? "reused" : $"built in {index.BuildTime.TotalSeconds:F1} s")}, total {total.Elapsed.TotalSeconds:F0} s");
        sb.AppendLine(failures == 0 ? "All queries ran: no InvalidRequestException." : $"!! {failures} rankings FAILED (scored as empty rankings)");
        Console.Write(sb.ToString());
        return failures > 0 ? 3 : 0;
    }

    /// <summary>Writes each query's text as an article (no title, no date) to a new temporary folder.</summary>
    private static string WriteCopies(List<LecardQuery> queries)
    {
        var dir = Directory.CreateTempSubdirectory("newssearch-eval-copies-").FullName;
        var path = Path.Combine(dir, CopiesFile);
        using var w = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var q in queries)
            w.Write(JsonSerializer.Serialize(new { id = CopyId(q.Id), body = q.Text }) + "\n");
        return path;
    }

    /// <summary>Ranks <paramref name="q"/>'s pool by Related from its indexed copy. Related answers at most a page of
    /// <see cref="NewsSearchEngine.MaxPageSize"/>: the few pool documents beyond it are ranked by a second call over
    /// the rest of the pool, which scores each document as the first would (and lower than all it returned).</summary>
    internal static (List<LecardCommand.Ranked> Ranking, string? Error) RankPoolRelated(NewsSearchEngine engine, LecardQuery q)
    {
        var ranking = new List<LecardCommand.Ranked>();
        var rest = q.Pool.Distinct(StringComparer.Ordinal).ToList();
        try
        {
            while (rest.Count > 0)
            {
                var page = engine.Related(new RelatedRequest(CopyId(q.Id), PageSize: NewsSearchEngine.MaxPageSize) { Ids = rest });
                ranking.AddRange(page.Hits.Select(h => new LecardCommand.Ranked(h.Id, h.Score)));
                if (page.Hits.Count < NewsSearchEngine.MaxPageSize) break;
                var seen = page.Hits.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
                rest = rest.Where(id => !seen.Contains(id)).ToList();
            }
            return (ranking, null);
        }
        catch (Exception e) when (e is InvalidRequestException or ArticleNotFoundException)
        {
            Console.Error.WriteLine($"!! query {q.Id} FAILED in Related: {e.Message}");
            return ([], e.Message);
        }
    }

    private static void WritePerQuery(string path, List<LecardQuery> queries, Dictionary<string, QueryMetrics> search, Dictionary<string, QueryMetrics> related)
    {
        using var w = new StreamWriter(path, append: false, new UTF8Encoding(false));
        w.Write("qid\tAP search\tAP related\tP@10 search\tP@10 related\n");
        foreach (var q in queries)
            w.Write(string.Create(Inv, $"{q.Id}\t{search[q.Id].AP:F4}\t{related[q.Id].AP:F4}\t{search[q.Id].P10:F2}\t{related[q.Id].P10:F2}\n"));
    }
}
