using NewsSearch.Engine.Analysis;

namespace NewsSearch.Eval;

/// <summary>
/// Makes known-item queries from a corpus, deterministically for a seed: for each sampled article, (a) 2–4 words of
/// its body that are rare in the collection and absent from its title, as a reader remembers a story by what was
/// particular to it, and (b) its title reworded: some of its words, reordered, without single characters (mostly
/// function words). Words are the engine's SmartCn words. Articles whose title is not unique in the corpus (the daily
/// round-ups 国内联播快讯 / 国际联播快讯) or whose body is short are not sampled: no query could single them out.
/// </summary>
public static class KnownItemGenerator
{
    /// <summary>Body words are drawn from this many rarest candidates: the very rarest are often one-off
    /// segmentation accidents, and a reader recalls salient words, not necessarily the rarest.</summary>
    public const int RareWordPool = 12;

    public const int MinBodyChars = 200;

    public static List<KnownItemQuery> Generate(IReadOnlyList<CorpusArticle> corpus, int count, int seed)
    {
        var segmenter = new TextSegmenter(new UserDictionary());
        var tokens = new List<TextToken>();
        List<string> Words(string text, bool allowCodes)
        {
            segmenter.Segment(text, SegmentMode.Words, forQuery: true, tokens);
            return tokens.Where(t => IsContent(t, allowCodes)).Select(t => t.Term).ToList();
        }

        // Document frequency of body words over the whole collection.
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        var bodies = new List<string>[corpus.Count];
        for (var i = 0; i < corpus.Count; i++)
        {
            bodies[i] = Words(corpus[i].Body, allowCodes: false);
            foreach (var w in bodies[i].Distinct(StringComparer.Ordinal)) df[w] = df.GetValueOrDefault(w) + 1;
        }
        var titleCounts = corpus.GroupBy(a => a.Title, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        var random = new Random(seed);
        var order = Enumerable.Range(0, corpus.Count).ToArray();
        random.Shuffle(order);
        var queries = new List<KnownItemQuery>();
        var taken = 0;
        foreach (var i in order)
        {
            if (taken == count) break;
            var a = corpus[i];
            if (a.Body.Length < MinBodyChars || titleCounts[a.Title] != 1) continue;
            var titleWords = Words(a.Title, allowCodes: true).Distinct(StringComparer.Ordinal).ToList();
            var rare = bodies[i].Distinct(StringComparer.Ordinal)
                .Where(w => df[w] >= 2 && !a.Title.Contains(w, StringComparison.Ordinal))
                .Select((w, position) => (Word: w, Position: position))
                .OrderBy(x => df[x.Word]).ThenBy(x => x.Position)
                .Take(RareWordPool).ToList();
            if (titleWords.Count == 0 || rare.Count < 2) continue;

            taken++;
            var n = taken.ToString("000", System.Globalization.CultureInfo.InvariantCulture);
            var pick = random.Next(2, 5);
            var body = rare.OrderBy(_ => random.Next()).Take(pick).OrderBy(x => x.Position).Select(x => x.Word);
            queries.Add(new KnownItemQuery($"ki-{n}-body", a.Id, "body", string.Join(" ", body)));
            queries.Add(new KnownItemQuery($"ki-{n}-title", a.Id, "title", string.Join(" ", Reword(titleWords, random))));
        }
        return queries;
    }

    /// <summary>Some of the title's words in another order: all of one or two words (two swapped), otherwise about
    /// 60% of them (2 to 5), shuffled.</summary>
    internal static List<string> Reword(List<string> words, Random random)
    {
        if (words.Count <= 2) return Enumerable.Reverse(words).ToList();
        var keep = Math.Clamp((int)Math.Ceiling(words.Count * 0.6), 2, 5);
        var chosen = words.OrderBy(_ => random.Next()).Take(keep).ToList();
        return chosen;
    }

    /// <summary>A Chinese word of two or more characters (no digits), or with <paramref name="allowCodes"/> a code
    /// that holds a letter (C919, not 2025).</summary>
    internal static bool IsContent(TextToken t, bool allowCodes) => t.Kind switch
    {
        TokenKind.Word => t.Term.Length >= 2 && t.Term.All(c => char.IsLetter(c) && c > 0x2E7F),
        TokenKind.Code => allowCodes && t.Term.Any(char.IsLetter) && t.Term.Length >= 2,
        _ => false,
    };
}
