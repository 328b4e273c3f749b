using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NewsSearch.Engine.Querying;

namespace NewsSearch.Eval;

/// <summary>A named set of ranking settings to evaluate.</summary>
public sealed record RankingVariant(string Name, RankingSettings Settings)
{
    /// <summary>The settings that differ from <see cref="RankingSettings.Default"/>, as <c>key=value</c>.</summary>
    public string Describe()
    {
        var mine = RankingVariants.ToJson(Settings);
        var def = RankingVariants.ToJson(RankingSettings.Default);
        var diff = mine.Where(p => !JsonNode.DeepEquals(p.Value, def[p.Key])).Select(p => $"{p.Key}={p.Value}").ToList();
        return diff.Count == 0 ? "(defaults)" : string.Join(", ", diff);
    }
}

/// <summary>
/// Reads a variants file: <c>{"variants": [{"name": "...", "pastedTitleBoost": 1.0, ...}], "grid": {"k1": [0.9, 1.2]}}</c>.
/// Each variant lists only the settings it changes (property names of <see cref="RankingSettings"/> in camelCase;
/// <c>repeatedWords</c> is <c>none</c>, <c>log</c> or <c>sqrt</c>); <c>grid</c> adds every combination of its values.
/// An unknown key is an error, so a typo cannot silently evaluate the default.
/// </summary>
public static class RankingVariants
{
    /// <summary>Plain SmartCn BM25 for a pasted paragraph: one clause per distinct query word over title and body
    /// weighted alike, repeats not counted, any one word enough. Function characters are still dropped.</summary>
    public static RankingVariant Plain { get; } = new("plain SmartCn BM25",
        new RankingSettings { PastedTitleBoost = 1f, RepeatedWords = RepeatedWordWeight.None, PastedMinimumShouldMatch = 0, RelatedMaxWords = 0 });

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // Names only: a number would deserialise to whatever enum value it is, named or not.
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    internal static JsonObject ToJson(RankingSettings s) => JsonSerializer.SerializeToNode(s, Json)!.AsObject();

    /// <summary>
    /// The variants of <paramref name="paths"/> (one file, or several separated by commas: the union of what was
    /// tried is what a cross-validated choice must be made among), with "default" first (the tie-break in <see cref="CrossValidation.Choose"/>
    /// favours it) and any later variant equal to the default dropped; just the default when no file is given.
    /// </summary>
    public static List<RankingVariant> Read(string? paths)
    {
        var list = new List<RankingVariant> { new("default", RankingSettings.Default) };
        foreach (var path in paths?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [])
            list.AddRange(ReadFile(path));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in list)
            if (!names.Add(v.Name)) throw new FormatException($"{paths}: variant name '{v.Name}' is used twice");
        return list.Where((v, i) => i == 0 || v.Settings != RankingSettings.Default).ToList();
    }

    private static List<RankingVariant> ReadFile(string path)
    {
        var list = new List<RankingVariant>();
        var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new FormatException($"{path}: not a JSON object");
        foreach (var (key, _) in root)
            if (key is not ("variants" or "grid" or "about"))
                throw new FormatException($"{path}: unknown key '{key}' (expected variants, grid, about)");
        if (root["variants"] is JsonArray variants)
        {
            foreach (var node in variants)
            {
                var o = node!.AsObject().DeepClone().AsObject();
                var name = o["name"]?.GetValue<string>() ?? throw new FormatException($"{path}: a variant has no name");
                o.Remove("name");
                list.Add(new RankingVariant(name, Parse(o, path)));
            }
        }
        if (root["grid"] is JsonObject grid)
        {
            IEnumerable<List<(string Key, JsonNode Value)>> combos = [[]];
            foreach (var (key, values) in grid)
            {
                var options = values!.AsArray().Select(v => (key, v!)).ToList();
                combos = combos.SelectMany(c => options.Select(o => new List<(string, JsonNode)>(c) { o })).ToList();
            }
            foreach (var combo in combos)
            {
                var o = new JsonObject();
                foreach (var (k, v) in combo) o[k] = v.DeepClone();
                var name = string.Join(",", combo.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value.ToJsonString().Trim('"')}")));
                list.Add(new RankingVariant(name, Parse(o, path)));
            }
        }
        return list;
    }

    private static RankingSettings Parse(JsonObject o, string path)
    {
        try
        {
            var settings = o.Deserialize<RankingSettings>(Json) ?? RankingSettings.Default;
            settings.Validate();
            return settings;
        }
        catch (JsonException e) { throw new FormatException($"{path}: {e.Message}", e); }
        catch (ArgumentException e) { throw new FormatException($"{path}: {o.ToJsonString()}: {e.Message}", e); }
    }
}
