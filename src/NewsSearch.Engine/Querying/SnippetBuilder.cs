using System.Buffers;
using System.Net;
using System.Text;
using NewsSearch.Engine.Analysis;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Builds a hit's snippet and marked title from its stored text: finds where the query's words, codes and phrases occur
/// in the folded text (the same folding the index applies, which keeps offsets), picks the body window that holds most
/// of them and marks exactly those characters. The cost is per hit and per character of its text, whatever the size
/// of the index: reading offsets from the postings instead cost a postings lookup per query term and hit, and was more
/// than half of a pasted paragraph's search on cctv (BENCHMARKS.md, issue 11).
/// </summary>
internal static class SnippetBuilder
{
    public const int Length = 140;
    private const int Lead = 24;
    public const string Open = "<em>", Close = "</em>";

    /// <summary>
    /// For each hit, in order: the snippet of its body, and its whole title HTML-escaped, both with the occurrences of
    /// <paramref name="marks"/> marked. The marks are folded once for the whole page.
    /// </summary>
    public static (string Snippet, string Title)[] Build(IReadOnlyList<(string Title, string Body)> hits, IReadOnlyList<string> marks)
    {
        var needles = Needles(marks);
        var result = new (string, string)[hits.Count];
        for (var i = 0; i < hits.Count; i++)
        {
            var (title, body) = hits[i];
            result[i] = (Render(body, Merge(Find(body, needles))), Mark(title, Merge(Find(title, needles)), 0, title.Length));
        }
        return result;
    }

    /// <summary>A mark as it is looked for: its folded letters and digits (what the index keeps of it).</summary>
    private static List<string> Needles(IReadOnlyList<string> marks) => marks.Select(m =>
    {
        var chars = m.ToCharArray();
        ChineseNormalizer.NormalizeInPlace(chars, chars.Length);
        return new string(chars, 0, Project(chars, chars.Length, offsets: null));
    }).Where(n => n.Length > 0).Distinct().ToList();

    /// <summary>
    /// Keeps the letters and digits of <c>chars[..length]</c> (punctuation and spaces separate nothing the index keeps)
    /// at its start, recording the offset of each in <paramref name="offsets"/>; returns how many were kept.
    /// </summary>
    private static int Project(char[] chars, int length, int[]? offsets)
    {
        var kept = 0;
        for (var i = 0; i < length; i++)
        {
            var c = chars[i];
            if (!Keeps(c)) continue;
            if (offsets is not null) offsets[kept] = i;
            chars[kept++] = c;
        }
        return kept;
    }

    /// <summary>The code units <see cref="Project"/> keeps (letters, digits and surrogates), one bit each (8 KB): a
    /// Chinese character's Unicode category is otherwise looked up in the runtime's tables, per character of every
    /// hit's text.</summary>
    private static readonly ulong[] Kept = BuildKept();

    /// <summary>Whether the index keeps <paramref name="c"/> (a letter, a digit, or half of a surrogate pair).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static bool Keeps(char c) => (Kept[c >> 6] & (1UL << c)) != 0;

    private static ulong[] BuildKept()
    {
        var bits = new ulong[(char.MaxValue + 1) / 64];
        for (var c = 0; c <= char.MaxValue; c++)
            if (char.IsLetterOrDigit((char)c) || char.IsSurrogate((char)c)) bits[c >> 6] |= 1UL << c;
        return bits;
    }

    /// <summary>Every occurrence of each needle in <paramref name="text"/>, as (start, end, needle) spans of the text.</summary>
    /// <remarks>The folded, projected text lives in pooled buffers: five copies of each hit's text were a third of what
    /// a search allocated.</remarks>
    private static List<(int Start, int End, int Group)> Find(string text, List<string> needles)
    {
        var spans = new List<(int Start, int End, int Group)>();
        if (needles.Count == 0 || text.Length == 0) return spans;
        var chars = ArrayPool<char>.Shared.Rent(text.Length);
        var offsets = ArrayPool<int>.Shared.Rent(text.Length);
        try
        {
            text.CopyTo(0, chars, 0, text.Length);
            ChineseNormalizer.NormalizeInPlace(chars, text.Length);
            ReadOnlySpan<char> projected = chars.AsSpan(0, Project(chars, text.Length, offsets));
            for (var g = 0; g < needles.Count; g++)
            {
                var needle = needles[g];
                for (var from = 0; from < projected.Length;)
                {
                    var found = projected[from..].IndexOf(needle, StringComparison.Ordinal);
                    if (found < 0) break;
                    var at = from + found;
                    var end = at + needle.Length;
                    if (WholeCode(projected, at, end)) spans.Add((offsets[at], offsets[end - 1] + 1, g));
                    from = at + 1;
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<int>.Shared.Return(offsets);
        }
        return spans;
    }

    /// <summary>
    /// A code is marked only where the text's code is the same or extends it with letters: H20 in H20 and H20E, not
    /// in AH20 or H200 (the index keeps such codes whole, so those are other codes).
    /// </summary>
    private static bool WholeCode(ReadOnlySpan<char> projected, int start, int end)
    {
        static bool Ascii(char c) => char.IsAsciiLetterOrDigit(c);
        if (start > 0 && Ascii(projected[start]) && Ascii(projected[start - 1])) return false;
        if (end < projected.Length && char.IsAsciiDigit(projected[end - 1]) && char.IsAsciiDigit(projected[end])) return false;
        if (end < projected.Length && char.IsAsciiLetter(projected[end - 1]) && char.IsAsciiLetter(projected[end])) return false;
        return true;
    }

    private static List<(int Start, int End, int Group)> Merge(List<(int Start, int End, int Group)> spans)
    {
        spans.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var merged = new List<(int Start, int End, int Group)>();
        foreach (var s in spans)
        {
            if (merged.Count > 0 && s.Start <= merged[^1].End)
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, s.End), merged[^1].Group);
            else merged.Add(s);
        }
        return merged;
    }

    private static string Render(string body, List<(int Start, int End, int Group)> spans)
    {
        var windowStart = 0;
        if (spans.Count > 0)
        {
            // The window holding the most distinct query parts wins; ties go to the earliest.
            var best = -1;
            var groups = new HashSet<int>();
            for (var i = 0; i < spans.Count; i++)
            {
                var from = spans[i].Start;
                groups.Clear();
                var j = i;
                for (; j < spans.Count && spans[j].End <= from + Length; j++) groups.Add(spans[j].Group);
                var score = groups.Count * 1000 + (j - i);
                if (score > best) { best = score; windowStart = from; }
            }
            windowStart = SnapBack(body, Math.Max(0, windowStart - Lead), windowStart);
        }
        var windowEnd = Math.Min(body.Length, windowStart + Length);
        if (windowEnd < body.Length && char.IsHighSurrogate(body[windowEnd - 1])) windowEnd--;

        return (windowStart > 0 ? "…" : "") + Mark(body, spans, windowStart, windowEnd) + (windowEnd < body.Length ? "…" : "");
    }

    /// <summary>text[from..to], HTML-escaped, with the parts of <paramref name="spans"/> inside it marked.</summary>
    private static string Mark(string text, List<(int Start, int End, int Group)> spans, int from, int to)
    {
        var sb = new StringBuilder(to - from + 64);
        var cursor = from;
        foreach (var (start, end, _) in spans)
        {
            if (end <= from || start >= to) continue;
            var s = Math.Max(start, from);
            var e = Math.Min(end, to);
            Append(sb, text, cursor, s);
            sb.Append(Open);
            Append(sb, text, s, e);
            sb.Append(Close);
            cursor = e;
        }
        Append(sb, text, cursor, to);
        return sb.ToString();
    }

    /// <summary>Moves the window start back to a sentence start when one is close before the first match.</summary>
    private static int SnapBack(string body, int earliest, int match)
    {
        for (var i = match - 1; i >= earliest; i--)
            if (Array.IndexOf(SentenceEnds, body[i]) >= 0) return i + 1;
        return earliest;
    }

    // 。！？；and their ASCII forms, and line breaks.
    private static readonly char[] SentenceEnds = ['\u3002', '\uFF01', '\uFF1F', '\uFF1B', '!', '?', ';', '\n'];

    private static void Append(StringBuilder sb, string body, int from, int to)
    {
        if (to <= from) return;
        sb.Append(WebUtility.HtmlEncode(body[from..to].Replace('\n', ' ')));
    }
}
