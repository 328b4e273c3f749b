using System.Runtime.InteropServices;
using NewsSearch.Api.V1;
using NewsSearch.Engine.Analysis;
using Article = NewsSearch.Engine.Ingestion.Article;

namespace NewsSearch.Bench;

/// <summary>What a reader's query is, for the latency breakdown of the reader mix.</summary>
public enum QueryKind { CommonWord, OneWord, TwoWords, ThreeWords, Name, SingleCharacter, QuotedPhrase, PastedParagraph }

/// <summary>
/// The reader mix (issue 11): what readers of a news site type, drawn from real cctv titles and bodies. Kinds, each
/// crossed at random with the traits a page view adds: a 30/90/365-day date filter (half), newest first (a third),
/// page 5 (a quarter; reached with the service's own page token) and 50 hits per page (a quarter).
/// </summary>
public static class ReaderMix
{
    private static readonly (QueryKind Kind, int Weight)[] Kinds =
    [
        (QueryKind.CommonWord, 15), (QueryKind.OneWord, 15), (QueryKind.TwoWords, 20), (QueryKind.ThreeWords, 10),
        (QueryKind.Name, 15), (QueryKind.SingleCharacter, 5), (QueryKind.QuotedPhrase, 15), (QueryKind.PastedParagraph, 5),
    ];

    /// <summary>
    /// The benches' <c>--kinds</c>: kind names separated by commas, any case; null (every kind) when the option is
    /// absent. Read before a bench builds anything, so that a misspelt name costs nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A name that is no <see cref="QueryKind"/>'s, or no name at all.</exception>
    public static IReadOnlySet<QueryKind>? ParseKinds(string? kinds)
    {
        if (kinds is null) return null;
        var names = Enum.GetNames<QueryKind>();
        var wanted = kinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(k => names.FirstOrDefault(n => n.Equals(k, StringComparison.OrdinalIgnoreCase)) is { } name
                ? Enum.Parse<QueryKind>(name)
                : throw new ArgumentException($"--kinds: '{k}' is not one of {string.Join(", ", names)}"))
            .ToHashSet();
        return wanted.Count > 0 ? wanted : throw new ArgumentException($"--kinds names no kind; give one or more of {string.Join(", ", names)}");
    }

    /// <summary>The queries of <paramref name="specs"/> whose kind is in <paramref name="kinds"/>; all of them when it is null.</summary>
    public static List<QuerySpec> OfKinds(List<QuerySpec> specs, IReadOnlySet<QueryKind>? kinds) =>
        kinds is null ? specs : specs.Where(s => s.Kind is { } kind && kinds.Contains(kind)).ToList();

    /// <summary>
    /// <paramref name="count"/> queries drawn with Random(<paramref name="seed"/>) from <paramref name="articles"/>;
    /// date windows fall between <paramref name="first"/> and <paramref name="last"/>.
    /// </summary>
    public static List<QuerySpec> Build(IReadOnlyList<Article> articles, int count, int seed, DateOnly first, DateOnly last)
    {
        var rnd = new Random(seed);
        var segmenter = new TextSegmenter(UserDictionary.Of());
        var common = CommonWords(articles, segmenter, 200);
        var total = Kinds.Sum(k => k.Weight);
        var specs = new List<QuerySpec>(count);
        while (specs.Count < count)
        {
            var pick = rnd.Next(total);
            var kind = Kinds.First(k => (pick -= k.Weight) < 0).Kind;
            var a = articles[rnd.Next(articles.Count)];
            var query = kind switch
            {
                QueryKind.CommonWord => common[rnd.Next(common.Count)],
                QueryKind.OneWord => Words(a.Title, rnd, segmenter, 1),
                QueryKind.TwoWords => Words(a.Title, rnd, segmenter, 2),
                QueryKind.ThreeWords => Words(a.Title, rnd, segmenter, 3),
                QueryKind.Name => Name(a.Title, segmenter),
                QueryKind.SingleCharacter => Han(a.Title) is { Length: > 0 } h ? h[rnd.Next(h.Length)].ToString() : null,
                QueryKind.QuotedPhrase => Han(a.Title) is { Length: >= 6 } h ? "\"" + h.Substring(rnd.Next(h.Length - 5), 4 + rnd.Next(3)) + "\"" : null,
                QueryKind.PastedParagraph => a.Body.Length >= 200 ? a.Body.Substring(rnd.Next(a.Body.Length - 199), 100 + rnd.Next(100)).ReplaceLineEndings(" ") : null,
                _ => null,
            };
            if (string.IsNullOrWhiteSpace(query)) continue;
            string? from = null, to = null;
            if (rnd.Next(2) == 0)
            {
                var days = new[] { 30, 90, 365 }[rnd.Next(3)];
                var start = first.AddDays(rnd.Next(Math.Max(1, last.DayNumber - first.DayNumber - days + 2)));
                from = start.ToString("yyyy-MM-dd");
                to = start.AddDays(days - 1).ToString("yyyy-MM-dd");
            }
            var sort = rnd.Next(3) == 0 ? SortOrder.NewestFirst : SortOrder.Relevance;
            var page = rnd.Next(4) == 0 ? 5 : 1;
            var size = rnd.Next(4) == 0 ? 50 : 10;
            specs.Add(new QuerySpec(query, from, to, sort, page) { Kind = kind, PageSize = size });
        }
        return specs;
    }

    /// <summary>The <paramref name="n"/> words of two or more characters found in the most titles.</summary>
    private static List<string> CommonWords(IReadOnlyList<Article> articles, TextSegmenter segmenter, int n)
    {
        var counts = new Dictionary<string, int>();
        var tokens = new List<TextToken>();
        foreach (var a in articles.Take(5000))
        {
            tokens.Clear();
            segmenter.Segment(a.Title, SegmentMode.Words, forQuery: true, tokens);
            foreach (var w in tokens.Where(t => t.Kind == TokenKind.Word && t.Term.Length >= 2).Select(t => t.Term).Distinct())
                counts[w] = counts.GetValueOrDefault(w) + 1;
        }
        return counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(n).Select(kv => kv.Key).ToList();
    }

    private static string? Words(string title, Random rnd, TextSegmenter segmenter, int n)
    {
        var tokens = new List<TextToken>();
        segmenter.Segment(title, SegmentMode.Words, forQuery: true, tokens);
        var words = tokens.Where(t => t.Kind == TokenKind.Word && t.Term.Length >= 2).Select(t => t.Term).Distinct().ToList();
        if (words.Count < n) return null;
        rnd.Shuffle(CollectionsMarshal.AsSpan(words));
        return string.Join(' ', words.Take(n));
    }

    /// <summary>A name as readers type one: a run of two to four characters SmartCn does not know as a word (it cuts them
    /// into single characters), such as a person's or place's name in a headline.</summary>
    private static string? Name(string title, TextSegmenter segmenter)
    {
        var tokens = new List<TextToken>();
        segmenter.Segment(title, SegmentMode.Words, forQuery: true, tokens);
        for (var i = 0; i < tokens.Count; i++)
        {
            var j = i;
            while (j < tokens.Count && tokens[j].Kind == TokenKind.Word && tokens[j].End - tokens[j].Start == 1
                   && (j == i || tokens[j - 1].End == tokens[j].Start)) j++;
            if (j - i is >= 2 and <= 4) return title[tokens[i].Start..tokens[j - 1].End];
            i = Math.Max(i, j - 1);
        }
        return null;
    }

    private static string Han(string text) => string.Concat(text.Where(c => c is >= '\u4e00' and <= '\u9fff'));
}
