using System.Globalization;
using Microsoft.Extensions.Options;
using NewsSearch.Engine;
using NewsSearch.Engine.Indexing;
using Serilog;

namespace NewsSearch.Server;

/// <summary>
/// <c>--snapshot DIR</c>: writes a consistent copy of the live generation's last commit into a new folder, with a
/// manifest, while a server on the same index keeps serving and indexing. Restore by starting a server with
/// <c>Search:IndexPath</c> on the folder (or a copy of it): it serves at once and re-reads only seed files that changed.
/// </summary>
public static class SnapshotCommand
{
    public const string Flag = "--snapshot";

    /// <summary>The folder after <c>--snapshot</c>, or null when the flag is absent.</summary>
    public static string? Destination(string[] args)
    {
        var i = Array.IndexOf(args, Flag);
        return i < 0 ? null : i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[i + 1] : "";
    }

    public static string[] WithoutFlag(string[] args)
    {
        var i = Array.IndexOf(args, Flag);
        if (i < 0) return args;
        var skip = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? 2 : 1;
        return [.. args[..i], .. args[(i + skip)..]];
    }

    public static int Run(string destination, string[] args, TextWriter? output = null)
    {
        output ??= Console.Out;
        if (destination.Length == 0)
        {
            output.WriteLine("Usage: --snapshot DIR (a new or empty folder for the copy)");
            return StartupFailure.ExitCode;
        }
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSerilog((services, log) => ServerProgram.ConfigureLogging(log, builder.Configuration, services));
        builder.Services.AddSearchEngine(builder.Environment.ContentRootPath);
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<SearchEngineOptions>>().Value.ResolvedAgainst(builder.Environment.ContentRootPath);
        var target = Path.GetFullPath(destination, Directory.GetCurrentDirectory());
        SnapshotManifest manifest;
        try
        {
            manifest = IndexSnapshot.Take(options.IndexPath, target);
        }
        catch (InvalidOperationException e)
        {
            output.WriteLine($"Cannot snapshot: {e.Message}.");
            return StartupFailure.ExitCode;
        }
        var (_, problems) = IndexSnapshot.Verify(target);
        if (problems.Count > 0)
        {
            output.WriteLine($"The snapshot in {target} does not match its manifest: {string.Join("; ", problems)}.");
            return 1;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Snapshot of generation {manifest.Generation} ({manifest.Commit}): {manifest.Articles} articles from {manifest.SeedFiles} seed files, " +
            $"{manifest.Files.Count} files, {manifest.Files.Sum(f => f.Bytes) / 1048576.0:F1} MB, written to {target} with {IndexSnapshot.ManifestFile}."));
        return 0;
    }
}
