using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsSearch.Eval;

/// <summary>A query typed to find one article again: <see cref="Kind"/> is <c>body</c> (distinctive words of its
/// body) or <c>title</c> (its title reworded).</summary>
public sealed record KnownItemQuery(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("text")] string Text);

/// <summary>Where the target came in a ranking: its 1-based rank, or null when it was not in it.</summary>
public sealed record KnownItemScore(int? Rank)
{
    /// <summary>1 / rank; 0 when the target was not ranked.</summary>
    public double ReciprocalRank => Rank is { } r ? 1.0 / r : 0;

    /// <summary>1 when the target is among the first <paramref name="k"/> hits, else 0.</summary>
    public double SuccessAt(int k) => Rank is { } r && r <= k ? 1 : 0;
}

public static class KnownItemMetrics
{
    /// <summary>The target's rank in <paramref name="ranking"/> (the first occurrence of its id).</summary>
    public static KnownItemScore Score(IReadOnlyList<string> ranking, string target)
    {
        for (var i = 0; i < ranking.Count; i++)
            if (string.Equals(ranking[i], target, StringComparison.Ordinal)) return new KnownItemScore(i + 1);
        return new KnownItemScore(null);
    }

    public static readonly IReadOnlyList<Metric<KnownItemScore>> Metrics =
        [new("MRR", s => s.ReciprocalRank), new("success@1", s => s.SuccessAt(1)), new("success@10", s => s.SuccessAt(10))];
}

/// <summary>Reads and writes known-item query files (JSON Lines of <see cref="KnownItemQuery"/>).</summary>
public static class KnownItemFile
{
    /// <summary>The committed query file, copied beside the program.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "known-item-cctv.jsonl");

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static List<KnownItemQuery> Read(string path) => File.ReadLines(path)
        .Where(l => !string.IsNullOrWhiteSpace(l))
        .Select((l, i) => JsonSerializer.Deserialize<KnownItemQuery>(l, Json) ?? throw new FormatException($"{path}:{i + 1}: not a query"))
        .ToList();

    public static void Write(string path, IEnumerable<KnownItemQuery> queries)
    {
        using var w = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var q in queries) w.Write(JsonSerializer.Serialize(q, Json) + "\n");
    }
}

/// <summary>An article of a JSON Lines corpus as the generator reads it.</summary>
public sealed record CorpusArticle(string Id, string Title, string Body)
{
    /// <summary>The <c>date</c> or <c>published</c> field as written, or empty.</summary>
    public string Date { get; init; } = "";
}

public static class CorpusReader
{
    /// <summary>The <c>id</c>, <c>title</c> and <c>body</c> of each line of a (gzipped) JSON Lines file.</summary>
    public static IEnumerable<CorpusArticle> Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var o = doc.RootElement;
            string Str(string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            yield return new CorpusArticle(Str("id"), Str("title"), Str("body")) { Date = Str("date") is { Length: > 0 } d ? d : Str("published") };
        }
    }
}
