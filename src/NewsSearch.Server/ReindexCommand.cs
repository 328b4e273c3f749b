using System.Globalization;
using Microsoft.Extensions.Options;
using NewsSearch.Engine;
using NewsSearch.Engine.Indexing;
using Serilog;

namespace NewsSearch.Server;

/// <summary>
/// <c>--reindex</c>: rebuilds the index from the seeds folder into a new generation and switches to it, printing
/// progress and a summary. A service running on the same index keeps answering from the old generation meanwhile.
/// </summary>
public static class ReindexCommand
{
    public static int Run(string[] args, TextWriter? output = null)
    {
        output ??= Console.Out;
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSerilog((services, log) => ServerProgram.ConfigureLogging(log, builder.Configuration, services));
        builder.Services.AddSearchEngine(builder.Environment.ContentRootPath);
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<SearchEngineOptions>>().Value.ResolvedAgainst(builder.Environment.ContentRootPath);
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();
        output.WriteLine($"Rebuilding the index in {options.IndexPath} from {options.SeedsPath} …");
        var progress = new Progress(output);
        var result = NewsSearchEngine.Rebuild(options, loggers, progress);
        var ci = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(ci,
            $"Indexed {result.ArticlesIndexed} articles from {result.FilesRead} files in {result.Elapsed.TotalSeconds:F1} s ({result.ArticlesIndexed / Math.Max(0.001, result.Elapsed.TotalSeconds):F0} articles/s); {result.InputsSkipped} inputs skipped."));
        using var engine = new NewsSearchEngine(options, loggers);
        engine.Open();
        var stats = engine.GetStats();
        foreach (var skip in stats.SkippedExamples) output.WriteLine($"  skipped {skip}");
        if (stats.InputsSkipped > stats.SkippedExamples.Count)
            output.WriteLine($"  … and {stats.InputsSkipped - stats.SkippedExamples.Count} more skipped inputs");
        output.WriteLine(string.Create(ci, $"The index now holds {stats.ArticleCount} articles ({stats.IndexSizeBytes / 1048576.0:F1} MB, generation {stats.Generation})."));
        return 0;
    }

    private sealed class Progress(TextWriter output) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) =>
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  … {value.ArticlesIndexed} articles indexed, {value.Elapsed.TotalSeconds:F0} s, now reading {value.File}"));
    }
}
