using Lucene.Net.Index;
using FSDirectory = Lucene.Net.Store.FSDirectory;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Engine;

namespace NewsSearch.Testing;

/// <summary>An engine over temporary seeds and index folders.</summary>
public sealed class TestEngine : IDisposable
{
    private readonly TempFolder _folder = new("engine");
    private readonly TimeProvider? _clock;

    /// <param name="clock">The engine's clock; the system's when null.</param>
    public TestEngine(Action<SearchEngineOptions>? configure = null, TimeProvider? clock = null)
    {
        _clock = clock;
        Directory.CreateDirectory(SeedsPath);
        Options = new SearchEngineOptions { SeedsPath = SeedsPath, IndexPath = _folder.Combine("index"), IndexingThreads = 2, RamBufferMb = 32 };
        configure?.Invoke(Options);
        Engine = new NewsSearchEngine(Options, NullLoggerFactory.Instance, clock);
        Engine.Open();
    }

    public string SeedsPath => _folder.Combine("seeds");
    public SearchEngineOptions Options { get; }
    public NewsSearchEngine Engine { get; private set; }

    /// <summary>The folder of the generation the engine serves.</summary>
    public string GenerationPath => Path.Combine(Options.IndexPath, Engine.GetStats().Generation);

    /// <summary>The segments of the last commit of the generation in <paramref name="generationPath"/>.</summary>
    public static SegmentInfos CommittedSegments(string generationPath)
    {
        using var dir = FSDirectory.Open(generationPath);
        var infos = new SegmentInfos();
        infos.Read(dir);
        return infos;
    }

    /// <summary>Writes a seed file and indexes it.</summary>
    public void AddSeed(string relative, string text)
    {
        WriteSeed(relative, text);
        Engine.SyncOnce();
    }

    public string WriteSeed(string relative, string text)
    {
        var full = Path.Combine(SeedsPath, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    /// <summary>Closes and reopens the engine on the same folders, as a restart would.</summary>
    public void Restart()
    {
        Engine.Dispose();
        Engine = new NewsSearchEngine(Options, NullLoggerFactory.Instance, _clock);
        Engine.Open();
    }

    public void Dispose()
    {
        Engine.Dispose();
        _folder.Dispose();
    }
}

/// <summary>Builds JSON Lines records for tests.</summary>
public static class Jsonl
{
    public static string Record(string id, string title, string body, string? date = null, string? url = null) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["id"] = id, ["title"] = title, ["body"] = body, ["date"] = date, ["url"] = url,
        }.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value),
        new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static string Lines(params string[] records) => string.Join('\n', records) + "\n";
}
