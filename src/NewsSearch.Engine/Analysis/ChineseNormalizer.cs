using System.Collections.Frozen;
using System.Text;

namespace NewsSearch.Engine.Analysis;

/// <summary>
/// Folds text to one searchable form without changing its length, so every offset into the folded text is an offset
/// into the original: full-width ASCII to half-width, the ideographic space to a space, ASCII to lower case and
/// Traditional Chinese characters to Simplified (OpenCC's TSCharacters table, first candidate, length-preserving
/// entries only; see Data/NOTICE-OpenCC.txt).
/// </summary>
public static class ChineseNormalizer
{
    private static readonly FrozenDictionary<int, int> TraditionalToSimplified = LoadTable();

    /// <summary>
    /// The fold of every UTF-16 code unit outside the surrogates, built once from the rules below (128 KB): one array
    /// read per character instead of range tests and a dictionary lookup per Chinese character. Every article is
    /// folded when it is indexed and again, per hit, when its snippet is built.
    /// </summary>
    private static readonly char[] BmpFold = BuildBmpFold();

    /// <summary>The Traditional → Simplified code points the folding applies (length-preserving entries only).</summary>
    public static IReadOnlyDictionary<int, int> TraditionalTable => TraditionalToSimplified;

    /// <summary>Returns the folded form of <paramref name="text"/>, of the same length.</summary>
    public static string Normalize(string text)
    {
        var chars = text.ToCharArray();
        NormalizeInPlace(chars, chars.Length);
        return new string(chars);
    }

    /// <summary>Folds the first <paramref name="length"/> characters of <paramref name="buffer"/> in place.</summary>
    public static void NormalizeInPlace(char[] buffer, int length)
    {
        var fold = BmpFold;
        for (var i = 0; i < length; i++)
        {
            var c = buffer[i];
            if (!char.IsSurrogate(c))
            {
                buffer[i] = fold[c];
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < length && char.IsLowSurrogate(buffer[i + 1]))
            {
                if (TraditionalToSimplified.TryGetValue(char.ConvertToUtf32(c, buffer[i + 1]), out var s) && s > 0xFFFF)
                {
                    var pair = char.ConvertFromUtf32(s);
                    buffer[i] = pair[0];
                    buffer[i + 1] = pair[1];
                }
                i++;
            }
        }
    }

    /// <summary>
    /// The fold of one code unit outside the surrogates: ASCII letters to lower case; full-width ASCII (U+FF01–U+FF5E)
    /// to half-width, letters lower-cased; the ideographic space to a space; Traditional to Simplified where both are
    /// one code unit; anything else unchanged.
    /// </summary>
    private static char FoldOne(char c)
    {
        if (c < 0x80) return c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        if (c is >= '\uFF01' and <= '\uFF5E')
        {
            c = (char)(c - 0xFEE0);
            return c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }
        if (c == '\u3000') return ' ';
        return c >= 0x3400 && TraditionalToSimplified.TryGetValue(c, out var simplified) && simplified <= 0xFFFF ? (char)simplified : c;
    }

    private static char[] BuildBmpFold()
    {
        var table = new char[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++) table[c] = char.IsSurrogate((char)c) ? (char)c : FoldOne((char)c);
        return table;
    }

    private static FrozenDictionary<int, int> LoadTable()
    {
        using var stream = typeof(ChineseNormalizer).Assembly
            .GetManifestResourceStream("NewsSearch.Engine.Analysis.Data.t2s-chars.txt")
            ?? throw new InvalidOperationException("embedded resource t2s-chars.txt is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var map = new Dictionary<int, int>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var tab = line.IndexOf('\t');
            if (tab < 0) continue;
            var t = char.ConvertToUtf32(line, 0);
            var s = char.ConvertToUtf32(line, tab + 1);
            // Only same-length replacements keep offsets exact.
            if (char.ConvertFromUtf32(t).Length == char.ConvertFromUtf32(s).Length) map[t] = s;
        }
        return map.ToFrozenDictionary();
    }
}
