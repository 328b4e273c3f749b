using System.Text;

namespace NewsSearch.Eval;

/// <summary>One article of the generated near-duplicate set: <paramref name="Family"/> is the id of the corpus
/// article it was made from (itself for a source or a distractor); <paramref name="Changes"/> says how a copy differs.</summary>
public sealed record GeneratedArticle(string Id, string Title, string Body, string Family, string Changes)
{
    /// <summary>YYYY-MM-DD: a copy is dated 0 to 3 days after its source; others keep the corpus date.</summary>
    public string Date { get; init; } = "";
}

/// <summary>
/// Builds the near-duplicate test set from a corpus, deterministically for a seed: <c>sources</c> articles (bodies of
/// at least <see cref="MinBodyChars"/> characters), one or two perturbed copies of each, and for each source an
/// unrelated article on the same topic (a distractor: another corpus article whose title shares the source title's
/// rarest character pair found in other titles). A copy always gets another headline, and each of these with
/// probability ½ (at least one of them): a paragraph dropped (when there are three or more), a paragraph moved (two
/// or more), a sentence added (an editor's note or a byline), punctuation changed, the whole text converted to
/// Traditional characters (OpenCC's table used in reverse). A copy is dated 0 to 3 days after its source.
/// </summary>
public static class NearDuplicateGenerator
{
    public const int MinBodyChars = 50;

    private static readonly string[] Notes =
    [
        "（编者按：本文转载自央视网，略有删节。）",
        "（来源：央视新闻客户端）",
        "本文转自新华网，原标题有改动，如有侵权请联系删除。",
        "记者 王建华 李晓明 报道",
        "责任编辑：张颖",
        "更多精彩内容，请关注本台后续报道。",
    ];

    private static readonly string[] HeadlinePrefixes = ["转载：", "【关注】", "视频：", "热点丨", "权威发布："];
    private static readonly string[] HeadlineSuffixes = ["——央视网", "（图）", "｜新闻联播", " 最新消息"];

    public static IReadOnlyList<GeneratedArticle> Generate(IReadOnlyList<CorpusArticle> corpus, int sources, int seed)
    {
        var random = new Random(seed);
        var eligible = corpus.Where(a => a.Body.Length >= MinBodyChars && a.Id.Length > 0).ToList();
        var chosen = eligible.OrderBy(_ => random.Next()).Take(sources).ToList();
        var chosenIds = chosen.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var titlePairs = TitlePairIndex(eligible);
        var toTraditional = TraditionalTable.SimplifiedToTraditional();
        var usedDistractors = new HashSet<string>(StringComparer.Ordinal);

        var set = new List<GeneratedArticle>();
        foreach (var source in chosen)
        {
            set.Add(new GeneratedArticle(source.Id, source.Title, source.Body, source.Id, "original") { Date = source.Date });
            var copies = random.Next(2) + 1;
            for (var c = 0; c < copies; c++)
                set.Add(Perturb(source, $"{source.Id}~copy{c + 1}", random, toTraditional) with { Date = Later(source.Date, random.Next(4)) });
            if (Distractor(source, titlePairs, chosenIds, usedDistractors, random) is { } d)
                set.Add(new GeneratedArticle(d.Id, d.Title, d.Body, d.Id, "distractor of " + source.Id) { Date = d.Date });
        }
        return set;
    }

    private static string Later(string date, int days) =>
        DateOnly.TryParseExact(date, "yyyy-MM-dd", out var d) ? d.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : date;

    private static GeneratedArticle Perturb(CorpusArticle source, string id, Random random, IReadOnlyDictionary<char, char> toTraditional)
    {
        var paragraphs = source.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var changes = new List<string> { "headline" };
        var title = Headline(source.Title, random);
        var kinds = new[] { "drop", "move", "add", "punctuation", "traditional" };
        var picked = kinds.Where(_ => random.Next(2) == 0).ToList();
        if (picked.Count == 0) picked.Add(kinds[random.Next(kinds.Length)]);
        foreach (var kind in picked)
        {
            switch (kind)
            {
                case "drop" when paragraphs.Count >= 3:
                    paragraphs.RemoveAt(1 + random.Next(paragraphs.Count - 1));
                    changes.Add("paragraph dropped");
                    break;
                case "move" when paragraphs.Count >= 2:
                    var from = random.Next(paragraphs.Count);
                    var p = paragraphs[from];
                    paragraphs.RemoveAt(from);
                    var to = random.Next(paragraphs.Count + 1);
                    if (to == from) to = (to + 1) % (paragraphs.Count + 1);
                    paragraphs.Insert(to, p);
                    changes.Add("paragraph moved");
                    break;
                case "add":
                    var note = Notes[random.Next(Notes.Length)];
                    if (random.Next(2) == 0) paragraphs.Add(note);
                    else paragraphs.Insert(0, note);
                    changes.Add("sentence added");
                    break;
            }
        }
        var body = string.Join('\n', paragraphs);
        if (picked.Contains("punctuation"))
        {
            body = Punctuation(body, random);
            changes.Add("punctuation");
        }
        if (picked.Contains("traditional"))
        {
            title = Convert(title, toTraditional);
            body = Convert(body, toTraditional);
            changes.Add("traditional");
        }
        return new GeneratedArticle(id, title, body, source.Id, string.Join(", ", changes));
    }

    private static string Headline(string title, Random random)
    {
        var parts = title.Split([" ", "，", "：", "——"], StringSplitOptions.RemoveEmptyEntries);
        return random.Next(4) switch
        {
            0 => HeadlinePrefixes[random.Next(HeadlinePrefixes.Length)] + title,
            1 => title + HeadlineSuffixes[random.Next(HeadlineSuffixes.Length)],
            2 when parts.Length >= 2 => string.Join(" ", parts.Skip(1).Append(parts[0])),
            _ => title.Length > 8 ? title[..(title.Length * 2 / 3)] + "……" : "快讯：" + title,
        };
    }

    /// <summary>Full-width punctuation to half-width or other marks, and some spaces.</summary>
    private static string Punctuation(string text, Random random)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
        {
            sb.Append(ch switch
            {
                '，' => random.Next(3) == 0 ? "、" : ", ",
                '。' => ". ",
                '：' => ":",
                '；' => ";",
                '“' => "「",
                '”' => "」",
                '（' => "(",
                '）' => ")",
                _ => ch.ToString(),
            });
        }
        return sb.ToString();
    }

    private static string Convert(string text, IReadOnlyDictionary<char, char> table)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (table.TryGetValue(chars[i], out var t)) chars[i] = t;
        return new string(chars);
    }

    /// <summary>Title character pairs (two CJK characters) to the articles whose titles hold them.</summary>
    private static Dictionary<string, List<CorpusArticle>> TitlePairIndex(List<CorpusArticle> articles)
    {
        var index = new Dictionary<string, List<CorpusArticle>>(StringComparer.Ordinal);
        foreach (var a in articles)
            foreach (var pair in TitlePairs(a.Title))
            {
                if (!index.TryGetValue(pair, out var list)) index[pair] = list = [];
                list.Add(a);
            }
        return index;
    }

    private static IEnumerable<string> TitlePairs(string title)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < title.Length; i++)
            if (IsHan(title[i]) && IsHan(title[i + 1]) && seen.Add(title.Substring(i, 2))) yield return title.Substring(i, 2);
    }

    private static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF';

    /// <summary>Another article sharing the source title's rarest pair that other titles also hold (2 to 50 titles).</summary>
    private static CorpusArticle? Distractor(CorpusArticle source, Dictionary<string, List<CorpusArticle>> index,
        HashSet<string> sources, HashSet<string> used, Random random)
    {
        foreach (var pair in TitlePairs(source.Title).Where(p => index[p].Count is >= 2 and <= 50).OrderBy(p => index[p].Count).ThenBy(p => p, StringComparer.Ordinal))
        {
            var others = index[pair].Where(a => !sources.Contains(a.Id) && !used.Contains(a.Id) && a.Body != source.Body).ToList();
            if (others.Count == 0) continue;
            var pick = others[random.Next(others.Count)];
            used.Add(pick.Id);
            return pick;
        }
        return null;
    }
}

/// <summary>OpenCC's Traditional→Simplified character table (the engine's folding table), read in reverse.</summary>
public static class TraditionalTable
{
    /// <summary>For each Simplified character, the lowest Traditional character of the Basic Multilingual Plane that
    /// folds to it.</summary>
    public static IReadOnlyDictionary<char, char> SimplifiedToTraditional()
    {
        var map = new Dictionary<char, char>();
        foreach (var (t, s) in NewsSearch.Engine.Analysis.ChineseNormalizer.TraditionalTable.OrderBy(kv => kv.Key))
            if (t <= char.MaxValue && s <= char.MaxValue && t != s) map.TryAdd((char)s, (char)t);
        return map;
    }
}
