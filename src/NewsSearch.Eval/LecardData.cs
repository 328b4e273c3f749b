using System.Text.Json;

namespace NewsSearch.Eval;

/// <summary>A LeCaRD-style query: its text, the pool of candidate ids to rank and the judged ids the metric keeps.</summary>
public sealed record LecardQuery(string Id, string Text, IReadOnlyList<string> Pool, IReadOnlyList<string> Judged);

public static class LecardData
{
    /// <summary>Reads a JSON Lines file of objects with <c>id</c>, <c>text</c>, <c>pool</c> and <c>judged</c>.</summary>
    public static List<LecardQuery> ReadQueries(string path)
    {
        var list = new List<LecardQuery>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var o = doc.RootElement;
            string Str(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
            List<string> Ids(string name) => o.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray().Select(Str).ToList()
                : throw new FormatException($"{path}:{lineNo}: field '{name}' is missing or not an array");
            if (!o.TryGetProperty("id", out var id) || !o.TryGetProperty("text", out var text))
                throw new FormatException($"{path}:{lineNo}: fields 'id' and 'text' are required");
            list.Add(new LecardQuery(Str(id), text.GetString() ?? "", Ids("pool"), Ids("judged")));
        }
        return list;
    }

    /// <summary>Reads TREC qrels (<c>qid iter docid rel</c>, whitespace separated): grades by query id and doc id.</summary>
    public static Dictionary<string, Dictionary<string, int>> ReadQrels(string path)
    {
        var qrels = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;
            if (parts.Length != 4 || !int.TryParse(parts[3], out var rel))
                throw new FormatException($"{path}:{lineNo}: expected 'qid 0 docid rel'");
            if (!qrels.TryGetValue(parts[0], out var q)) qrels[parts[0]] = q = new Dictionary<string, int>(StringComparer.Ordinal);
            q[parts[2]] = rel;
        }
        return qrels;
    }

    /// <summary>The qrels file beside a queries file: <c>dev-queries.jsonl</c> → <c>dev-qrels.tsv</c>.</summary>
    public static string InferQrels(string queriesPath)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(queriesPath))!;
        var name = Path.GetFileNameWithoutExtension(queriesPath);
        var sibling = Path.Combine(dir, name.Replace("queries", "qrels", StringComparison.Ordinal) + ".tsv");
        if (name.Contains("queries", StringComparison.Ordinal) && File.Exists(sibling)) return sibling;
        var dev = Path.Combine(dir, "dev-qrels.tsv");
        if (File.Exists(dev)) return dev;
        throw new UsageException($"--qrels not given and neither {sibling} nor {dev} exists");
    }
}
