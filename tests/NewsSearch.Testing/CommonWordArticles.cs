namespace NewsSearch.Testing;

/// <summary>
/// Many distinct articles that all mention <see cref="Word"/> in the body; one in fifty also in a short title (those
/// rank first). Dated through 2025: article i on month 1 + i % 12, day 1 + i % 28. For searches with more hits than
/// the engine counts exactly.
/// </summary>
public static class CommonWordArticles
{
    public const string Word = "高铁";

    private static readonly string[] Words =
        ["经济", "发展", "城市", "铁路", "旅客", "运营", "线路", "建设", "投资", "工程", "车站", "列车", "速度", "里程", "开通",
         "乘客", "交通", "规划", "项目", "科技", "服务", "安全", "管理", "企业", "市场", "政策", "地区", "国家", "公司", "技术"];

    /// <summary><paramref name="count"/> articles as one JSON Lines seed.</summary>
    public static string Seed(int count)
    {
        var random = new Random(27);
        string Pick() => Words[random.Next(Words.Length)];
        // Thirty random words a body: no two bodies are near-duplicates, so nothing collapses.
        string Body() => string.Concat(Enumerable.Range(0, 30).Select(_ => Pick() + (random.Next(4) == 0 ? "，" : ""))) + Word + "。";
        return Jsonl.Lines(Enumerable.Range(0, count).Select(i =>
            Jsonl.Record($"a{i}", i % 50 == 0 ? $"{Word}{i}" : $"{Pick()}{Pick()}第{i}号", Body(), $"2025-{1 + i % 12:00}-{1 + i % 28:00}")).ToArray());
    }
}
