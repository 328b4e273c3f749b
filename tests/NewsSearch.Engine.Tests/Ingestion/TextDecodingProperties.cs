using System.Text;
using CsCheck;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine.Tests.Ingestion;

/// <summary>Properties of <see cref="TextDecoding.TryDecode"/> over arbitrary bytes and encoded text.</summary>
public class TextDecodingProperties
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Arbitrary bytes, often behind one of the byte order marks that choose a decoder.</summary>
    private static readonly Gen<byte[]> AnyBytes = Gen.Select<byte[], byte[], byte[]>(
        Gen.OneOf<byte[]>([], Utf8Bom, [0xFF, 0xFE], [0xFE, 0xFF], [0xEF, 0xBB]),
        Gen.Frequency((4, Gen.Byte.Array[0, 64]), (1, Gen.Byte.Array[0, 5000]), (2, Gen.Byte[0x80, 0xFF].Array[0, 64])),
        (bom, bytes) => [.. bom, .. bytes]);

    private static readonly Gen<string> Text = TextGen.WellFormed(300).Where(s => !s.Contains('\0'));

    [Test]
    public void TryDecode_AnyBytes_NeverThrowsAndGivesTextOrAReason() =>
        AnyBytes.Sample(bytes =>
        {
            var ok = TextDecoding.TryDecode(bytes, out var text, out var error);
            return ok ? text is not null && error is null && !text.Contains('\0') : error is { Length: > 0 };
        }, iter: 2000);

    [Test]
    public void TryDecode_Utf8OfAnyText_RoundTrips() =>
        Text.Where(s => !s.StartsWith('\uFEFF')).Sample(s =>
        {
            var ok = TextDecoding.TryDecode(Encoding.UTF8.GetBytes(s), out var text, out var error);
            Prop.Equal((ok, text, error), (true, s, (string?)null), "decoded");
        }, iter: 1000);

    [Test]
    public void TryDecode_Utf8WithBomOfAnyText_RoundTripsWithoutTheBom() =>
        Text.Sample(s =>
        {
            var ok = TextDecoding.TryDecode([.. Utf8Bom, .. Encoding.UTF8.GetBytes(s)], out var text, out _);
            Prop.Equal((ok, text), (true, s), "decoded");
        }, iter: 1000);

    [Test]
    public void TryDecode_Utf16WithBomOfAnyText_RoundTrips() =>
        Gen.Select(Text, Gen.Bool).Sample((s, bigEndian) =>
        {
            var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);
            var ok = TextDecoding.TryDecode([.. encoding.GetPreamble(), .. encoding.GetBytes(s)], out var text, out _);
            Prop.Equal((ok, text), (true, s), "decoded");
        }, iter: 1000);

    [Test]
    public void TryDecode_Gb18030OfAnyTextThatIsNotAlsoUtf8_RoundTrips() =>
        Text.Select(s => (s, bytes: TextGen.Gb18030.GetBytes(s)))
            .Where(x => !TextGen.IsUtf8(x.bytes) && !x.bytes.AsSpan().StartsWith(Utf8Bom) && x.bytes is not [0xFF, 0xFE, ..] and not [0xFE, 0xFF, ..])
            .Sample((s, bytes) =>
            {
                var ok = TextDecoding.TryDecode(bytes, out var text, out _);
                Prop.Equal((ok, text), (true, s), "decoded");
            }, iter: 1000);

    [Test]
    public void TryDecode_TextWithNul_IsRejected() =>
        Gen.Select(Text, Text).Sample((a, b) =>
            !TextDecoding.TryDecode(Encoding.UTF8.GetBytes(a + "\0" + b), out _, out var error) && error!.Contains("NUL"), iter: 300);
}
