using Microsoft.Extensions.Options;
using NewsSearch.Engine;

namespace NewsSearch.Server;

/// <summary>
/// Checks the <c>Search</c> section before anything is touched: each failure is one sentence naming the key and the
/// value, so that a typo stops the service at start instead of, say, emptying the index because a seeds folder
/// "vanished".
/// </summary>
internal sealed class SearchOptionsValidator(IHostEnvironment environment) : IValidateOptions<SearchEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, SearchEngineOptions options)
    {
        // The page-token key is a secret: never repeated in a log.
        var failures = OptionAnnotations.Failures(options, SearchEngineOptions.Section, nameof(options.PageTokenKey));
        if (failures.Count > 0) return ValidateOptionsResult.Fail(failures);

        if (!ZoneExists(options.TimeZone))
            failures.Add($"{Key(nameof(options.TimeZone))}: '{options.TimeZone}' is not a time zone id; use an IANA id such as Asia/Shanghai");

        var resolved = options.ResolvedAgainst(environment.ContentRootPath);
        if (!Directory.Exists(resolved.SeedsPath))
            failures.Add($"{Key(nameof(options.SeedsPath))}: the folder {resolved.SeedsPath} does not exist (a typo, or a volume that is not mounted?)");

        if (IndexFolderProblem(resolved.IndexPath) is { } problem)
            failures.Add($"{Key(nameof(options.IndexPath))}: {resolved.IndexPath} {problem}");

        if (resolved.UserDictionaryPath is { } dictionary && Directory.Exists(dictionary))
            failures.Add($"{Key(nameof(options.UserDictionaryPath))}: {dictionary} is a folder, not a file");

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    private static string Key(string member) => $"{SearchEngineOptions.Section}:{member}";

    private static bool ZoneExists(string id)
    {
        try { TimeZoneInfo.FindSystemTimeZoneById(id); return true; }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { return false; }
    }

    /// <summary>Why <paramref name="path"/> cannot hold the index, or null: it must be a folder (or creatable as one) that
    /// this process can write. Probes by creating and deleting a file, which is the only check that holds for root.</summary>
    private static string? IndexFolderProblem(string path)
    {
        if (File.Exists(path)) return "is a file, not a folder";
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "is not a folder this process can write";
        }
    }
}
