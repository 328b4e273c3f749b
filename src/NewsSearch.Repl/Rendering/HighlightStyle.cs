namespace NewsSearch.Repl.Rendering;

/// <summary>How marked (matched) text is shown.</summary>
internal enum HighlightStyle
{
    /// <summary>[marked] — for pipes, files and terminals that asked for no colour.</summary>
    Brackets,

    /// <summary>Bold colour with ANSI escapes — for a terminal.</summary>
    Ansi,
}

internal static class Ansi
{
    public const string Highlight = "\e[1;33m";
    public const string Bold = "\e[1m";
    public const string Dim = "\e[2m";
    public const string Reset = "\e[0m";
}
