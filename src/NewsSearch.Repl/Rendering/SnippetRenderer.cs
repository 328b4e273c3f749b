using System.Net;
using System.Text;

namespace NewsSearch.Repl.Rendering;

/// <summary>
/// Turns a service snippet (HTML-escaped text with the matches wrapped in &lt;em&gt;…&lt;/em&gt;) into console text:
/// entities decoded, matches highlighted, control characters that could upset the terminal removed.
/// </summary>
internal static class SnippetRenderer
{
    private const string Open = "<em>", Close = "</em>";

    public static string Render(string snippet, HighlightStyle style)
    {
        var sb = new StringBuilder(snippet.Length + 16);
        foreach (var (text, marked) in Segments(snippet))
        {
            if (!marked) sb.Append(text);
            else if (style == HighlightStyle.Ansi) sb.Append(Ansi.Highlight).Append(text).Append(Ansi.Reset);
            else sb.Append('[').Append(text).Append(']');
        }
        return sb.ToString();
    }

    /// <summary>Decoded, cleaned runs of text, adjacent runs with the same marking merged and empty runs dropped.</summary>
    private static List<(string Text, bool Marked)> Segments(string snippet)
    {
        var runs = new List<(string Text, bool Marked)>();
        var depth = 0;
        var i = 0;
        while (i < snippet.Length)
        {
            var next = snippet.IndexOf('<', i);
            if (next < 0) next = snippet.Length;
            var isOpen = next < snippet.Length && string.CompareOrdinal(snippet, next, Open, 0, Open.Length) == 0;
            var isClose = next < snippet.Length && string.CompareOrdinal(snippet, next, Close, 0, Close.Length) == 0;
            if (next < snippet.Length && !isOpen && !isClose)
            {
                // A bare '<' (the service escapes text, so this is not expected): keep it as text.
                Add(runs, snippet[i..(next + 1)], depth > 0);
                i = next + 1;
                continue;
            }
            Add(runs, snippet[i..next], depth > 0);
            if (isOpen) { depth++; i = next + Open.Length; }
            else if (isClose) { depth = Math.Max(0, depth - 1); i = next + Close.Length; }
            else i = next;
        }
        return runs;
    }

    private static void Add(List<(string Text, bool Marked)> runs, string escaped, bool marked)
    {
        var text = TextCleaner.SingleLine(WebUtility.HtmlDecode(escaped));
        if (text.Length == 0) return;
        if (runs.Count > 0 && runs[^1].Marked == marked) runs[^1] = (runs[^1].Text + text, marked);
        else runs.Add((text, marked));
    }
}
