using NewsSearch.Eval;

// Argument parsing only; the work is in LecardCommand and ProbeCommand.
const string Usage = """
    usage:
      NewsSearch.Eval lecard --docs <docs.jsonl.gz> --queries <queries.jsonl> --run <out.trec>
                             [--qrels <qrels.tsv>] [--index <dir> [--reuse]] [--tag <name>] [--per-query <file.tsv>]
      NewsSearch.Eval probe  --corpus <cctv-news.jsonl.gz> [--index <dir> [--reuse]] [--out <report.md>]
      NewsSearch.Eval lecard-cv --docs <docs.jsonl.gz> --queries <queries.jsonl> [--qrels <qrels.tsv>]
                             [--folds <folds.json>] [--variants <variants.json>] [--index <dir> [--reuse]] [--per-query <file.tsv>]
      NewsSearch.Eval lecard-related --docs <docs.jsonl.gz> --queries <queries.jsonl> [--qrels <qrels.tsv>]
                             [--folds <folds.json>] [--variants <variants.json>] [--index <dir> [--reuse]] [--per-query <file.tsv>]
      NewsSearch.Eval related-show --corpus <cctv-news.jsonl.gz> [--ids <id,id,...>] [--count <n>] [--seed <n>]
                             [--index <dir> [--reuse]]
      NewsSearch.Eval known-item --corpus <cctv-news.jsonl.gz> [--queries <known-item.jsonl>] [--variants <variants.json>]
                             [--index <dir> [--reuse]] [--folds <k>] [--seed <n>]
      NewsSearch.Eval folds  --queries <queries.jsonl> --out <folds.json> [--folds <k>] [--seed <n>]
      NewsSearch.Eval known-item-gen --corpus <cctv-news.jsonl.gz> --out <known-item.jsonl> [--count <n>] [--seed <n>]
      NewsSearch.Eval near-duplicates --corpus <cctv-news.jsonl.gz> [--sources <n>] [--seed <n>] [--examples <n>]
                             [--index <dir> [--reuse]]

      --index <dir>  index workspace (the index itself plus a seeds/ folder holding a link to the docs file);
                     a temporary folder, deleted at exit, when not given.
      --reuse        open the index in --index as it is when it was built from the same docs file; else rebuild.
      --qrels        defaults to the qrels file beside the queries file (dev-queries.jsonl -> dev-qrels.tsv).
      --folds        lecard-cv: the committed split (src/NewsSearch.Eval/folds.json, copied beside the program);
                     known-item and folds: the number of folds (5).
      --variants     ranking variants to compare (e.g. src/NewsSearch.Eval/variants/lecard.json); "default" is always
                     the first. Without it only the default is scored.
      --queries      known-item: defaults to the committed src/NewsSearch.Eval/known-item-cctv.jsonl.
      --sources      near-duplicates: corpus articles the generated set is made from (600); --examples: errors and
                     real clusters shown (8).
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

var flags = new HashSet<string> { "--reuse" };
var values = new Dictionary<string, string>(StringComparer.Ordinal);
var set = new HashSet<string>(StringComparer.Ordinal);
for (var i = 1; i < args.Length; i++)
{
    var a = args[i];
    if (flags.Contains(a)) { set.Add(a); continue; }
    if (!a.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"error: unexpected argument '{a}'\n{Usage}");
        return 2;
    }
    values[a] = args[++i];
}

string? Opt(string name) => values.TryGetValue(name, out var v) ? v : null;
string Req(string name) => Opt(name) ?? throw new UsageException($"{name} is required");
int Int(string name, int fallback) => Opt(name) is not { } v ? fallback
    : int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n
    : throw new UsageException($"{name} must be a positive whole number; got '{v}'");

try
{
    return args[0] switch
    {
        "lecard" => LecardCommand.Run(new LecardCommand.Settings(
            Docs: Req("--docs"), Queries: Req("--queries"), Run: Req("--run"), Qrels: Opt("--qrels"),
            Index: Opt("--index"), Reuse: set.Contains("--reuse"), Tag: Opt("--tag") ?? "newssearch",
            PerQuery: Opt("--per-query"))),
        "lecard-cv" => LecardCvCommand.Run(new LecardCvCommand.Settings(
            Docs: Req("--docs"), Queries: Req("--queries"), Qrels: Opt("--qrels"), Folds: Opt("--folds"),
            Variants: Opt("--variants"), Index: Opt("--index"), Reuse: set.Contains("--reuse"), PerQuery: Opt("--per-query"))),
        "lecard-related" => LecardRelatedCommand.Run(new LecardRelatedCommand.Settings(
            Docs: Req("--docs"), Queries: Req("--queries"), Qrels: Opt("--qrels"), Folds: Opt("--folds"),
            Variants: Opt("--variants"), Index: Opt("--index"), Reuse: set.Contains("--reuse"), PerQuery: Opt("--per-query"))),
        "related-show" => RelatedShowCommand.Run(new RelatedShowCommand.Settings(
            Corpus: Req("--corpus"), Ids: Opt("--ids")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Count: Int("--count", 6), Seed: Int("--seed", GenerateCommands.DefaultSeed), Index: Opt("--index"), Reuse: set.Contains("--reuse"))),
        "known-item" => KnownItemCommand.Run(new KnownItemCommand.Settings(
            Corpus: Req("--corpus"), Queries: Opt("--queries"), Variants: Opt("--variants"), Index: Opt("--index"),
            Reuse: set.Contains("--reuse"), Folds: Int("--folds", 5), Seed: Int("--seed", KnownItemCommand.FoldSeed))),
        "folds" => GenerateCommands.Folds(Req("--queries"), Req("--out"), Int("--folds", 5), Int("--seed", GenerateCommands.DefaultSeed)),
        "known-item-gen" => GenerateCommands.KnownItems(Req("--corpus"), Req("--out"), Int("--count", 300), Int("--seed", GenerateCommands.DefaultSeed)),
        "near-duplicates" => NearDuplicatesCommand.Run(new NearDuplicatesCommand.Settings(
            Corpus: Req("--corpus"), Sources: Int("--sources", 600), Seed: Int("--seed", GenerateCommands.DefaultSeed),
            Index: Opt("--index"), Reuse: set.Contains("--reuse"), Examples: Int("--examples", 8))),
        "probe" => ProbeCommand.Run(new ProbeCommand.Settings(
            Corpus: Req("--corpus"), Index: Opt("--index"), Reuse: set.Contains("--reuse"), Out: Opt("--out"))),
        _ => throw new UsageException($"unknown command '{args[0]}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n{Usage}");
    return 2;
}
