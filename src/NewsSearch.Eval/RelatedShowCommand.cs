using System.Diagnostics;
using System.Globalization;
using System.Text;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Eval;

/// <summary>
/// <c>related-show</c>: what a reader of the cctv corpus sees under an article: its title beside the titles of its
/// first five related articles (through <see cref="Engine.NewsSearchEngine.Related"/>), for given articles or a seeded
/// sample of single-story articles (daily round-ups bundle several stories and are left out of the sample).
/// </summary>
public static class RelatedShowCommand
{
    public sealed record Settings(string Corpus, IReadOnlyList<string>? Ids, int Count, int Seed, string? Index, bool Reuse);

    public const int Shown = 5;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(Settings s)
    {
        var ids = s.Ids is { Count: > 0 } given ? given.ToList() : Sample(s.Corpus, s.Count, s.Seed);
        using var index = EvalIndex.OpenOrBuild(s.Corpus, s.Index, s.Reuse, new StderrLoggerFactory());
        var engine = index.Engine;
        var sb = new StringBuilder();
        var elapsed = new List<double>();
        sb.AppendLine();
        sb.AppendLine($"Related on cctv ({index.Articles:N0} articles): each article's title, then its first {Shown} related articles");
        foreach (var id in ids)
        {
            Engine.Ingestion.Article source;
            try
            {
                source = engine.GetArticle(id);
            }
            catch (ArticleNotFoundException)
            {
                sb.AppendLine().AppendLine($"!! no article has id {id}");
                continue;
            }
            engine.Related(new RelatedRequest(id, PageSize: Shown)); // warm: the figure is the call's cost, not the first load's
            var watch = Stopwatch.StartNew();
            var related = engine.Related(new RelatedRequest(id, PageSize: Shown));
            elapsed.Add(watch.Elapsed.TotalMilliseconds);
            sb.AppendLine();
            sb.AppendLine($"| {Day(source.Published, engine.Zone)} **{source.Title}** ({id}) | score |");
            sb.AppendLine("|---|---|");
            foreach (var h in related.Hits) sb.AppendLine(Inv, $"| {Day(h.Published, engine.Zone)} {h.Title} | {h.Score:F1} |");
            if (related.Hits.Count == 0) sb.AppendLine("| (nothing related) | |");
        }
        if (elapsed.Count > 0)
            sb.AppendLine().AppendLine(Inv, $"Related took {elapsed.Average():F1} ms on average per article (wall time, after a warm-up call).");
        Console.Write(sb.ToString());
        return 0;
    }

    private static string Day(DateTimeOffset? published, TimeZoneInfo zone) =>
        published is { } p ? TimeZoneInfo.ConvertTime(p, zone).ToString("yyyy-MM-dd", Inv) : "undated";

    /// <summary>A seeded sample of single-story articles with a body of at least 200 characters.</summary>
    private static List<string> Sample(string corpus, int count, int seed)
    {
        var candidates = CorpusReader.Read(corpus)
            .Where(a => a.Body.Length >= 200 && !a.Title.Contains("联播快讯", StringComparison.Ordinal))
            .Select(a => a.Id).ToArray();
        new Random(seed).Shuffle(candidates);
        return candidates.Take(count).ToList();
    }
}
