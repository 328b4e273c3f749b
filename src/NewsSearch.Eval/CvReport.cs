using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NewsSearch.Eval;

/// <summary>A metric of per-query scores of type <typeparamref name="T"/>, averaged over queries.</summary>
public sealed record Metric<T>(string Name, Func<T, double> Of);

/// <summary>A committed split of query keys into folds (<c>folds.json</c>), and the generator that wrote it.</summary>
public static class FoldsFile
{
    /// <summary>Where <c>dotnet run --project src/NewsSearch.Eval</c> finds the committed split (copied beside the program).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "folds.json");

    public static List<List<string>> Read(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new FormatException($"{path}: not a JSON object");
        return root["folds"]?.AsArray().Select(f => f!.AsArray().Select(id => id!.GetValue<string>()).ToList()).ToList()
               ?? throw new FormatException($"{path}: no 'folds' array");
    }

    public static void Write(string path, string source, int seed, List<List<string>> folds)
    {
        var root = new JsonObject
        {
            ["about"] = "Cross-validation folds of query ids, written by `NewsSearch.Eval folds`; do not edit by hand.",
            ["source"] = source,
            ["seed"] = seed,
            ["folds"] = new JsonArray(folds.Select(f => (JsonNode)new JsonArray(f.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray())).ToArray()),
        };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    /// <summary>Checks that the folds hold every query key exactly once and nothing else.</summary>
    public static void CheckCovers(IReadOnlyList<IReadOnlyList<string>> folds, IReadOnlyCollection<string> keys, string what)
    {
        var inFolds = folds.SelectMany(f => f).ToList();
        var dup = inFolds.GroupBy(k => k).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new UsageException($"{what}: '{dup.Key}' is in more than one fold");
        var set = inFolds.ToHashSet(StringComparer.Ordinal);
        var missing = keys.Where(k => !set.Contains(k)).ToList();
        var extra = set.Except(keys, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new UsageException($"{what}: the folds do not match the queries ({missing.Count} queries in no fold, e.g. " +
                                     $"'{missing.FirstOrDefault()}'; {extra.Count} fold ids not among the queries, e.g. '{extra.FirstOrDefault()}')");
    }
}

/// <summary>Markdown tables of every variant's figures and of the cross-validated choice among them.</summary>
public static class CvReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="objective">The metric the choice maximises (an entry of <paramref name="metrics"/>).</param>
    /// <param name="reference">Scored beside the variants for reference; never chosen.</param>
    public static string Write<T>(IReadOnlyList<RankingVariant> variants, IReadOnlyList<IReadOnlyDictionary<string, T>> scores,
        IReadOnlyList<IReadOnlyList<string>> folds, IReadOnlyList<Metric<T>> metrics, Metric<T> objective,
        (RankingVariant Variant, IReadOnlyDictionary<string, T> Scores)? reference)
    {
        var all = folds.SelectMany(f => f).ToList();
        var choices = CrossValidation.Choose(scores, folds, objective.Of);
        var sb = new StringBuilder();
        string Figures(IReadOnlyDictionary<string, T> s, IReadOnlyCollection<string> keys) =>
            string.Join(" | ", metrics.Select(m => CrossValidation.Mean(s, keys, m.Of).ToString("F3", Inv)));

        // Each variant's objective against the default's, query by query, with the paired test's p-value; scoresOf
        // gives the scores a query is taken from (one variant's, or each held query's chosen variant's).
        string AgainstDefault(Func<string, IReadOnlyDictionary<string, T>> scoresOf)
        {
            var differences = all.Select(k =>
                CrossValidation.ValueOf(scoresOf(k), k, objective.Of) - CrossValidation.ValueOf(scores[0], k, objective.Of)).ToList();
            return string.Create(Inv, $"{differences.Average():+0.000;-0.000;0.000} ({PairedTest.Format(PairedTest.SignFlipP(differences))})");
        }

        sb.AppendLine($"| variant | settings | {string.Join(" | ", metrics.Select(m => m.Name))} (all {all.Count}) | {objective.Name} − default (p) | chosen for folds |");
        sb.AppendLine($"|---|---|{string.Concat(metrics.Select(_ => "---|"))}---|---|");
        for (var v = 0; v < variants.Count; v++)
        {
            var chosen = choices.Where(c => c.Variant == v).Select(c => (c.Fold + 1).ToString(Inv)).ToList();
            var against = v == 0 ? "—" : AgainstDefault(_ => scores[v]);
            sb.AppendLine($"| {variants[v].Name} | {variants[v].Describe()} | {Figures(scores[v], all)} | {against} | {(chosen.Count == 0 ? "—" : string.Join(", ", chosen))} |");
        }
        if (reference is { } r)
            sb.AppendLine($"| {r.Variant.Name} (reference, never chosen) | {r.Variant.Describe()} | {Figures(r.Scores, all)} | {AgainstDefault(_ => r.Scores)} | — |");
        sb.AppendLine();

        sb.AppendLine($"| fold | queries | chosen by {objective.Name} on the other folds | its {objective.Name} there | {string.Join(" | ", metrics.Select(m => "held " + m.Name))} |");
        sb.AppendLine($"|---|---|---|---|{string.Concat(metrics.Select(_ => "---|"))}");
        foreach (var c in choices)
            sb.AppendLine(Inv, $"| {c.Fold + 1} | {folds[c.Fold].Count} | {variants[c.Variant].Name} | {c.TrainObjective:F3} | {Figures(scores[c.Variant], folds[c.Fold])} |");
        var cv = string.Join(" | ", metrics.Select(m => CrossValidation.HeldMean(scores, folds, choices, m.Of).ToString("F3", Inv)));
        sb.AppendLine($"| **cross-validated** (mean of the {folds.Count} held folds) | {all.Count} | | | {cv} |");
        sb.AppendLine($"| default, all queries | {all.Count} | default | | {Figures(scores[0], all)} |");
        var best = Enumerable.Range(0, variants.Count).MaxBy(v => CrossValidation.Mean(scores[v], all, objective.Of));
        sb.AppendLine($"| best variant on all queries (chosen and scored on the same queries: optimistic) | {all.Count} | {variants[best].Name} | | {Figures(scores[best], all)} |");
        // Each held query scored by its fold's choice, against the default on the same query.
        var heldBy = choices.SelectMany(c => folds[c.Fold].Select(k => (Key: k, c.Variant))).ToDictionary(x => x.Key, x => x.Variant, StringComparer.Ordinal);
        sb.AppendLine();
        sb.AppendLine(string.Create(Inv, $"Cross-validated choice against the default, query by query: {objective.Name} ") +
                      AgainstDefault(k => scores[heldBy[k]]) +
                      string.Create(Inv, $"; p is the paired randomisation test's ({PairedTest.Rounds:N0} random sign flips, two-sided): the chance of a difference this large if the two rankings were interchangeable."));
        return sb.ToString();
    }
}
