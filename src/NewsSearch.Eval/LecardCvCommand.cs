using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NewsSearch.Eval;

/// <summary>
/// <c>lecard-cv</c>: scores every ranking variant (and plain SmartCn BM25 for reference) on the LeCaRD queries through
/// the engine's Search, then cross-validates the choice among the variants over the committed folds: each fold is
/// scored by the variant with the best MAP on the other folds. The mean over held folds is what a setting chosen
/// this way can be expected to give on queries nobody tuned for; the all-queries figure of the best variant is not.
/// </summary>
public static class LecardCvCommand
{
    public sealed record Settings(string Docs, string Queries, string? Qrels, string? Folds, string? Variants, string? Index, bool Reuse, string? PerQuery);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static readonly IReadOnlyList<Metric<QueryMetrics>> Metrics =
        [new("P@5", m => m.P5), new("P@10", m => m.P10), new("MAP", m => m.AP)];

    public static int Run(Settings s)
    {
        var total = Stopwatch.StartNew();
        var inputs = LecardInputs.Read(s.Queries, s.Qrels, s.Folds, s.Variants);
        var (queries, _, folds, variants) = inputs;

        using var index = EvalIndex.OpenOrBuild(s.Docs, s.Index, s.Reuse, new StderrLoggerFactory());
        var failures = 0;
        Dictionary<string, QueryMetrics> ScoreAll(RankingVariant v)
        {
            var watch = Stopwatch.StartNew();
            index.Engine.Ranking = v.Settings;
            var scores = new Dictionary<string, QueryMetrics>(StringComparer.Ordinal);
            foreach (var q in queries)
            {
                var (ranking, _, error) = LecardCommand.RankPool(index.Engine, q);
                if (error is not null) failures++;
                scores[q.Id] = LecardMetrics.Score(ranking.Select(r => r.Id).ToList(), q.Judged, inputs.Grades(q.Id));
            }
            Console.Error.WriteLine(string.Create(Inv, $"  {v.Name}: MAP {scores.Values.Average(m => m.AP):F3} ({watch.Elapsed.TotalSeconds:F0} s)"));
            return scores;
        }

        var reference = (RankingVariants.Plain, (IReadOnlyDictionary<string, QueryMetrics>)ScoreAll(RankingVariants.Plain));
        var scores = variants.Select(v => (IReadOnlyDictionary<string, QueryMetrics>)ScoreAll(v)).ToList();
        index.Engine.Ranking = Engine.Querying.RankingSettings.Default;

        if (s.PerQuery is not null) WritePerQuery(s.PerQuery, queries, variants, scores);
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine($"LeCaRD — {queries.Count} queries, {index.Articles:N0} documents, {folds.Count}-fold cross-validation of {variants.Count} variants chosen by MAP");
        sb.AppendLine();
        sb.Append(CvReport.Write(variants, scores, folds.Cast<IReadOnlyList<string>>().ToList(), Metrics, Metrics[2], reference));
        sb.AppendLine();
        sb.AppendLine(Inv, $"Elapsed: index {(index.Reused ? "reused" : $"built in {index.BuildTime.TotalSeconds:F1} s")}, total {total.Elapsed.TotalSeconds:F0} s");
        sb.AppendLine(failures == 0 ? "All queries ran: no InvalidRequestException." : $"!! {failures} searches FAILED (scored as empty rankings)");
        Console.Write(sb.ToString());
        return failures > 0 ? 3 : 0;
    }

    private static void WritePerQuery(string path, List<LecardQuery> queries, List<RankingVariant> variants, List<IReadOnlyDictionary<string, QueryMetrics>> scores)
    {
        using var w = new StreamWriter(path, append: false, new UTF8Encoding(false));
        w.Write("qid\t" + string.Join("\t", variants.Select(v => "AP " + v.Name)) + "\n");
        foreach (var q in queries)
            w.Write(q.Id + "\t" + string.Join("\t", scores.Select(s => s[q.Id].AP.ToString("F4", Inv))) + "\n");
    }
}
