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
    public static EvalIndex OpenOrBuild(string articleFile, string? dir, bool reuse, ILoggerFactory loggers)
    {
        var source = Path.GetFullPath(articleFile);
        if (!File.Exists(source)) throw new UsageException($"article file {source} does not exist");
        var temporary = dir is null;
        var root = Path.GetFullPath(dir ?? Path.Combine(Path.GetTempPath(), "newssearch-eval-" + Guid.NewGuid().ToString("N")[..8]));
        var seeds = Path.Combine(root, "seeds");
        var options = new SearchEngineOptions { SeedsPath = seeds, IndexPath = root };
        var link = Path.Combine(seeds, Path.GetFileName(source));

        if (reuse && !temporary && SeedPointsAt(seeds, link, source) && File.Exists(Path.Combine(root, IndexLocation.PointerFile)))
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
        File.Copy(source, link);

        Console.Error.WriteLine($"indexing {source} into {root} ...");
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

    private static bool SeedPointsAt(string seeds, string link, string source)
    {
        if (!Directory.Exists(seeds)) return false;
        if (Directory.EnumerateFileSystemEntries(seeds).Count() != 1 || !File.Exists(link)) return false;
        var info = new FileInfo(link);
        if (info.LinkTarget is { } target) return Path.GetFullPath(target, seeds) == source;
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
