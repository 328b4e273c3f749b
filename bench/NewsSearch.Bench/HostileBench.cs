using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Engine;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Bench;

/// <summary>
/// In-process CPU time of hostile query shapes over generated articles: what each costs, or how fast it is refused.
/// The same program run on an older commit gives the "before" figures.
/// </summary>
public static class HostileBench
{
    private const string Alphabet = "中国经济发展市场企业政府国际合作科技创新城市农村教育医疗文化体育新闻报道记者会议改革开放建设工程项目投资增长消费出口港口铁路航空能源环境";

    public static Report Run(BenchContext ctx)
    {
        var articles = ctx.Int("articles", 400);
        var dir = Path.Combine(Path.GetTempPath(), $"newssearch-hostile-{Guid.NewGuid():N}");
        var seeds = Path.Combine(dir, "seeds");
        Directory.CreateDirectory(seeds);
        var random = new Random(7);
        string Text(int n) => new(Enumerable.Range(0, n).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
        File.WriteAllLines(Path.Combine(seeds, "gen.jsonl"), Enumerable.Range(0, articles).Select(i =>
            JsonSerializer.Serialize(new { id = $"a{i}", title = Text(12), body = Text(600), date = "2025-03-01" })));
        var report = new Report();
        try
        {
            using var engine = new NewsSearchEngine(new SearchEngineOptions { SeedsPath = seeds, IndexPath = Path.Combine(dir, "index") }, NullLoggerFactory.Instance);
            engine.Open();
            engine.SyncOnce();
            string Nest(string inner, int depth) => new string('(', depth) + inner + new string(')', depth);
            string Or(int n, Func<int, string> alternative) => string.Join(" OR ", Enumerable.Range(0, n).Select(alternative));
            const string level = "芯片 港口 铁路 航空 能源 环境 教育 医疗 文化 体育 新闻 记者 会议 投资";
            string Levels(int depth) { var q = "经济"; for (var d = 0; d < depth; d++) q = level + " (" + q + ")"; return q; }
            var shapes = new (string Name, string Query)[]
            {
                ("ordinary: 经济 发展", "经济 发展"),
                ("16 nested groups around 1,625 characters joined by OR", Nest(Or(1625, i => Alphabet[i % Alphabet.Length].ToString()), 16)),
                ("3,300 exclusions", string.Join(" ", Enumerable.Range(0, 3300).Select(i => "-" + Alphabet[i % Alphabet.Length]))),
                ("12 nested groups of 14 words", Levels(12)),
                ("16 nested groups of 14 words", Levels(16)),
                ("128 single characters joined by OR (256 prefix clauses)", Or(128, i => Alphabet[i % Alphabet.Length].ToString())),
                ("256 two-character words joined by OR (1,024 term and phrase clauses)", Or(256, i => Alphabet.Substring(i * 2 % (Alphabet.Length - 2), 2))),
            };
            var rows = new List<string[]>();
            foreach (var (name, query) in shapes)
            {
                engine.Search(new SearchRequest("经济")); // warm
                var process = Process.GetCurrentProcess();
                var cpu = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                string outcome;
                try { outcome = $"{engine.Search(new SearchRequest(query)).TotalHits} hits"; }
                catch (Exception e) when (e is InvalidRequestException or SearchTimeoutException) { outcome = $"refused: {e.Message}"; }
                process.Refresh();
                var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
                rows.Add([name, Report.N(query.Length), Report.N(cpuMs), Report.N(watch.Elapsed.TotalMilliseconds), Report.Mb(process.PeakWorkingSet64), outcome]);
                report.Add("hostile", $"{name}: CPU ms", Report.N(cpuMs));
            }
            Report.Table($"Hostile queries over {articles} generated articles, in process", ["query", "characters", "CPU ms", "wall ms", "peak RSS so far", "outcome"], rows);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
        return report;
    }
}
