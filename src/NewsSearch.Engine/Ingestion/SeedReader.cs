using System.IO.Compression;
using System.Text.Json;

namespace NewsSearch.Engine.Ingestion;

/// <summary>One item read from a seed file: an article (with its 1-based line in a JSON Lines file), or an input
/// skipped with its reason.</summary>
public readonly record struct SeedItem(Article? Article, SkippedInput? Skipped, int? Line = null);

/// <summary>
/// Reads articles from the files of a seeds folder: scraped pages (<c>*.txt</c>, with an optional
/// <c>*.txt.meta.json</c> sidecar) and JSON Lines exports (<c>*.jsonl</c>, <c>*.jsonl.gz</c>).
/// Nothing a file holds makes reading throw: malformed input, unreadable files, files that are not regular files and
/// inputs past the <see cref="IngestionLimits"/> are reported as <see cref="SkippedInput"/> and reading goes on.
/// Only cancellation ends a read early.
/// </summary>
public sealed class SeedReader(TimeZoneInfo zone, IngestionLimits? limits = null)
{
    /// <summary>Suffix of the optional metadata file beside a page: <c>page.txt.meta.json</c>.</summary>
    public const string SidecarSuffix = ".meta.json";

    private const int MaxSidecarBytes = 1 << 20;
    private readonly IngestionLimits _limits = limits ?? IngestionLimits.Default;

    /// <summary>True for the files that hold articles.</summary>
    public static bool IsArticleFile(string path) =>
        path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads every article of the file at <paramref name="fullPath"/>, known to the index as <paramref name="relativePath"/>.</summary>
    /// <param name="counter">Counts the file's bytes as they are read, for progress.</param>
    public IEnumerable<SeedItem> Read(string fullPath, string relativePath, CancellationToken cancel = default, ReadCounter? counter = null)
    {
        if (relativePath.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var page = WithIdInBounds(ReadPage(fullPath, relativePath));
                counter?.Add(new FileInfo(fullPath).Length);
                return [page];
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return [Skip(relativePath, null, $"the page could not be read ({e.GetType().Name})")];
            }
        }
        return ReadJsonLines(fullPath, relativePath, cancel, counter);
    }

    /// <summary>
    /// The id a file's article gets when it has none of its own: its seeds-relative path (folders separated by '/',
    /// as the seeds scan gives it) without extension.
    /// </summary>
    public static string PathId(string relativePath)
    {
        var dot = relativePath.LastIndexOf('.');
        return dot > relativePath.LastIndexOf('/') + 1 ? relativePath[..dot] : relativePath;
    }

    private SeedItem ReadPage(string fullPath, string rel)
    {
        byte[] bytes;
        try { bytes = SeedFile.ReadAllBytes(fullPath, _limits.MaxArticleBytes, "Search:MaxArticleBytes"); }
        catch (SeedFileException e) { return Skip(rel, null, e.Message); }
        if (!TextDecoding.TryDecode(bytes, out var text, out var error)) return Skip(rel, null, error!);
        var page = PageParser.Parse(text);
        if (page is null) return Skip(rel, null, "page holds no article text");

        var article = new Article(PathId(rel), page.Title, page.Body,
            page.ListingDate is { } d ? Dates.StartOfDay(d, zone) : null,
            page.ListingDate is null ? DateSource.None : DateSource.PageListing, null, null, rel);

        var sidecar = fullPath + SidecarSuffix;
        var sidecarInfo = new FileInfo(sidecar);
        if (!sidecarInfo.Exists && sidecarInfo.LinkTarget is null) return new SeedItem(article, null);
        if (sidecarInfo.LinkTarget is not null)
            return Skip(rel + SidecarSuffix, null, "the sidecar is a link; links are not followed for sidecars, so the page is not indexed");
        try
        {
            using var doc = JsonDocument.Parse(SeedFile.ReadAllBytes(sidecar, MaxSidecarBytes, "1 MiB for a sidecar"));
            return ApplyRecord(doc.RootElement, article with { }, rel, null, DateSource.Sidecar);
        }
        catch (SeedFileException e)
        {
            return Skip(rel + SidecarSuffix, null, $"sidecar cannot be read: {e.Message}; page not indexed");
        }
        catch (JsonException e)
        {
            return Skip(rel + SidecarSuffix, null, $"sidecar is not valid JSON ({JsonProblem(e)}); page not indexed");
        }
        catch (InvalidOperationException)
        {
            return Skip(rel + SidecarSuffix, null, $"sidecar {UnpairedSurrogate}; page not indexed");
        }
    }

    // An iterator that opens the file when enumerated: each enumeration reads the file afresh, and a result never
    // enumerated holds no file handle.
    private IEnumerable<SeedItem> ReadJsonLines(string fullPath, string rel, CancellationToken cancel, ReadCounter? counter)
    {
        Stream? stream = null;
        SeedItem? refused = null;
        try
        {
            stream = SeedFile.OpenRegular(fullPath, _limits.MaxFileBytes, counter);
        }
        catch (SeedFileException e)
        {
            refused = Skip(rel, null, e.Message);
        }
        if (stream is null)
        {
            yield return refused!.Value;
            yield break;
        }
        var gzip = rel.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new CheckedGzipStream(stream) : null;
        foreach (var item in ReadLines(gzip ?? stream, rel, gzip is null ? long.MaxValue : _limits.MaxDecompressedBytes,
                     gzip is null ? null : gzip.EndProblem, cancel))
            yield return item;
    }

    /// <param name="endProblem">Asked once the stream has ended: why its end is suspect (a gzip file cut short), or null.</param>
    private IEnumerable<SeedItem> ReadLines(Stream stream, string rel, long maxBytes, Func<string?>? endProblem, CancellationToken cancel)
    {
        using var _ = stream;
        var lines = new ByteLineReader(stream, _limits.MaxArticleBytes, maxBytes, cancel);
        int lineNo = 0, good = 0, bad = 0;
        while (true)
        {
            ReadOnlyMemory<byte> raw;
            bool tooLong;
            string? failure = null;
            try
            {
                if (!lines.TryReadLine(out raw, out tooLong))
                {
                    failure = endProblem?.Invoke();
                    if (failure is null) break;
                }
            }
            catch (DecompressedLimitException e)
            {
                raw = default;
                tooLong = false;
                failure = e.Message;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                raw = default;
                tooLong = false;
                failure = $"the file is truncated or corrupt from here on: {SeedFile.Describe(e)}";
            }
            lineNo++;
            if (failure is not null)
            {
                yield return Skip(rel, lineNo, failure);
                yield break;
            }
            SeedItem item;
            if (tooLong)
                item = Skip(rel, lineNo, $"the line is longer than {_limits.MaxArticleBytes:N0} bytes (Search:MaxArticleBytes)");
            else
            {
                var span = raw.Span;
                if (span.IsEmpty || span.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0) continue;
                item = ParseLine(span, rel, lineNo);
            }
            if (item.Skipped is null) good++;
            else if (++bad > _limits.MaxBadLines && bad > good)
            {
                yield return Skip(rel, lineNo, $"gave up on the rest of the file after {bad:N0} bad lines and {good:N0} good ones");
                yield break;
            }
            yield return item;
        }
    }

    private SeedItem ParseLine(ReadOnlySpan<byte> line, string rel, int lineNo)
    {
        // Most garbage is not even an object: say so without the cost of a parser exception.
        var first = line.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r');
        if (line[first] == 0 || line[first..].StartsWith([(byte)0xFF, (byte)0xFE]) || line[first..].StartsWith([(byte)0xFE, (byte)0xFF]))
            return Skip(rel, lineNo, "the line holds NUL characters or a UTF-16 byte order mark: the file looks like UTF-16; save it as UTF-8");
        if (line[first] != (byte)'{' && !(line.Length - first >= 4 && line[first] == 0xEF && line[first + 3] == (byte)'{'))
            return Skip(rel, lineNo, "line is not a JSON object");
        if (!TextDecoding.TryDecode(line, out var text, out var error)) return Skip(rel, lineNo, error!);
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Skip(rel, lineNo, "line is not a JSON object");
            var empty = new Article($"{PathId(rel)}#{lineNo}", "", "", null, DateSource.None, null, null, rel);
            var item = ApplyRecord(doc.RootElement, empty, rel, lineNo, DateSource.Record);
            if (item.Article is { Title.Length: 0, Body.Length: 0 }) return Skip(rel, lineNo, "record has neither title nor body");
            return WithIdInBounds(item with { Line = lineNo });
        }
        catch (JsonException e)
        {
            return Skip(rel, lineNo, $"invalid JSON: {JsonProblem(e)}");
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString refuses an escaped lone surrogate ("\ud800") that the parser accepted.
            return Skip(rel, lineNo, $"record {UnpairedSurrogate}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A value no rule above foresaw must cost this line, never the pass.
            return Skip(rel, lineNo, $"the record could not be read ({e.GetType().Name})");
        }
    }

    /// <summary>Where a JSON text goes wrong, in the service's own words: skip reasons are served by GetStats, and
    /// System.Text.Json's messages speak of its own counters (from 0, lines within the record).</summary>
    private static string JsonProblem(JsonException e) => e switch
    {
        // JsonDocument.Parse's default depth limit.
        _ when e.Message.Contains("maximum configured depth", StringComparison.Ordinal) => "nested deeper than 64 levels",
        { BytePositionInLine: { } column, LineNumber: > 0 and { } line } => $"unexpected text at line {line + 1}, byte {column + 1}",
        { BytePositionInLine: { } column } => $"unexpected text at byte {column + 1}",
        _ => "unexpected text",
    };

    /// <summary>Overlays the fields of a JSON record (a JSON Lines record or a sidecar) on an article.</summary>
    private SeedItem ApplyRecord(JsonElement o, Article a, string rel, int? lineNo, DateSource dateSource)
    {
        if (o.ValueKind != JsonValueKind.Object) return Skip(rel, lineNo, "record is not a JSON object");
        var id = Text(o, "id");
        if (id is not null)
        {
            // Blank like empty: requests refuse a blank id, so an article stored under one could never be fetched.
            if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength) return Skip(rel, lineNo, $"\"id\" is empty, blank or longer than {MaxIdLength} characters");
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

    private const string UnpairedSurrogate = "holds a string with an unpaired surrogate escape (such as \\ud800), which is not text";

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>Longest id an article may have: a record's own is refused past it, and so is one taken from a path.</summary>
    public const int MaxIdLength = 512;

    /// <summary>
    /// <paramref name="item"/>, or a skip when its id, taken from its file's path, is longer than
    /// <see cref="MaxIdLength"/> (a deep path): an export cursor holds the id, and one that long could not resume.
    /// </summary>
    private static SeedItem WithIdInBounds(SeedItem item) =>
        item.Article is { } a && a.Id.Length > MaxIdLength
            ? Skip(a.SourcePath, item.Line, $"the id taken from the file's path is longer than {MaxIdLength} characters: give the record an \"id\" or shorten the path")
            : item;

    private static SeedItem Skip(string path, int? line, string reason) => new(null, new SkippedInput(path, line, reason));
}
