namespace NewsSearch.Eval;

/// <summary>
/// The probe's independent truth, computed from the raw text without the engine: an article matches when its
/// title + body, folded here (full-width ASCII to half-width, ideographic space to space, ASCII to lower case — no
/// Traditional-to-Simplified folding: the expected forms are written by hand), contains the expected literal.
/// Codes (expected forms made only of ASCII letters, digits and the joiners . - _) must not be preceded or followed
/// by an ASCII letter or digit.
/// </summary>
public static class ProbeTruth
{
    public static string Fold(string text) => string.Create(text.Length, text, static (span, s) =>
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '\uFF01' and <= '\uFF5E') c = (char)(c - 0xFEE0);
            else if (c == '\u3000') c = ' ';
            span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }
    });

    public static bool IsCode(string expected) =>
        expected.Length > 0 && expected.Any(char.IsAsciiLetterOrDigit) &&
        expected.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    /// <summary>True when <paramref name="folded"/> (already <see cref="Fold"/>ed) contains <paramref name="expected"/>.</summary>
    public static bool Matches(string folded, string expected, bool code)
    {
        var needle = Fold(expected);
        for (var at = folded.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = folded.IndexOf(needle, at + 1, StringComparison.Ordinal))
        {
            if (!code) return true;
            var end = at + needle.Length;
            if ((at == 0 || !char.IsAsciiLetterOrDigit(folded[at - 1])) && (end == folded.Length || !char.IsAsciiLetterOrDigit(folded[end])))
                return true;
        }
        return false;
    }

    /// <summary>The text a truth is computed on: title and body, separated so that no match spans them.</summary>
    public static string Document(string title, string body) => Fold(title + "\n" + body);

    /// <summary>Where <paramref name="expected"/> first occurs, with some context, for reports.</summary>
    public static string Context(string text, string expected, int around = 18)
    {
        var folded = Fold(text);
        var at = folded.IndexOf(Fold(expected), StringComparison.Ordinal);
        if (at < 0) return "";
        var start = Math.Max(0, at - around);
        var end = Math.Min(text.Length, at + expected.Length + around);
        return text[start..end].Replace('\n', '⏎');
    }
}

/// <summary>One probe query's figures.</summary>
/// <param name="PrecisionAt10">Share of the top-10 hits (or of all hits when fewer) in the truth; 0 when there is no hit
/// although the truth is not empty, 1 when both are empty.</param>
/// <param name="Recall">Share of the truth found anywhere in the hits; 1 when the truth is empty.</param>
/// <param name="HitPrecision">Share of all hits in the truth.</param>
public sealed record ProbeScore(double PrecisionAt10, double Recall, double HitPrecision, int Truth, int Hits, int Found);

public static class ProbeMetrics
{
    public static ProbeScore Score(IReadOnlyList<string> hits, IReadOnlySet<string> truth)
    {
        var distinct = hits.Distinct(StringComparer.Ordinal).ToList();
        var top = distinct.Take(10).ToList();
        var found = distinct.Count(truth.Contains);
        return new ProbeScore(
            PrecisionAt10: top.Count == 0 ? (truth.Count == 0 ? 1 : 0) : (double)top.Count(truth.Contains) / top.Count,
            Recall: truth.Count == 0 ? 1 : (double)found / truth.Count,
            HitPrecision: distinct.Count == 0 ? (truth.Count == 0 ? 1 : 0) : (double)found / distinct.Count,
            Truth: truth.Count,
            Hits: distinct.Count,
            Found: found);
    }
}
