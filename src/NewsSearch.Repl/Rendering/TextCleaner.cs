using System.Text;

namespace NewsSearch.Repl.Rendering;

/// <summary>Keeps text from the service from moving the cursor or changing colours: control characters go.</summary>
internal static class TextCleaner
{
    /// <summary>Line breaks and tabs become spaces; other control characters are dropped.</summary>
    public static string SingleLine(string text) => Clean(text, keepLineBreaks: false);

    /// <summary>Line breaks are kept (as \n); tabs and the other control characters are handled as in <see cref="SingleLine"/>.</summary>
    public static string MultiLine(string text) => Clean(text.Replace("\r\n", "\n", StringComparison.Ordinal), keepLineBreaks: true);

    private static string Clean(string text, bool keepLineBreaks)
    {
        if (!text.Any(char.IsControl)) return text;
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsControl(c)) sb.Append(c);
            else if (c == '\n' && keepLineBreaks) sb.Append('\n');
            else if (c is '\n' or '\r' or '\t') sb.Append(' ');
        }
        return sb.ToString();
    }
}
