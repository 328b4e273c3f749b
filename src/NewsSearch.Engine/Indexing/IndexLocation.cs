namespace NewsSearch.Engine.Indexing;

/// <summary>
/// The index folder holds one or more generations (<c>g-*</c> folders, each a complete Lucene index) and a
/// <c>CURRENT</c> file naming the live one. A rebuild writes a new generation beside the live one and then replaces
/// <c>CURRENT</c> atomically (write and rename), so readers always find a complete index and a crash at any moment
/// leaves either the old or the new generation live.
/// </summary>
public sealed class IndexLocation(string root)
{
    public const string PointerFile = "CURRENT";
    private const string Prefix = "g-";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The live generation's folder name, or null when there is none yet.</summary>
    public string? ReadCurrent()
    {
        var pointer = Path.Combine(Root, PointerFile);
        if (!File.Exists(pointer)) return null;
        var name = File.ReadAllText(pointer).Trim();
        return name.StartsWith(Prefix, StringComparison.Ordinal) && Directory.Exists(Path.Combine(Root, name)) ? name : null;
    }

    /// <summary>Creates a new, empty generation folder and returns its name.</summary>
    public string CreateGeneration(TimeProvider clock)
    {
        Directory.CreateDirectory(Root);
        var name = $"{Prefix}{clock.GetUtcNow():yyyyMMdd-HHmmss-fff}-{Guid.NewGuid().ToString("N")[..6]}";
        Directory.CreateDirectory(Path.Combine(Root, name));
        return name;
    }

    public string PathOf(string generation) => Path.Combine(Root, generation);

    /// <summary>Makes <paramref name="generation"/> the live one, atomically.</summary>
    public void Publish(string generation)
    {
        var tmp = Path.Combine(Root, PointerFile + ".tmp");
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            f.Write(System.Text.Encoding.UTF8.GetBytes(generation + "\n"));
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, Path.Combine(Root, PointerFile), overwrite: true);
    }

    /// <summary>Generation folders other than <paramref name="keep"/>.</summary>
    public IEnumerable<string> OtherGenerations(params string?[] keep) =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root, Prefix + "*").Select(Path.GetFileName).OfType<string>()
                .Where(n => !keep.Contains(n))
            : [];
}
