using System.Diagnostics;
using System.Globalization;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Bench;

/// <summary>The command line (<c>COMMAND --key value --flag</c>) and the places the benchmarks work with.</summary>
public sealed class BenchContext
{
    public const string CctvFile = "cctv-news.jsonl.gz";
    public const string LecardFile = "lecard/docs.jsonl.gz";

    private readonly Dictionary<string, string> _options;

    private BenchContext(string command, Dictionary<string, string> options, string repoRoot)
    {
        Command = command;
        _options = options;
        RepoRoot = repoRoot;
    }

    public string Command { get; }
    public string RepoRoot { get; }

    public static BenchContext Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var named = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal);
        var command = named ? args[0] : "help";
        for (var i = named ? 1 : 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{args[i]}'");
            var key = args[i][2..];
            options[key] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
        }
        return new BenchContext(command, options, FindRepoRoot());
    }

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Search.sln"))) return d.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root (the folder holding Search.sln)");
    }

    public string? Get(string key) => _options.GetValueOrDefault(key);
    public string Require(string key) => Get(key) ?? throw new ArgumentException($"--{key} is required");
    public bool Flag(string key) => Get(key) is "true";
    public int Int(string key, int fallback) => Get(key) is { } v ? int.Parse(v.Replace("_", ""), CultureInfo.InvariantCulture) : fallback;
    public double Double(string key, double fallback) => Get(key) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>Ranking settings from <c>--pasted-max-words N</c>, <c>--pasted-keep-share X</c>,
    /// <c>--pasted-max-doc-share X</c> and <c>--pasted-minimum-should-match X</c>, to time a
    /// pasted-paragraph variant that relevance evaluation scores; the service's defaults otherwise.</summary>
    public NewsSearch.Engine.Querying.RankingSettings Ranking() => NewsSearch.Engine.Querying.RankingSettings.Default with
    {
        PastedMaxWords = Int("pasted-max-words", NewsSearch.Engine.Querying.RankingSettings.Default.PastedMaxWords),
        PastedKeepShare = Double("pasted-keep-share", NewsSearch.Engine.Querying.RankingSettings.Default.PastedKeepShare),
        PastedMaxDocShare = Double("pasted-max-doc-share", NewsSearch.Engine.Querying.RankingSettings.Default.PastedMaxDocShare),
        PastedMinimumShouldMatch = Double("pasted-minimum-should-match", NewsSearch.Engine.Querying.RankingSettings.Default.PastedMinimumShouldMatch),
        RelatedMaxWords = Int("related-max-words", NewsSearch.Engine.Querying.RankingSettings.Default.RelatedMaxWords),
        RelatedMinimumShouldMatch = Double("related-minimum-should-match", NewsSearch.Engine.Querying.RankingSettings.Default.RelatedMinimumShouldMatch),
    };

    public string CorpusDir => Path.GetFullPath(Get("corpus-dir") ?? Path.Combine(RepoRoot, "..", "shared", "corpus"));
    public string CorpusFile(string relative) => Path.Combine(CorpusDir, relative);

    /// <summary>True when the corpus file exists; otherwise says clearly why the benchmark is skipped.</summary>
    public bool CorpusPresent(string relative, string benchmark)
    {
        var path = CorpusFile(relative);
        if (File.Exists(path)) return true;
        Console.WriteLine($"SKIPPED {benchmark}: corpus file {path} is absent (see ../shared/corpus/README.md; pass --corpus-dir DIR).");
        return false;
    }

    /// <summary>The server binary built beside the bench (same configuration), or <c>--server-dll</c>.</summary>
    public string ServerDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent?.Name ?? "Release";
            var dll = Get("server-dll") ?? Path.Combine(RepoRoot, "src", "NewsSearch.Server", "bin", configuration, "net10.0", "NewsSearch.Server.dll");
            if (!File.Exists(dll))
                throw new FileNotFoundException($"server binary not found at {dll}: build it (dotnet build -c {configuration} src/NewsSearch.Server) or pass --server-dll", dll);
            return dll;
        }
    }

    /// <summary>The dotnet host, to run framework-dependent binaries.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p ? p
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    /// <summary>A start info that runs this bench again with <paramref name="args"/>.</summary>
    public ProcessStartInfo Self(params string[] args)
    {
        var psi = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true };
        var exe = Environment.ProcessPath!;
        psi.FileName = exe;
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") psi.ArgumentList.Add(typeof(BenchContext).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--corpus-dir");
        psi.ArgumentList.Add(CorpusDir);
        return psi;
    }
}

/// <summary>A temporary folder, deleted on dispose unless <c>--keep</c> was given.</summary>
public sealed class TempDir(string label, bool keep = false) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory($"newssearch-bench-{label}-").FullName;

    public string Sub(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public void Dispose()
    {
        if (keep) { Console.Error.WriteLine($"kept {Path}"); return; }
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

public static class Proc
{
    /// <summary>A figure in kB from /proc/PID/status (VmRSS, VmHWM), or -1 when the process is gone.</summary>
    public static long StatusKb(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(key + ":", StringComparison.Ordinal))
                    return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        return -1;
    }

    /// <summary>VmRSS split into anonymous memory and file-backed pages (the memory-mapped index counts there).</summary>
    public static string RssText(int pid) =>
        $"{Report.Mb(StatusKb(pid, "VmRSS") * 1024)} (anon {Report.Mb(StatusKb(pid, "RssAnon") * 1024)}, file {Report.Mb(StatusKb(pid, "RssFile") * 1024)})";

    public static long DirBytes(string path) =>
        Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    /// <summary>
    /// Reads every file of an existing index once, so that the run that follows measures the index in the page cache,
    /// not the disk. The kernel of the machines this runs on reclaims idle page cache within minutes: a 1 M run that
    /// started ten minutes after the index was last read measured 137 instead of 271 searches/s (BENCHMARKS.md,
    /// session 29).
    /// </summary>
    public static void ReadIntoPageCache(string index, string bench)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[1 << 20];
        long bytes = 0;
        foreach (var file in Directory.EnumerateFiles(index, "*", SearchOption.AllDirectories))
        {
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
                for (int n; (n = stream.Read(buffer)) > 0;) bytes += n;
            }
            catch (IOException) { } // a lock file or one a running writer just removed: nothing to cache
        }
        Console.Error.WriteLine($"[{bench}] read the index ({Report.Mb(bytes)}) into the page cache in {watch.Elapsed.TotalSeconds:F1} s");
    }
}

public static class Corpus
{
    /// <summary>The articles of a JSON Lines file exactly as the engine reads them.</summary>
    public static IEnumerable<Article> Read(string path)
    {
        var reader = new SeedReader(Dates.FindZone("Asia/Shanghai"));
        foreach (var item in reader.Read(path, Path.GetFileName(path)))
            if (item.Article is { } a) yield return a;
    }

    /// <summary>A seeds folder holding only a copy of <paramref name="corpusFile"/> (the engine follows no link that
    /// leads out of the seeds folder).</summary>
    public static string LinkedSeeds(TempDir tmp, string corpusFile)
    {
        var seeds = tmp.Sub("seeds");
        File.Copy(Path.GetFullPath(corpusFile), Path.Combine(seeds, Path.GetFileName(corpusFile)));
        return seeds;
    }
}

public static class Stats
{
    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Pct(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The middle value, or the mean of the two middle ones; NaN when there is none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToList();
        return s.Count == 0 ? double.NaN : (s[(s.Count - 1) / 2] + s[s.Count / 2]) / 2;
    }

    public static double Ms(long fromTimestamp) => Stopwatch.GetElapsedTime(fromTimestamp).TotalMilliseconds;
}

/// <summary>
/// Warming the engine up in process before timing it. The runtime compiles hot methods again with their profile
/// (tiered compilation, dynamic PGO) on a background thread, after a call-counting delay that restarts while new code
/// is being compiled. On cctv, pasted paragraphs alone took about 5 s of searching to reach their steady cost (9.7 ms
/// a search in the first pass, about 4 ms from the fifth, 2.9 ms from the 23rd), so one warm-up pass timed code
/// half-way through that (BENCHMARKS.md, session 30). The warm-up is therefore by time.
/// </summary>
public static class WarmUp
{
    /// <summary>Runs <paramref name="pass"/> until <paramref name="duration"/> has passed, once at least; returns the passes run.</summary>
    public static int For(TimeSpan duration, Action pass)
    {
        var start = Stopwatch.GetTimestamp();
        var passes = 0;
        do
        {
            pass();
            passes++;
        } while (Stopwatch.GetElapsedTime(start) < duration);
        return passes;
    }

    /// <summary>The benches' <c>--warmup-seconds</c> (default 10).</summary>
    public static TimeSpan Duration(BenchContext ctx) => TimeSpan.FromSeconds(ctx.Double("warmup-seconds", 10));
}

/// <summary>Markdown output and the summary rows that <c>all</c> combines.</summary>
public sealed class Report
{
    public List<string[]> Rows { get; } = [];

    public void Add(string benchmark, string metric, string value) => Rows.Add([benchmark, metric, value]);

    public static string N(double v, int decimals = 0) => double.IsNaN(v) ? "n/a" : v.ToString("N" + decimals, CultureInfo.InvariantCulture);
    public static string Mb(long bytes) => N(bytes / 1048576.0, 1) + " MB";

    public static void Table(string title, string[] header, IEnumerable<string[]> rows)
    {
        Console.WriteLine();
        Console.WriteLine($"### {title}");
        Console.WriteLine();
        Console.WriteLine("| " + string.Join(" | ", header) + " |");
        Console.WriteLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var r in rows) Console.WriteLine("| " + string.Join(" | ", r) + " |");
        Console.WriteLine();
    }

    public void Print(string title) => Table(title, ["benchmark", "metric", "value"], Rows);
}
