using System.Text;

namespace NewsSearch.Engine.Ingestion;

/// <summary>
/// Decodes article bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK and GB2312,
/// the usual encodings of Chinese pages). Bytes valid in none of these are rejected rather than indexed as mojibake.
/// </summary>
public static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Lazy<Encoding> Gb18030 = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    /// <summary>Decodes <paramref name="bytes"/>; returns false with a reason when no supported encoding fits.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text, out string? error)
    {
        error = null;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            return TryWith(StrictUtf8, bytes[3..], "UTF-8 (with BOM)", out text, out error);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            return TryWith(new UnicodeEncoding(false, false, true), bytes[2..], "UTF-16LE", out text, out error);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return TryWith(new UnicodeEncoding(true, false, true), bytes[2..], "UTF-16BE", out text, out error);
        if (TryWith(StrictUtf8, bytes, "UTF-8", out text, out error))
            return true;
        // Valid UTF-8 holding NUL is binary, and GB18030 would decode the same NUL: say so rather than blame the encoding.
        if (text.Contains('\0'))
        {
            text = "";
            return false;
        }
        if (TryWith(Gb18030.Value, bytes, "GB18030", out text, out error))
            return true;
        error = "bytes are neither valid UTF-8 nor valid GB18030/GBK";
        return false;
    }

    private static bool TryWith(Encoding encoding, ReadOnlySpan<byte> bytes, string name, out string text, out string? error)
    {
        try
        {
            text = encoding.GetString(bytes);
            error = null;
            if (text.Contains('\0'))
            {
                error = $"decoded as {name} but contains NUL characters (binary file?)";
                return false;
            }
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            error = $"invalid {name}";
            return false;
        }
    }
}
