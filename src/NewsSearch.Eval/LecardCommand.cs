using System.Diagnostics;
using System.Globalization;
using System.Text;
using NewsSearch.Engine;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Eval;

/// <summary>
/// <c>lecard</c>: ranks each query's pool through <see cref="NewsSearchEngine.Search"/> — the path the gRPC Search
/// call takes — writes a TREC run and prints P@5, P@10 and MAP beside the paper's baselines. The query text is
/// passed exactly as it is in the queries file.
/// </summary>
public static class LecardCommand
{
    public sealed record Settings(string Docs, string Queries, string Run, string? Qrels, string? Index, bool Reuse, string Tag, string? PerQuery);

    internal sealed record Ranked(string Id, float Score);

    private sealed record Outcome(LecardQuery Query, List<Ranked> Ranking, long TotalHits, QueryMetrics Metrics, string? Error, TimeSpan Elapsed);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(Settings s)
    {
        var total = Stopwatch.StartNew();
        var qrelsPath = s.Qrels ?? LecardData.InferQrels(s.Queries);
        var queries = LecardData.ReadQueries(s.Queries);
        var qrels = LecardData.ReadQrels(qrelsPath);
        Console.Error.WriteLine($"{queries.Count} queries from {s.Queries}; qrels {qrelsPath}");

        using var index = EvalIndex.OpenOrBuild(s.Docs, s.Index, s.Reuse, new StderrLoggerFactory());
        var engine = index.Engine;

        var searchWatch = Stopwatch.StartNew();
        var outcomes = new List<Outcome>();
        foreach (var q in queries)
        {
            var grades = qrels.TryGetValue(q.Id, out var g) ? g : new Dictionary<string, int>();
            var watch = Stopwatch.StartNew();
            var (ranking, totalHits, error) = RankPool(engine, q);
            var metrics = LecardMetrics.Score(ranking.Select(r => r.Id).ToList(), q.Judged, grades);
            outcomes.Add(new Outcome(q, ranking, totalHits, metrics, error, watch.Elapsed));
        }
        searchWatch.Stop();

        WriteRun(s.Run, s.Tag, outcomes);
        if (s.PerQuery is not null) WritePerQuery(s.PerQuery, outcomes);

        var all = LecardMetrics.Summarize(outcomes.Select(o => o.Metrics).ToList());
        var ok = outcomes.Where(o => o.Error is null).ToList();
        var okSummary = LecardMetrics.Summarize(ok.Select(o => o.Metrics).ToList());
        var failed = outcomes.Where(o => o.Error is not null).ToList();

        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine($"LeCaRD — {queries.Count} queries, {index.Articles:N0} documents indexed, run '{s.Tag}' written to {Path.GetFullPath(s.Run)}");
        sb.AppendLine();
        sb.AppendLine("| system | P@5 | P@10 | MAP |");
        sb.AppendLine("|---|---|---|---|");
        sb.AppendLine(Inv, $"| NewsSearch ({s.Tag}), all {all.Queries} queries | {all.P5:F3} | {all.P10:F3} | {all.MAP:F3} |");
        if (failed.Count > 0)
            sb.AppendLine(Inv, $"| NewsSearch, {okSummary.Queries} queries that ran | {okSummary.P5:F3} | {okSummary.P10:F3} | {okSummary.MAP:F3} |");
        sb.AppendLine("| BM25 (paper) | 0.412 | 0.398 | 0.505 |");
        sb.AppendLine("| LMIR (paper) | 0.468 | 0.424 | 0.523 |");
        sb.AppendLine();
        sb.AppendLine(Inv, $"MAP with AP divided by relevant ids actually ranked (instead of relevant judged ids): {all.MAPRetrievedOnly:F3}");
        var pool = outcomes.Sum(o => o.Query.Pool.Count);
        var ranked = outcomes.Sum(o => o.Ranking.Count);
        var judged = outcomes.Sum(o => o.Metrics.Judged);
        var kept = outcomes.Sum(o => o.Metrics.Kept);
        var relJudged = outcomes.Sum(o => o.Metrics.RelevantJudged);
        var relKept = outcomes.Sum(o => o.Metrics.RelevantKept);
        sb.AppendLine(Inv, $"Pool coverage: {ranked}/{pool} pool documents ranked ({100.0 * ranked / Math.Max(1, pool):F1}%), judged {kept}/{judged}, relevant {relKept}/{relJudged}; " +
                           $"{outcomes.Count(o => o.Metrics.RelevantJudged == 0)} queries have no relevant judged id.");
        var short_ = outcomes.Where(o => o.Error is null && o.Ranking.Count < o.Query.Pool.Count).ToList();
        if (short_.Count > 0)
            sb.AppendLine($"Queries that did not rank their whole pool: {short_.Count} (" +
                          string.Join(", ", short_.Select(o => $"{o.Query.Id}: {o.Ranking.Count}/{o.Query.Pool.Count}")) + ")");
        sb.AppendLine(Inv, $"Elapsed: index {(index.Reused ? "reused" : $"built in {index.BuildTime.TotalSeconds:F1} s")}, " +
                           $"searches {searchWatch.Elapsed.TotalSeconds:F2} s ({searchWatch.Elapsed.TotalMilliseconds / Math.Max(1, queries.Count):F0} ms/query), total {total.Elapsed.TotalSeconds:F1} s");
        if (failed.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"!! {failed.Count} of {queries.Count} queries FAILED in Search (scored as an empty ranking above):");
            foreach (var f in failed) sb.AppendLine($"!!   query {f.Query.Id}: {f.Error}");
        }
        else sb.AppendLine("All queries ran: no InvalidRequestException.");
        Console.Write(sb.ToString());
        return failed.Count > 0 ? 3 : 0;
    }

    /// <summary>Ranks <paramref name="q"/>'s pool through <see cref="NewsSearchEngine.Search"/>, page by page; a query
    /// the engine refuses is an empty ranking with the reason.</summary>
    internal static (List<Ranked> Ranking, long TotalHits, string? Error) RankPool(NewsSearchEngine engine, LecardQuery q)
    {
        var ranking = new List<Ranked>();
        long totalHits = 0;
        try
        {
            var token = "";
            do
            {
                var page = engine.Search(new SearchRequest(Query: q.Text, PageSize: 100, PageToken: token, Ids: q.Pool));
                totalHits = page.TotalHits;
                ranking.AddRange(page.Hits.Select(h => new Ranked(h.Id, h.Score)));
                token = page.NextPageToken;
            } while (token.Length > 0 && ranking.Count < q.Pool.Count * 2);
            return (ranking, totalHits, null);
        }
        catch (InvalidRequestException e)
        {
            var error = $"InvalidRequestException(field={e.Field}): {e.Message}";
            Console.Error.WriteLine($"!! query {q.Id} FAILED: {error}");
            return ([], totalHits, error);
        }
    }

    private static void WriteRun(string path, string tag, List<Outcome> outcomes)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using var w = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var o in outcomes)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var rank = 0;
            foreach (var r in o.Ranking)
            {
                if (!seen.Add(r.Id)) continue;
                w.Write(string.Create(Inv, $"{o.Query.Id} Q0 {r.Id} {++rank} {r.Score:G6} {tag}\n"));
            }
        }
    }

    private static void WritePerQuery(string path, List<Outcome> outcomes)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using var w = new StreamWriter(path, append: false, new UTF8Encoding(false));
        w.Write("qid\tAP\tAP_retrieved_only\tP@5\tP@10\tranked\tpool\ttotal_hits\tjudged_kept\tjudged\trelevant_kept\trelevant_judged\tms\terror\n");
        foreach (var o in outcomes)
        {
            var m = o.Metrics;
            w.Write(string.Create(Inv,
                $"{o.Query.Id}\t{m.AP:F4}\t{m.APRetrievedOnly:F4}\t{m.P5:F2}\t{m.P10:F2}\t{o.Ranking.Count}\t{o.Query.Pool.Count}\t{o.TotalHits}\t{m.Kept}\t{m.Judged}\t{m.RelevantKept}\t{m.RelevantJudged}\t{o.Elapsed.TotalMilliseconds:F0}\t{o.Error?.Replace('\t', ' ').Replace('\n', ' ') ?? ""}\n"));
        }
    }
}
