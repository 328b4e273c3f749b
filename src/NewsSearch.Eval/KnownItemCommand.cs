using System.Diagnostics;
using System.Globalization;
using System.Text;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Eval;

/// <summary>
/// <c>known-item</c>: runs each known-item query (<see cref="KnownItemGenerator"/>) through the engine's Search over
/// the cctv corpus and finds its target's rank in the first 100 hits: mean reciprocal rank (0 beyond 100),
/// success@1 and success@10, for every ranking variant, cross-validated like <c>lecard-cv</c> (folds of target
/// articles, so the two queries of one article are always in the same fold; chosen by MRR).
/// </summary>
public static class KnownItemCommand
{
    public sealed record Settings(string Corpus, string? Queries, string? Variants, string? Index, bool Reuse, int Folds, int Seed);

    /// <summary>The seed of the folds of target articles.</summary>
    public const int FoldSeed = 20261126;

    public const int Depth = 100;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(Settings s)
    {
        var total = Stopwatch.StartNew();
        var queriesPath = s.Queries ?? KnownItemFile.DefaultPath;
        var queries = KnownItemFile.Read(queriesPath);
        var variants = RankingVariants.Read(s.Variants);
        var targetFolds = CrossValidation.Split(queries.Select(q => q.Target), s.Folds, s.Seed);
        var foldOf = targetFolds.SelectMany((f, i) => f.Select(t => (t, i))).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
        var folds = Enumerable.Range(0, s.Folds)
            .Select(i => (IReadOnlyList<string>)queries.Where(q => foldOf[q.Target] == i).Select(q => q.Id).ToList()).ToList();
        Console.Error.WriteLine($"{queries.Count} queries for {foldOf.Count} articles ({queriesPath}), {s.Folds} folds, {variants.Count} variants");

        using var index = EvalIndex.OpenOrBuild(s.Corpus, s.Index, s.Reuse, new StderrLoggerFactory());
        var failures = 0;
        var scores = new List<IReadOnlyDictionary<string, KnownItemScore>>();
        foreach (var v in variants)
        {
            var watch = Stopwatch.StartNew();
            index.Engine.Ranking = v.Settings;
            var perQuery = new Dictionary<string, KnownItemScore>(StringComparer.Ordinal);
            foreach (var q in queries)
            {
                List<string> ranking;
                try
                {
                    ranking = index.Engine.Search(new SearchRequest(q.Text, PageSize: Depth) { Collapse = false }).Hits.Select(h => h.Id).ToList();
                }
                catch (InvalidRequestException e)
                {
                    failures++;
                    Console.Error.WriteLine($"!! query {q.Id} ({q.Text}) FAILED: {e.Message}");
                    ranking = [];
                }
                perQuery[q.Id] = KnownItemMetrics.Score(ranking, q.Target);
            }
            scores.Add(perQuery);
            Console.Error.WriteLine(string.Create(Inv, $"  {v.Name}: MRR {perQuery.Values.Average(x => x.ReciprocalRank):F3} ({watch.Elapsed.TotalSeconds:F0} s)"));
        }
        index.Engine.Ranking = RankingSettings.Default;

        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine($"Known-item — {queries.Count} queries for {foldOf.Count} cctv articles, {index.Articles:N0} articles indexed; " +
                      $"MRR over the first {Depth} hits; {s.Folds}-fold cross-validation of {variants.Count} variants chosen by MRR");
        sb.AppendLine();
        sb.Append(CvReport.Write(variants, scores, folds, KnownItemMetrics.Metrics, KnownItemMetrics.Metrics[0], null));
        sb.AppendLine();
        sb.AppendLine("By kind of query (all queries of that kind):");
        sb.AppendLine();
        var kinds = queries.GroupBy(q => q.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        sb.AppendLine("| variant | " + string.Join(" | ", kinds.Select(k => $"{k.Key} MRR | {k.Key} success@10 | {k.Key} not in top {Depth}")) + " |");
        sb.AppendLine("|---|" + string.Concat(kinds.Select(_ => "---|---|---|")));
        for (var v = 0; v < variants.Count; v++)
        {
            var cells = kinds.Select(k =>
            {
                var ids = k.Select(q => q.Id).ToList();
                var missed = ids.Count(id => scores[v][id].Rank is null);
                return string.Create(Inv, $"{CrossValidation.Mean(scores[v], ids, x => x.ReciprocalRank):F3} | {CrossValidation.Mean(scores[v], ids, x => x.SuccessAt(10)):F3} | {missed}/{ids.Count}");
            });
            sb.AppendLine($"| {variants[v].Name} | {string.Join(" | ", cells)} |");
        }
        sb.AppendLine();
        sb.AppendLine(Inv, $"Elapsed: index {(index.Reused ? "reused" : $"built in {index.BuildTime.TotalSeconds:F1} s")}, total {total.Elapsed.TotalSeconds:F0} s");
        sb.AppendLine(failures == 0 ? "All queries ran: no InvalidRequestException." : $"!! {failures} searches FAILED (scored as not found)");
        Console.Write(sb.ToString());
        return failures > 0 ? 3 : 0;
    }
}
