using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NewsSearch.Engine;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Eval;

/// <summary>A bad command line.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// An index workspace for one article file: <c>&lt;dir&gt;</c> is the engine's index folder (CURRENT + g-* generations)
/// and <c>&lt;dir&gt;/seeds/</c> holds a symbolic link to the article file (a copy where links are not allowed).
/// The engine only looks at g-* folders, so the seeds folder inside it is left alone.
/// </summary>
public sealed class EvalIndex : IDisposable
{
    private readonly string? _deleteOnDispose;

    public NewsSearchEngine Engine { get; }
    public TimeSpan BuildTime { get; }
    public bool Reused { get; }
    public long Articles { get; }

    private EvalIndex(NewsSearchEngine engine, TimeSpan buildTime, bool reused, string? deleteOnDispose)
    {
        Engine = engine;
        BuildTime = buildTime;
        Reused = reused;
        _deleteOnDispose = deleteOnDispose;
        Articles = engine.GetStats().ArticleCount;
    }

    /// <summary>Opens the index of <paramref name="articleFile"/> in <paramref name="dir"/>, building it unless
    /// <paramref name="reuse"/> is set and the index there was built from that same file.</summary>
    public static EvalIndex OpenOrBuild(string articleFile, string? dir, bool reuse, ILoggerFactory loggers) =>
        OpenOrBuild([articleFile], dir, reuse, loggers);

    /// <summary>As <see cref="OpenOrBuild(string, string?, bool, ILoggerFactory)"/>, for an index of several article
    /// files (with distinct names).</summary>
    public static EvalIndex OpenOrBuild(IReadOnlyList<string> articleFiles, string? dir, bool reuse, ILoggerFactory loggers)
    {
        var sources = articleFiles.Select(Path.GetFullPath).ToList();
        foreach (var source in sources)
            if (!File.Exists(source)) throw new UsageException($"article file {source} does not exist");
        var temporary = dir is null;
        var root = Path.GetFullPath(dir ?? Path.Combine(Path.GetTempPath(), "newssearch-eval-" + Guid.NewGuid().ToString("N")[..8]));
        var seeds = Path.Combine(root, "seeds");
        // Evaluation scores rankings, not speed: on a busy machine a pool of long documents may take longer than the
        // service's 5 s to rank and snippet, and must not be cut short.
        var options = new SearchEngineOptions { SeedsPath = seeds, IndexPath = root, SearchTimeout = TimeSpan.FromMinutes(5) };
        var links = sources.Select(source => Path.Combine(seeds, Path.GetFileName(source))).ToList();

        if (reuse && !temporary && SeedsPointAt(seeds, links, sources) && File.Exists(Path.Combine(root, IndexLocation.PointerFile)))
        {
            var engine = new NewsSearchEngine(options, loggers);
            engine.Open();
            if (!engine.SeedsChanged() && engine.GetStats().ArticleCount > 0)
            {
                Console.Error.WriteLine($"reusing index {root} ({engine.GetStats().ArticleCount} articles)");
                return new EvalIndex(engine, TimeSpan.Zero, reused: true, null);
            }
            engine.Dispose();
            Console.Error.WriteLine($"index {root} is stale or empty; rebuilding");
        }

        if (Directory.Exists(seeds)) Directory.Delete(seeds, recursive: true);
        Directory.CreateDirectory(seeds);
        // A copy, not a link: the engine follows no link that leads out of the seeds folder.
        for (var i = 0; i < sources.Count; i++) File.Copy(sources[i], links[i]);

        Console.Error.WriteLine($"indexing {string.Join(", ", sources)} into {root} ...");
        var watch = Stopwatch.StartNew();
        var progress = new Progress<SyncProgress>(p =>
            Console.Error.WriteLine($"  {p.ArticlesIndexed,8:N0} articles indexed, {p.Elapsed.TotalSeconds:F0} s"));
        var (result, _) = NewsSearchEngine.Rebuild(options, loggers, progress);
        var built = new NewsSearchEngine(options, loggers);
        built.Open();
        watch.Stop();
        Console.Error.WriteLine($"indexed {result.ArticlesIndexed:N0} articles ({result.InputsSkipped} inputs skipped) in {watch.Elapsed.TotalSeconds:F1} s");
        return new EvalIndex(built, watch.Elapsed, reused: false, temporary ? root : null);
    }

    private static bool SeedsPointAt(string seeds, IReadOnlyList<string> links, IReadOnlyList<string> sources) =>
        Directory.Exists(seeds) && Directory.EnumerateFileSystemEntries(seeds).Count() == links.Count &&
        links.Zip(sources).All(p => SeedPointsAt(p.First, p.Second));

    private static bool SeedPointsAt(string link, string source)
    {
        if (!File.Exists(link)) return false;
        var info = new FileInfo(link);
        if (info.LinkTarget is { } target) return Path.GetFullPath(target, Path.GetDirectoryName(link)!) == source;
        // A copy: same length is the best cheap check.
        return info.Length == new FileInfo(source).Length;
    }

    public void Dispose()
    {
        Engine.Dispose();
        if (_deleteOnDispose is null) return;
        try { Directory.Delete(_deleteOnDispose, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Engine log messages at Information and above, to standard error.</summary>
public sealed class StderrLoggerFactory(LogLevel minimum = LogLevel.Information) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName[(categoryName.LastIndexOf('.') + 1)..], minimum);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    private sealed class Logger(string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            Console.Error.WriteLine($"  [{logLevel}] {category}: {formatter(state, exception)}{(exception is null ? "" : " — " + exception.Message)}");
        }
    }
}
