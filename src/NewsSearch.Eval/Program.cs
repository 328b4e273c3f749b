using NewsSearch.Eval;

// Argument parsing only; the work is in LecardCommand and ProbeCommand.
const string Usage = """
    usage:
      NewsSearch.Eval lecard --docs <docs.jsonl.gz> --queries <queries.jsonl> --run <out.trec>
                             [--qrels <qrels.tsv>] [--index <dir> [--reuse]] [--tag <name>] [--per-query <file.tsv>]
      NewsSearch.Eval probe  --corpus <cctv-news.jsonl.gz> [--index <dir> [--reuse]] [--out <report.md>]

      --index <dir>  index workspace (the index itself plus a seeds/ folder holding a link to the docs file);
                     a temporary folder, deleted at exit, when not given.
      --reuse        open the index in --index as it is when it was built from the same docs file; else rebuild.
      --qrels        defaults to the qrels file beside the queries file (dev-queries.jsonl -> dev-qrels.tsv).
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

try
{
    return args[0] switch
    {
        "lecard" => LecardCommand.Run(new LecardCommand.Settings(
            Docs: Req("--docs"), Queries: Req("--queries"), Run: Req("--run"), Qrels: Opt("--qrels"),
            Index: Opt("--index"), Reuse: set.Contains("--reuse"), Tag: Opt("--tag") ?? "newssearch",
            PerQuery: Opt("--per-query"))),
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
