using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using NewsSearch.Engine.Ingestion;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Ingestion;

/// <summary>
/// Properties of reading JSON Lines through <see cref="SeedReader.Read"/>: files of generated lines, each of which
/// knows what reading it should give. Dates stay within 1900..2100.
/// </summary>
public partial class SeedReaderProperties
{
    [GeneratedRegex(@"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")]
    private static partial Regex SurrogateEscape();

    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private TempFolder _dir = null!;

    [OneTimeSetUp]
    public void CreateFolder() => _dir = new TempFolder("props");

    [OneTimeTearDown]
    public void DeleteFolder() => _dir.Dispose();

    /// <summary>One line of a file (without its '\n') and what reading it must give.</summary>
    private abstract record Line(byte[] Bytes)
    {
        public sealed override string ToString() => $"{GetType().Name}: {Printable(Bytes)}";
    }

    /// <summary>Space, tab and CR only: no item.</summary>
    private sealed record Blank(byte[] Bytes) : Line(Bytes);

    /// <summary>A record that must come back as an article with exactly these fields (id null: the path-derived id).</summary>
    private sealed record Valid(byte[] Bytes, string? Id, string Title, string Body, DateTimeOffset? Published, string? Url, string? Source) : Line(Bytes);

    /// <summary>A line that must be skipped with a reason containing <paramref name="Reason"/>.</summary>
    private sealed record Skipped(byte[] Bytes, string Reason) : Line(Bytes);

    /// <summary>A record whose date the reader may take or refuse; if refused, the reason names the field.</summary>
    private sealed record OddDate(byte[] Bytes, string Field, bool Blank) : Line(Bytes);

    /// <summary>Anything else: one item, article or skip.</summary>
    private sealed record Unknown(byte[] Bytes) : Line(Bytes);

    private static string Printable(byte[] b) =>
        b.Length > 300 ? $"{b.Length} bytes starting {Printable(b[..120])}" : TextGen.IsUtf8(b) ? Encoding.UTF8.GetString(b) : Convert.ToHexString(b);

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Json(IEnumerable<KeyValuePair<string, object?>> fields, bool escapeAll) =>
        JsonSerializer.SerializeToUtf8Bytes(fields.ToDictionary(kv => kv.Key, kv => kv.Value), escapeAll ? JsonSerializerOptions.Default : Relaxed);

    private static readonly Gen<string> FieldText = Gen.Frequency(
        (6, TextGen.WellFormed(40)),
        (1, Gen.OneOf("", " ", " \u3000 ", "\t正文\t", "\uFEFF")),
        (1, TextGen.WellFormed(20).Select(s => $"  {s}\u3000")));

    private static readonly Gen<string> Id = Gen.Frequency(
        (5, TextGen.WellFormed(30).Where(s => s.Length > 0)),
        (1, Gen.Char['a', 'z'].Array[513, 600].Select(a => new string(a))),
        (1, Gen.OneOf("", " ", "\u3000\t")));

    /// <summary>A date field value and the instant it means, or null for a value that sets no date.</summary>
    private static readonly Gen<(string Value, DateTimeOffset? Instant)> GoodDate = Gen.Frequency(
        (4, Gen.Select(Gen.Int[1900, 2100], Gen.Int[1, 12], Gen.Int[1, 28], (y, m, d) =>
            (new DateOnly(y, m, d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), (DateTimeOffset?)StartOfDay(new DateTime(y, m, d))))),
        (3, Gen.Select(Gen.DateTime[new DateTime(1900, 1, 2), new DateTime(2100, 12, 30)], Gen.Int[-14 * 60, 14 * 60], Gen.Bool, (t, minutes, zulu) =>
        {
            var instant = new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Unspecified), zulu ? TimeSpan.Zero : TimeSpan.FromMinutes(minutes));
            instant = instant.AddTicks(-(instant.Ticks % TimeSpan.TicksPerSecond));
            var text = zulu ? instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                : instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            return (text, (DateTimeOffset?)instant);
        })),
        (1, Gen.OneOf(new DateTime(1919, 4, 13), new DateTime(1940, 6, 1), new DateTime(1949, 5, 1), new DateTime(1900, 1, 1))
            .Select(d => (d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), (DateTimeOffset?)StartOfDay(d)))),
        (1, Gen.OneOf<(string, DateTimeOffset?)>(("", null), ("  ", null))));

    /// <summary>The first instant of a day in Shanghai.</summary>
    private static DateTimeOffset StartOfDay(DateTime midnight) =>
        // Summer time began at midnight in 1919 and the 1940s: that day began at the jump, midnight in the offset before it.
        Shanghai.IsInvalidTime(midnight)
            ? new DateTimeOffset(midnight, Shanghai.GetUtcOffset(midnight.AddHours(-12)))
            : new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(midnight, Shanghai));

    private static readonly Gen<string> OddDateText = Gen.OneOf(
        "2025-02-30", "2025-13-01", "2025-7-1", "2025-07-01T10:00:00", "2025-07-01 10:00", "2025-07-01T25:00:00Z",
        "2025-07-01t10:00:00z", "2025-07-01T10:00:00.123456789+14:00", "2025-07-01T10:00:00-12:00", " 2025-07-01 ",
        "２０２５-０７-０１", "2025年7月1日", "1900-01-01", "2100-12-31T23:59:59-14:00", "yesterday", "2025-07-01Z",
        "2025-07-01T10:00:00+25:00", "1900-01-01T00:00:00+14:00");

    private static readonly Gen<Line> ValidLine =
        Gen.Select(Gen.Select(Gen.Frequency((3, Id.Select(i => (string?)i)), (1, Gen.Const((string?)null))), FieldText, FieldText, GoodDate),
            Gen.Select(Gen.Bool, Gen.OneOf("published", "date"), TextGen.WellFormed(20).Select(s => (string?)s), Gen.Bool, Gen.Bool),
            (a, b) =>
            {
                var (id, title, body, date) = a;
                var (escapeAll, dateField, url, withUrl, withExtra) = b;
                var fields = new List<KeyValuePair<string, object?>>();
                if (id is not null) fields.Add(new("id", id));
                fields.Add(new("title", title));
                fields.Add(new("body", body));
                fields.Add(new(dateField, date.Value));
                if (withUrl) { fields.Add(new("url", url)); fields.Add(new("source", "来源" + url)); }
                if (withExtra) fields.Add(new("extra", new object?[] { 1, "x", null, new Dictionary<string, object> { ["k"] = true } }));
                var bytes = Json(fields, escapeAll);
                if (id is not null && (string.IsNullOrWhiteSpace(id) || id.Length > 512))
                    return (Line)new Skipped(bytes, "\"id\" is empty, blank or longer than 512 characters");
                if (title.Trim().Length == 0 && body.Trim().Length == 0) return new Skipped(bytes, "record has neither title nor body");
                return new Valid(bytes, id, title.Trim(), body.Trim(), date.Instant, withUrl ? url : null, withUrl ? "来源" + url : null);
            });

    /// <summary>A record whose body is hundreds of kilobytes, past the reader's first buffer.</summary>
    private static readonly Gen<Line> HugeLine = Gen.Select(Gen.Char['\u4E00', '\u9FFF'], Gen.Int[30_000, 120_000], (c, n) =>
    {
        var body = new string(c, n);
        return (Line)new Valid(Json([new("id", "huge"), new("title", "长"), new("body", body)], false), "huge", "长", body, null, null, null);
    });

    private static readonly Gen<Line> OddDateLine = Gen.Select(OddDateText, Gen.OneOf("published", "date"), (d, field) =>
        (Line)new OddDate(Json([new("title", "t"), new("body", "b"), new(field, d)], false), field, string.IsNullOrWhiteSpace(d)));

    private static readonly Gen<Line> NumberLine = Gen.OneOf<Line>(
        new Valid("{\"id\": 1e400, \"title\": 123456789012345678901234567890, \"body\": -0.0e-999}"u8.ToArray(),
            "1e400", "123456789012345678901234567890", "-0.0e-999", null, null, null),
        new Skipped("{\"title\": \"t\", \"date\": 99999999999999999999999}"u8.ToArray(), "\"date\" value '99999999999999999999999'"),
        new Skipped("{\"title\": \"t\", \"published\": 20250701}"u8.ToArray(), "\"published\" value '20250701'"),
        new Skipped("{\"title\": true, \"body\": [\"b\"], \"url\": {}, \"id\": null}"u8.ToArray(), "record has neither title nor body"));

    private static readonly Gen<Line> OtherJsonLine = Gen.OneOf<Line>(
        new Skipped("[1, 2, 3]"u8.ToArray(), "not a JSON object"),
        new Skipped("\"a string\""u8.ToArray(), "not a JSON object"),
        new Skipped("42"u8.ToArray(), "not a JSON object"),
        new Skipped("null"u8.ToArray(), "not a JSON object"),
        new Skipped("true"u8.ToArray(), "not a JSON object"),
        new Skipped("{}"u8.ToArray(), "record has neither title nor body"),
        new Skipped("{\"id\": \"x\"}"u8.ToArray(), "record has neither title nor body"),
        new Skipped("{\"title\": \"t\""u8.ToArray(), "invalid JSON"),
        new Skipped("{\"title\": \"t\"} {\"title\": \"u\"}"u8.ToArray(), "invalid JSON"),
        new Skipped(Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100)), "not a JSON object"),
        new Unknown("{\"title\": \"t\", \"title\": \"u\"}"u8.ToArray()),
        new Unknown("\uFEFF{\"title\": \"bom\"}"u8.ToArray()),
        new Unknown("{\"title\": \"a\\u0000b\"}"u8.ToArray()));

    /// <summary>A valid record encoded in GB18030, as GBK exports are; exact unless its bytes happen to be UTF-8 too.</summary>
    private static readonly Gen<Line> Gb18030Line = ValidLine.Select(line =>
    {
        if (line is not Valid v) return line;
        var gb = TextGen.Gb18030.GetBytes(Encoding.UTF8.GetString(v.Bytes));
        return TextGen.IsUtf8(gb) ? new Unknown(gb) : v with { Bytes = gb };
    });

    private static readonly Gen<Line> GarbageLine = Gen.Frequency(
        (3, Gen.Byte.Array[0, 80]),
        (1, Gen.Byte[0x80, 0xFF].Array[1, 20]),
        (1, Gen.Select(ValidLine, Gen.Byte[0x80, 0xFF], Gen.Int, (l, b, at) =>
        {
            var bytes = l.Bytes.ToArray();
            bytes[(at & int.MaxValue) % bytes.Length] = b;
            return bytes;
        })))
        .Select(bytes => bytes.Where(b => b != (byte)'\n').ToArray())
        // Escaped surrogates that a mutation may have unpaired hit the bug the ignored property below shows.
        .Where(bytes => !SurrogateEscape().IsMatch(Encoding.UTF8.GetString(bytes)) && !SurrogateEscape().IsMatch(TextGen.Gb18030.GetString(bytes)))
        .Select(bytes => bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r') ? (Line)new Blank(bytes) : new Unknown(bytes));

    private static readonly Gen<Line> BlankLine = Gen.OneOf("", " ", "\t", "\r", " \t \r").Select(s => (Line)new Blank(Encoding.ASCII.GetBytes(s)));

    private static readonly Gen<Line> AnyLine = Gen.Frequency(
        (8, ValidLine), (2, Gb18030Line), (3, GarbageLine), (2, BlankLine), (2, OtherJsonLine), (1, NumberLine), (2, OddDateLine));

    private static readonly Gen<(Line[] Lines, bool Gzip, bool FinalNewline, bool CrLf)> AnyFile =
        Gen.Select(Gen.Frequency((20, AnyLine.Array[0, 40]), (1, Gen.Select(AnyLine.Array[0, 5], HugeLine, (a, h) => (Line[])[.. a, h, .. a]))),
            Gen.Bool, Gen.Bool, Gen.Bool);

    private List<SeedItem> ReadFile(Line[] lines, bool gzip, bool finalNewline, bool crLf)
    {
        var content = new MemoryStream();
        for (var i = 0; i < lines.Length; i++)
        {
            content.Write(lines[i].Bytes);
            // CR before LF belongs to the line and is blank to the reader, JSON whitespace to the parser.
            if (crLf && lines[i] is not Blank and not Unknown) content.WriteByte((byte)'\r');
            if (i < lines.Length - 1 || finalNewline) content.WriteByte((byte)'\n');
        }
        var name = $"f-{Guid.NewGuid():N}.jsonl" + (gzip ? ".gz" : "");
        var path = _dir.Combine(name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var gz = new GZipStream(file, CompressionLevel.Fastest);
            gz.Write(content.ToArray());
        }
        else File.WriteAllBytes(path, content.ToArray());
        try { return new SeedReader(Shanghai).Read(path, name).ToList(); }
        finally { File.Delete(path); }
    }

    [Test]
    public void Read_AnyLines_GivesOneItemPerNonBlankLineInOrder() =>
        AnyFile.Sample((lines, gzip, finalNewline, crLf) =>
        {
            var items = ReadFile(lines, gzip, finalNewline, crLf);
            var expected = lines.Select((l, i) => (Line: l, No: i + 1)).Where(x => x.Line is not Blank).ToList();
            Prop.Equal(items.Count, expected.Count, "items (one per non-blank line)");
            for (var k = 0; k < expected.Count; k++)
                Check(items[k], expected[k].Line, expected[k].No);
        }, iter: 400, print: x => string.Join("\n", x.Item1.Select(l => l.ToString())) + $"\ngzip={x.Item2} finalNewline={x.Item3} crlf={x.Item4}");

    [Test]
    public void Read_StringsWithUnpairedSurrogateEscapes_SkipsOrReadsEachLineAndGoesOn() =>
        Gen.Select(Gen.Int[0xD800, 0xDFFF], Gen.OneOf("id", "title", "url", "source", "date"))
            .Select((unit, field) => Encoding.UTF8.GetBytes($"{{\"{field}\": \"a\\u{unit:x4}b\", \"body\": \"正文\"}}"))
            .Array[1, 5]
            .Sample(bad =>
            {
                Line[] lines = [.. bad.Select(b => new Unknown(b)), new Valid("{\"id\": \"after\", \"body\": \"b\"}"u8.ToArray(), "after", "", "b", null, null, null)];
                var items = ReadFile(lines, gzip: false, finalNewline: true, crLf: false);
                Prop.Equal(items.Count, lines.Length, "items");
                for (var k = 0; k < lines.Length; k++) Check(items[k], lines[k], k + 1);
            }, iter: 50);

    [Test]
    public void Read_PageWhoseSidecarHasAnUnpairedSurrogateEscape_IsSkippedNamingTheSidecar()
    {
        var page = _dir.Combine("p.txt");
        File.WriteAllText(page, "标题\n正文。");
        File.WriteAllText(page + SeedReader.SidecarSuffix, "{\"title\": \"\\ud800\"}");
        try
        {
            var item = new SeedReader(Shanghai).Read(page, "p.txt").Single();
            Assert.That(item.Skipped?.Path, Is.EqualTo("p.txt" + SeedReader.SidecarSuffix));
        }
        finally
        {
            File.Delete(page);
            File.Delete(page + SeedReader.SidecarSuffix);
        }
    }

    [Test]
    public void Read_JsonLinesEnumeratedTwice_ReadsTheFileEachTime()
    {
        var path = _dir.Combine("twice.jsonl");
        File.WriteAllText(path, "{\"title\": \"t\"}\n");
        try
        {
            var items = new SeedReader(Shanghai).Read(path, "twice.jsonl");
            Assert.That((items.Count(), items.Count()), Is.EqualTo((1, 1)));
        }
        finally { File.Delete(path); }
    }

    private static void Check(SeedItem item, Line line, int lineNo)
    {
        Prop.Require(item.Article is null != item.Skipped is null, $"line {lineNo}: an item is an article or a skip");
        if (item.Skipped is { } s)
        {
            Prop.Equal(s.Line, lineNo, $"line number of the skip '{s.Reason}'");
            Prop.Require(s.Reason.Length > 0, $"line {lineNo}: a skip without a reason");
        }
        switch (line)
        {
            case Valid v:
                Prop.Require(item.Skipped is null, $"line {lineNo} was skipped: {item.Skipped?.Reason}");
                var a = item.Article!;
                Prop.Equal(a.Id, v.Id ?? $"{SeedReader.PathId(a.SourcePath)}#{lineNo}", $"line {lineNo}: id");
                Prop.Equal(a.Title, v.Title, $"line {lineNo}: title");
                Prop.Equal(a.Body, v.Body, $"line {lineNo}: body");
                Prop.Equal(a.Published, v.Published, $"line {lineNo}: published");
                Prop.Equal(a.DateSource, v.Published is null ? DateSource.None : DateSource.Record, $"line {lineNo}: date source");
                Prop.Equal(a.Url, v.Url, $"line {lineNo}: url");
                Prop.Equal(a.Source, v.Source, $"line {lineNo}: source");
                break;
            case Skipped k:
                Prop.Require(item.Skipped?.Reason.Contains(k.Reason) == true, $"line {lineNo}: expected a skip for '{k.Reason}', got {(object?)item.Skipped ?? item.Article}");
                break;
            case OddDate d when item.Article is { } article:
                Prop.Equal(article.Published is null, d.Blank, $"line {lineNo}: a date that is taken is used");
                break;
            case OddDate d:
                Prop.Require(item.Skipped!.Reason.Contains($"\"{d.Field}\" value"), $"line {lineNo}: the skip names the date field: {item.Skipped.Reason}");
                break;
        }
    }
}
