using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using NewsSearch.Engine;
using NewsSearch.Engine.Indexing;
using NewsSearch.Engine.Querying;
using Serilog;

namespace NewsSearch.Server;

/// <summary>
/// <c>--reindex</c>: rebuilds the index from the seeds folder into a new generation and switches to it, printing
/// progress and a summary. A service running on the same index keeps answering from the old generation meanwhile,
/// and catches the new one up with anything it indexed since before it switches. SIGTERM or Ctrl+C stops the build:
/// nothing is published and the live index stays as it was.
/// </summary>
public static class ReindexCommand
{
    /// <summary>Exit code when the rebuild was cancelled.</summary>
    public const int CancelledExitCode = 130;

    public static int Run(string[] args, TextWriter? output = null, CancellationToken cancel = default)
    {
        output ??= Console.Out;
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSerilog((services, log) => ServerProgram.ConfigureLogging(log, builder.Configuration, services));
        builder.Services.AddSearchEngine(builder.Environment.ContentRootPath);
        using var host = builder.Build();
        // Reading the options validates them: a bad value stops here, before anything is touched.
        var options = host.Services.GetRequiredService<IOptions<SearchEngineOptions>>().Value.ResolvedAgainst(builder.Environment.ContentRootPath);
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        output.WriteLine($"Rebuilding the index in {options.IndexPath} from {options.SeedsPath} …");
        var ci = CultureInfo.InvariantCulture;
        SyncResult result;
        IndexStats stats;
        var progress = new Progress(output, updating: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
        try
        {
            (result, stats) = NewsSearchEngine.Rebuild(options, loggers, progress, cancel: stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            output.WriteLine("Rebuild cancelled; nothing was published and the live index is unchanged.");
            return CancelledExitCode;
        }
        catch (SeedsUnavailableException e)
        {
            output.WriteLine($"Cannot rebuild: {e.Message}.");
            return StartupFailure.ExitCode;
        }
        finally
        {
            progress.Finish();
        }
        output.WriteLine(string.Create(ci,
            $"Indexed {Count(result.ArticlesIndexed, "article", "articles")} from {Count(result.FilesRead, "file", "files")} in {result.Elapsed.TotalSeconds:F1} s ({result.ArticlesIndexed / Math.Max(0.001, result.Elapsed.TotalSeconds):F0} articles/s); {Count(result.InputsSkipped, "input", "inputs")} skipped."));
        foreach (var skip in stats.SkippedExamples) output.WriteLine($"  skipped {skip}");
        if (stats.InputsSkipped > stats.SkippedExamples.Count)
            output.WriteLine($"  … and {stats.InputsSkipped - stats.SkippedExamples.Count} more skipped inputs");
        if (stats.DuplicateCopies > 0)
            output.WriteLine($"  {Count(stats.DuplicateCopies, "copy", "copies")} of articles not served: another input holds the same id");
        output.WriteLine(string.Create(ci, $"The index now holds {Count((int)stats.ArticleCount, "article", "articles")} ({stats.IndexSizeBytes / 1048576.0:F1} MB, generation {stats.Generation})."));
        return 0;
    }

    private static string Count(int n, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");

    /// <summary>
    /// Progress as a share of the bytes to read, with the time left at the pace so far: one line rewritten in place on
    /// a terminal, a plain line per report otherwise (logs, CI).
    /// </summary>
    private sealed class Progress(TextWriter output, bool updating) : IProgress<SyncProgress>
    {
        private bool _dirty;

        public void Report(SyncProgress p)
        {
            var left = p.Remaining is { } r ? $"about {Duration(r)} left" : "estimating time left";
            var line = string.Create(CultureInfo.InvariantCulture,
                $"  {p.Fraction * 100,3:F0}% of {p.BytesTotal / 1048576.0:F1} MB, {p.ArticlesIndexed:N0} articles in {Duration(p.Elapsed)}, {left} ({p.File})");
            if (updating)
            {
                output.Write("\r" + line.PadRight(Math.Max(line.Length, 100)));
                _dirty = true;
            }
            else output.WriteLine(line);
        }

        public void Finish()
        {
            if (_dirty) output.WriteLine();
            _dirty = false;
        }

        private static string Duration(TimeSpan t) =>
            t.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes} min {t.Seconds} s")
                : string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F0} s");
    }
}
