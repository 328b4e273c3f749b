using System.Text;
using CsCheck;

namespace NewsSearch.Engine.Tests.Ingestion;

/// <summary>CsCheck generators of the text article files hold, and of the text that breaks parsers.</summary>
internal static class TextGen
{
    /// <summary>Characters that line splitting, trimming and the page chrome rules treat specially.</summary>
    private const string Special = "\t\v\f\r\u0085\u2028\u2029\u3000\u00A0\uFEFF\u200B ,;，；。？！?!-0123456789相关文章发表评论";

    /// <summary>One UTF-16 unit, weighted towards Chinese text and towards the units that trip parsers up.</summary>
    public static readonly Gen<char> Unit = Gen.Frequency(
        (10, Gen.Char[' ', '~']),
        (12, Gen.Char['\u4E00', '\u9FFF']),
        (4, Gen.Char[Special]),
        (2, Gen.Char['\0', '\u001F']),
        (2, Gen.Char['\uFF00', '\uFFEF']),
        (2, Gen.Char['\uD800', '\uDFFF']),
        (1, Gen.Char));

    /// <summary>One character as a string: a single unit or a well-formed surrogate pair (emoji, CJK Extension B).</summary>
    public static readonly Gen<string> WellFormedPiece = Gen.Frequency(
        (20, Unit.Where(c => !char.IsSurrogate(c)).Select(c => c.ToString())),
        (2, Gen.Int[0x20000, 0x2A6DF].Select(char.ConvertFromUtf32)),
        (1, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)));

    /// <summary>Any string: unpaired surrogates and control characters included.</summary>
    public static Gen<string> AnyString(int maxLength) =>
        Gen.Frequency(
            (3, Unit.Array[0, maxLength].Select(a => new string(a))),
            (3, WellFormed(maxLength)));

    /// <summary>A string with no unpaired surrogate, so it has a UTF-8 encoding.</summary>
    public static Gen<string> WellFormed(int maxPieces) => WellFormedPiece.Array[0, maxPieces].Select(string.Concat);

    /// <summary>A well-formed string with no character that ends a line (<see cref="string.ReplaceLineEndings()"/>'s set).</summary>
    public static Gen<string> OneLine(int maxPieces) =>
        WellFormed(maxPieces).Select(s => string.Concat(s.Where(c => !IsLineBreak(c))));

    public static bool IsLineBreak(char c) => c is '\n' or '\r' or '\f' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>True when <paramref name="s"/> has no unpaired surrogate.</summary>
    public static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else if (char.IsSurrogate(s[i])) return false;
        }
        return true;
    }

    /// <summary>GB18030 (a superset of GBK), as Chinese exports are often encoded.</summary>
    public static readonly Encoding Gb18030 = CreateGb18030();

    private static Encoding CreateGb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }

    public static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>True when <paramref name="bytes"/> are valid UTF-8.</summary>
    public static bool IsUtf8(byte[] bytes)
    {
        try { StrictUtf8.GetString(bytes); return true; }
        catch (DecoderFallbackException) { return false; }
    }
}

/// <summary>
/// Checks inside a CsCheck sample. A plain exception, not an NUnit assertion: NUnit records a failed assertion in the
/// test result even when CsCheck catches it to shrink, and the result would then list every failing sample.
/// </summary>
internal static class Prop
{
    public static void Require(bool condition, string message)
    {
        if (!condition) throw new PropertyFailedException(message);
    }

    public static void Equal<T>(T actual, T expected, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(actual, expected))
            throw new PropertyFailedException($"{what}: expected {Show(expected)} but was {Show(actual)}");
    }

    private static string Show<T>(T value) => value is null ? "null" : value is string s ? $"\"{s}\"" : value.ToString() ?? "";
}

internal sealed class PropertyFailedException(string message) : Exception(message);
