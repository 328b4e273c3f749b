using NUnit.Framework;

namespace NewsSearch.Testing;

/// <summary>Where the repository and the shared corpus are, seen from a test run.</summary>
public static class RepoPaths
{
    /// <summary>The repository root: the nearest folder upwards that holds Search.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The product owner's example page in the repository's seeds folder.</summary>
    public static string ExamplePage => Path.Combine(Root, "seeds", "000_df2e5f634929cce1.txt");

    /// <summary><c>../shared/corpus</c> beside the repository.</summary>
    public static string CorpusDir => Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus"));

    /// <summary>A corpus file's path; the test is skipped (Ignored with a reason) when it is absent.</summary>
    public static string RequireCorpusFile(string relative)
    {
        var path = Path.Combine(CorpusDir, relative);
        if (!File.Exists(path))
            Assert.Ignore($"Skipped: {path} is absent. Integration tests need ../shared/corpus beside the repository.");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Search.sln"))) return dir.FullName;
        throw new InvalidOperationException("Search.sln not found above " + AppContext.BaseDirectory);
    }
}
