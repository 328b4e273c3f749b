namespace NewsSearch.Eval;

/// <summary>The variant chosen for one fold: the best on the other folds, and its figure there.</summary>
public sealed record FoldChoice(int Fold, int Variant, double TrainObjective);

/// <summary>
/// k-fold cross-validation of a choice among named variants, with no I/O. Every variant has been scored on every
/// query; for each fold, the variant with the best mean objective over the queries of the other folds is chosen and
/// scored on the held fold only, so no held figure was seen when its variant was chosen.
/// </summary>
public static class CrossValidation
{
    /// <summary>
    /// Splits <paramref name="keys"/> into <paramref name="k"/> folds whose sizes differ by at most one: the keys in
    /// ordinal order, shuffled (Fisher–Yates) with <c>new Random(seed)</c>, dealt out in turn. The seeded
    /// <see cref="Random"/> has produced the same sequence on every .NET version, so a seed names one split.
    /// </summary>
    public static List<List<string>> Split(IEnumerable<string> keys, int k, int seed)
    {
        var list = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (k < 2) throw new ArgumentOutOfRangeException(nameof(k), k, "at least two folds are needed");
        if (list.Count < k) throw new ArgumentException($"{list.Count} keys cannot make {k} folds", nameof(keys));
        var random = new Random(seed);
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        var folds = Enumerable.Range(0, k).Select(_ => new List<string>()).ToList();
        for (var i = 0; i < list.Count; i++) folds[i % k].Add(list[i]);
        return folds;
    }

    /// <summary>
    /// For each fold, the variant whose <paramref name="objective"/> averaged over the queries of the other folds is
    /// highest; on a tie the earlier variant wins (list the current default first). A query a variant has no score
    /// for counts as 0.
    /// </summary>
    /// <param name="variants">Per variant, a score per query key.</param>
    /// <param name="folds">Query keys per fold; every key in exactly one fold.</param>
    public static List<FoldChoice> Choose<T>(IReadOnlyList<IReadOnlyDictionary<string, T>> variants,
        IReadOnlyList<IReadOnlyList<string>> folds, Func<T, double> objective)
    {
        if (variants.Count == 0) throw new ArgumentException("no variants to choose from", nameof(variants));
        var choices = new List<FoldChoice>();
        for (var f = 0; f < folds.Count; f++)
        {
            var train = folds.Where((_, i) => i != f).SelectMany(x => x).ToList();
            var best = -1;
            var bestValue = double.NegativeInfinity;
            for (var v = 0; v < variants.Count; v++)
            {
                var value = Mean(variants[v], train, objective);
                if (value > bestValue) (best, bestValue) = (v, value);
            }
            choices.Add(new FoldChoice(f, best, bestValue));
        }
        return choices;
    }

    /// <summary>The mean over folds of <paramref name="metric"/> averaged over each held fold's queries, as scored by
    /// the variant chosen for that fold.</summary>
    public static double HeldMean<T>(IReadOnlyList<IReadOnlyDictionary<string, T>> variants,
        IReadOnlyList<IReadOnlyList<string>> folds, IReadOnlyList<FoldChoice> choices, Func<T, double> metric) =>
        choices.Average(c => Mean(variants[c.Variant], folds[c.Fold], metric));

    /// <summary>The mean of <paramref name="metric"/> over <paramref name="keys"/>; a missing key counts as 0.</summary>
    public static double Mean<T>(IReadOnlyDictionary<string, T> scores, IReadOnlyCollection<string> keys, Func<T, double> metric) =>
        keys.Count == 0 ? 0 : keys.Sum(k => ValueOf(scores, k, metric)) / keys.Count;

    /// <summary><paramref name="metric"/> of <paramref name="key"/>'s scores; 0 for a key with none (a query whose run
    /// returned nothing scores 0).</summary>
    public static double ValueOf<T>(IReadOnlyDictionary<string, T> scores, string key, Func<T, double> metric) =>
        scores.TryGetValue(key, out var s) ? metric(s) : 0;
}
