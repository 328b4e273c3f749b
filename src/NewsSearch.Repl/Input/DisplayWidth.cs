namespace NewsSearch.Repl.Input;

/// <summary>
/// Terminal cells a character takes: 2 for East Asian wide characters (CJK, Hangul, full-width forms) and for
/// characters outside the BMP, 1 otherwise. A simple table, not full Unicode East Asian Width.
/// </summary>
internal static class DisplayWidth
{
    public static bool IsWide(char c) => c is
        (>= '\u1100' and <= '\u115F') or
        (>= '\u2E80' and <= '\uA4CF') or
        (>= '\uAC00' and <= '\uD7A3') or
        (>= '\uF900' and <= '\uFAFF') or
        (>= '\uFE30' and <= '\uFE4F') or
        (>= '\uFF00' and <= '\uFF60') or
        (>= '\uFFE0' and <= '\uFFE6');

    /// <summary>Cells for the character at <paramref name="index"/>: a surrogate pair counts 2 on its high half and 0 on its low half.</summary>
    public static int At(string text, int index)
    {
        var c = text[index];
        if (char.IsLowSurrogate(c) && index > 0 && char.IsHighSurrogate(text[index - 1])) return 0;
        if (char.IsSurrogate(c)) return 2;
        if (char.IsControl(c)) return 0;
        return IsWide(c) ? 2 : 1;
    }

    public static int Of(string text)
    {
        var width = 0;
        for (var i = 0; i < text.Length; i++) width += At(text, i);
        return width;
    }
}
