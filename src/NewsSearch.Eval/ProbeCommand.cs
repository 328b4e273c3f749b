using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Eval;

/// <summary>
/// <c>probe</c>: runs <see cref="ProbeQueries.All"/> through the engine's Search, pages through every hit, and
/// compares with a truth computed from the raw corpus file (<see cref="ProbeTruth"/>). Writes a Markdown report.
/// </summary>
public static class ProbeCommand
{
    public sealed record Settings(string Corpus, string? Index, bool Reuse, string? Out);

    public const double Target = 0.95;
    private const int MaxHits = 20_000;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed record RawArticle(string Id, string Title, string Body, string Folded);

    private sealed record Result(ProbeQuery Query, ProbeScore Score, List<SearchHit> Top, List<string> Missed, long TotalHits, string? Error, TimeSpan Elapsed)
    {
        public bool Passes => Error is null && Score.PrecisionAt10 >= Target && Score.Recall >= Target;
    }

    public static int Run(Settings s)
    {
        var total = Stopwatch.StartNew();
        var corpus = ReadCorpus(s.Corpus);
        Console.Error.WriteLine($"read {corpus.Count:N0} articles from {s.Corpus} for the truth");

        using var index = EvalIndex.OpenOrBuild(s.Corpus, s.Index, s.Reuse, new StderrLoggerFactory());
        var results = new List<Result>();
        foreach (var q in ProbeQueries.All)
        {
            var truth = corpus.Where(a => ProbeTruth.Matches(a.Folded, q.Expected, q.IsCode)).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            var watch = Stopwatch.StartNew();
            var hits = new List<SearchHit>();
            long totalHits = 0;
            string? error = null;
            try
            {
                var token = "";
                do
                {
                    var page = index.Engine.Search(new SearchRequest(Query: q.Query, PageSize: 100, PageToken: token) { Collapse = false });
                    totalHits = page.TotalHits;
                    hits.AddRange(page.Hits);
                    token = page.NextPageToken;
                } while (token.Length > 0 && hits.Count < MaxHits);
            }
            catch (InvalidRequestException e)
            {
                error = $"InvalidRequestException(field={e.Field}): {e.Message}";
            }
            var score = ProbeMetrics.Score(hits.Select(h => h.Id).ToList(), truth);
            var returned = hits.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
            var missed = truth.Where(id => !returned.Contains(id)).Order(StringComparer.Ordinal).ToList();
            results.Add(new Result(q, score, hits.Take(10).ToList(), missed, totalHits, error, watch.Elapsed));
            Console.Error.WriteLine(string.Create(Inv, $"  {q.Kind,-11} {q.Query,-12} truth {score.Truth,5} hits {totalHits,5}  P@10 {score.PrecisionAt10:F2}  recall {score.Recall:F2}  {watch.Elapsed.TotalMilliseconds:F0} ms"));
        }

        var byId = corpus.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var report = Report(results, byId, index, total.Elapsed);
        Console.Write(report);
        if (s.Out is not null)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(s.Out));
            if (dir is not null) Directory.CreateDirectory(dir);
            File.WriteAllText(s.Out, report, new UTF8Encoding(false));
            Console.Error.WriteLine($"report written to {Path.GetFullPath(s.Out)}");
        }
        return results.All(r => r.Passes) ? 0 : 1;
    }

    private static List<RawArticle> ReadCorpus(string path) =>
        CorpusReader.Read(path).Select(a => new RawArticle(a.Id, a.Title, a.Body, ProbeTruth.Document(a.Title, a.Body))).ToList();

    private static string Report(List<Result> results, Dictionary<string, RawArticle> byId, EvalIndex index, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# News probe report");
        sb.AppendLine();
        sb.AppendLine(Inv, $"{results.Count} queries over {index.Articles:N0} indexed articles; index {(index.Reused ? "reused" : $"built in {index.BuildTime.TotalSeconds:F0} s")}, total {elapsed.TotalSeconds:F0} s.");
        sb.AppendLine("Truth: articles whose title+body contains the expected literal (full-width folded, Latin case-insensitive, codes not inside a longer letter/digit run), from the raw file.");
        sb.AppendLine(Inv, $"P@10: share of the top 10 hits in the truth. Recall: share of the truth among all hits (paged to the end). Target: both >= {Target:F2} for every kind.");
        sb.AppendLine();
        sb.AppendLine("| kind | query | expected | truth | hits | P@10 | recall | all-hit precision | ms | |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var s = r.Score;
            sb.AppendLine(Inv, $"| {r.Query.Kind} | {Cell(r.Query.Query)} | {Cell(r.Query.Expected)} | {s.Truth} | {r.TotalHits} | {s.PrecisionAt10:F2} | {s.Recall:F2} | {s.HitPrecision:F2} | {r.Elapsed.TotalMilliseconds:F0} | {(r.Passes ? "ok" : r.Error is null ? "**FAIL**" : "**ERROR**")} |");
        }
        sb.AppendLine();
        sb.AppendLine("| kind | queries | mean P@10 | mean recall | target |");
        sb.AppendLine("|---|---:|---:|---:|---|");
        foreach (var g in results.GroupBy(r => r.Query.Kind))
        {
            var p = g.Average(r => r.Score.PrecisionAt10);
            var rec = g.Average(r => r.Score.Recall);
            sb.AppendLine(Inv, $"| {g.Key} | {g.Count()} | {p:F3} | {rec:F3} | {(p >= Target && rec >= Target ? "met" : "**not met**")} |");
        }
        sb.AppendLine(Inv, $"| all | {results.Count} | {results.Average(r => r.Score.PrecisionAt10):F3} | {results.Average(r => r.Score.Recall):F3} | |");

        var failing = results.Where(r => !r.Passes).ToList();
        sb.AppendLine();
        sb.AppendLine(failing.Count == 0 ? "Every query meets both targets." : $"## Queries below target ({failing.Count})");
        foreach (var r in failing)
        {
            sb.AppendLine();
            sb.AppendLine(Inv, $"### {r.Query.Kind} {r.Query.Query} (expected `{r.Query.Expected}`): P@10 {r.Score.PrecisionAt10:F2}, recall {r.Score.Recall:F2}");
            if (r.Error is not null) sb.AppendLine($"- search failed: {r.Error}");
            var truthIds = byId.Values.Where(a => ProbeTruth.Matches(a.Folded, r.Query.Expected, r.Query.IsCode)).Select(a => a.Id).ToHashSet();
            foreach (var h in r.Top.Where(h => !truthIds.Contains(h.Id)))
                sb.AppendLine($"- false positive in top 10: {h.Id} 「{h.Title}」 snippet: {h.Snippet.Replace('\n', '⏎')}");
            if (r.Missed.Count > 0)
            {
                sb.AppendLine(Inv, $"- {r.Missed.Count} truth articles not returned{(r.TotalHits >= 10_000 ? " (the truth is larger than the 10,000-hit result window)" : "")}; examples:");
                foreach (var id in r.Missed.Take(5))
                {
                    var a = byId[id];
                    sb.AppendLine($"  - {id} 「{a.Title}」: …{ProbeTruth.Context(a.Title + "\n" + a.Body, r.Query.Expected)}…");
                }
            }
        }
        return sb.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|");
}
