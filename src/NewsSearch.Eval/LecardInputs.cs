namespace NewsSearch.Eval;

/// <summary>What a cross-validated LeCaRD command reads before it indexes: queries, qrels, the committed folds
/// (checked to cover the queries) and the ranking variants.</summary>
public sealed record LecardInputs(List<LecardQuery> Queries, Dictionary<string, Dictionary<string, int>> Qrels,
    List<List<string>> Folds, List<RankingVariant> Variants)
{
    /// <param name="qrels">Defaults to the qrels file beside <paramref name="queries"/>.</param>
    /// <param name="folds">Defaults to the committed split (<see cref="FoldsFile.DefaultPath"/>).</param>
    public static LecardInputs Read(string queries, string? qrels, string? folds, string? variants)
    {
        var qrelsPath = qrels ?? LecardData.InferQrels(queries);
        var list = LecardData.ReadQueries(queries);
        var foldsPath = folds ?? FoldsFile.DefaultPath;
        var split = FoldsFile.Read(foldsPath);
        FoldsFile.CheckCovers(split, list.Select(q => q.Id).ToList(), foldsPath);
        var inputs = new LecardInputs(list, LecardData.ReadQrels(qrelsPath), split, RankingVariants.Read(variants));
        Console.Error.WriteLine($"{list.Count} queries, {split.Count} folds ({foldsPath}), {inputs.Variants.Count} variants + plain BM25");
        return inputs;
    }

    /// <summary>The judged grades of query <paramref name="queryId"/> (none when it has no qrels).</summary>
    public IReadOnlyDictionary<string, int> Grades(string queryId) =>
        Qrels.TryGetValue(queryId, out var g) ? g : new Dictionary<string, int>();
}
