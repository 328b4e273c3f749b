using System.IO.Compression;
using System.Text.Json;

namespace NewsSearch.Engine.Ingestion;

/// <summary>One item read from a seed file: an article, or an input skipped with its reason.</summary>
public readonly record struct SeedItem(Article? Article, SkippedInput? Skipped);

/// <summary>
/// Reads articles from the files of a seeds folder: scraped pages (<c>*.txt</c>, with an optional
/// <c>*.txt.meta.json</c> sidecar) and JSON Lines exports (<c>*.jsonl</c>, <c>*.jsonl.gz</c>).
/// Malformed input is reported as <see cref="SkippedInput"/> and reading goes on.
/// </summary>
public sealed class SeedReader(TimeZoneInfo zone)
{
    /// <summary>Suffix of the optional metadata file beside a page: <c>page.txt.meta.json</c>.</summary>
    public const string SidecarSuffix = ".meta.json";

    /// <summary>True for the files that hold articles.</summary>
    public static bool IsArticleFile(string path) =>
        path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads every article of the file at <paramref name="fullPath"/>, known to the index as <paramref name="relativePath"/>.</summary>
    public IEnumerable<SeedItem> Read(string fullPath, string relativePath)
    {
        if (relativePath.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            return [ReadPage(fullPath, relativePath)];
        return ReadJsonLines(fullPath, relativePath);
    }

    /// <summary>The id a file's article gets when it has none of its own: its seeds-relative path without extension.</summary>
    public static string PathId(string relativePath)
    {
        var p = relativePath.Replace('\\', '/');
        var dot = p.LastIndexOf('.');
        return dot > p.LastIndexOf('/') + 1 ? p[..dot] : p;
    }

    private SeedItem ReadPage(string fullPath, string rel)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(fullPath); }
        catch (IOException e) { return Skip(rel, null, $"cannot read file: {Describe(e)}"); }
        if (!TextDecoding.TryDecode(bytes, out var text, out var error)) return Skip(rel, null, error!);
        var page = PageParser.Parse(text);
        if (page is null) return Skip(rel, null, "page holds no article text");

        var article = new Article(PathId(rel), page.Title, page.Body,
            page.ListingDate is { } d ? Dates.StartOfDay(d, zone) : null,
            page.ListingDate is null ? DateSource.None : DateSource.PageListing, null, null, rel);

        var sidecar = fullPath + SidecarSuffix;
        if (!File.Exists(sidecar)) return new SeedItem(article, null);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(sidecar));
            return ApplyRecord(doc.RootElement, article with { }, rel, null, DateSource.Sidecar);
        }
        catch (JsonException e)
        {
            return Skip(rel + SidecarSuffix, null, $"sidecar is not valid JSON ({Describe(e)}); page not indexed");
        }
    }

    private IEnumerable<SeedItem> ReadJsonLines(string fullPath, string rel)
    {
        Stream stream;
        try
        {
            stream = File.OpenRead(fullPath);
            if (rel.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                stream = new GZipStream(stream, CompressionMode.Decompress);
        }
        catch (IOException e)
        {
            return [Skip(rel, null, $"cannot read file: {Describe(e)}")];
        }
        return ReadLines(stream, rel);
    }

    private IEnumerable<SeedItem> ReadLines(Stream stream, string rel)
    {
        using var _ = stream;
        using var lines = new ByteLineReader(stream);
        var lineNo = 0;
        while (true)
        {
            ReadOnlyMemory<byte> raw;
            string? ioError = null;
            try
            {
                if (!lines.TryReadLine(out raw)) break;
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                raw = default;
                ioError = Describe(e);
            }
            lineNo++;
            if (ioError is not null)
            {
                yield return Skip(rel, lineNo, $"file is truncated or corrupt from here on: {ioError}");
                yield break;
            }
            var span = raw.Span;
            if (span.IsEmpty || span.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0) continue;
            yield return ParseLine(span, rel, lineNo);
        }
    }

    private SeedItem ParseLine(ReadOnlySpan<byte> line, string rel, int lineNo)
    {
        if (!TextDecoding.TryDecode(line, out var text, out var error)) return Skip(rel, lineNo, error!);
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Skip(rel, lineNo, "line is not a JSON object");
            var empty = new Article($"{PathId(rel)}#{lineNo}", "", "", null, DateSource.None, null, null, rel);
            var item = ApplyRecord(doc.RootElement, empty, rel, lineNo, DateSource.Record);
            if (item.Article is { Title.Length: 0, Body.Length: 0 }) return Skip(rel, lineNo, "record has neither title nor body");
            return item;
        }
        catch (JsonException e)
        {
            return Skip(rel, lineNo, $"invalid JSON: {Describe(e)}");
        }
    }

    /// <summary>
    /// A failure in words of the service's own: skip reasons are served by GetStats, and an exception's message
    /// may carry the file's absolute path or the runtime's wording.
    /// </summary>
    private static string Describe(Exception e) => e switch
    {
        JsonException { BytePositionInLine: { } column } j => j.LineNumber is > 0 and { } line
            ? $"unexpected text at line {line + 1}, byte {column + 1}"
            : $"unexpected text at byte {column + 1}",
        JsonException => "unexpected text",
        FileNotFoundException or DirectoryNotFoundException => "the file was removed while it was read",
        InvalidDataException => "the compressed data is corrupt",
        EndOfStreamException => "the file ends in the middle of its data",
        _ => "the system could not read it",
    };

    /// <summary>Overlays the fields of a JSON record (a JSON Lines record or a sidecar) on an article.</summary>
    private SeedItem ApplyRecord(JsonElement o, Article a, string rel, int? lineNo, DateSource dateSource)
    {
        if (o.ValueKind != JsonValueKind.Object) return Skip(rel, lineNo, "record is not a JSON object");
        var id = Text(o, "id");
        if (id is not null)
        {
            if (id.Length == 0 || id.Length > 512) return Skip(rel, lineNo, "\"id\" is empty or longer than 512 characters");
            a = a with { Id = id };
        }
        a = a with
        {
            Title = Text(o, "title")?.Trim() ?? a.Title,
            Body = Text(o, "body")?.Trim() ?? a.Body,
            Url = Text(o, "url") ?? a.Url,
            Source = Text(o, "source") ?? a.Source,
        };
        var dateField = o.TryGetProperty("published", out _) ? "published" : "date";
        var date = Text(o, dateField);
        if (!string.IsNullOrWhiteSpace(date))
        {
            if (!Dates.TryParseInstant(date, zone, out var instant, out _))
                return Skip(rel, lineNo, $"\"{dateField}\" value '{Truncate(date)}' is neither YYYY-MM-DD nor an RFC 3339 instant");
            a = a with { Published = instant, DateSource = dateSource };
        }
        return new SeedItem(a, null);
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static SeedItem Skip(string path, int? line, string reason) => new(null, new SkippedInput(path, line, reason));
}
