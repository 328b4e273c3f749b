namespace NewsSearch.Eval;

/// <summary>
/// The generators of the committed evaluation files: <c>folds</c> writes <c>folds.json</c>, <c>known-item-gen</c>
/// writes <c>known-item-cctv.jsonl</c>. Both are deterministic for a seed; rerunning them with the defaults rewrites
/// the committed files byte for byte.
/// </summary>
public static class GenerateCommands
{
    public const int DefaultSeed = 20261126;

    public static int Folds(string queriesPath, string outPath, int k, int seed)
    {
        var queries = LecardData.ReadQueries(queriesPath);
        var folds = CrossValidation.Split(queries.Select(q => q.Id), k, seed);
        FoldsFile.Write(outPath, Path.GetFileName(queriesPath), seed, folds);
        Console.Error.WriteLine($"wrote {folds.Count} folds of {string.Join("/", folds.Select(f => f.Count))} query ids to {outPath}");
        return 0;
    }

    public static int KnownItems(string corpusPath, string outPath, int count, int seed)
    {
        var corpus = CorpusReader.Read(corpusPath).ToList();
        var queries = KnownItemGenerator.Generate(corpus, count, seed);
        KnownItemFile.Write(outPath, queries);
        Console.Error.WriteLine($"wrote {queries.Count} queries for {queries.Select(q => q.Target).Distinct().Count()} of {corpus.Count:N0} articles to {outPath}");
        return 0;
    }
}
