using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine.Indexing;

/// <summary>One article file found in the seeds folder. <see cref="Rejected"/> says why it is not read (a link that
/// leads out of the seeds folder, or nowhere); the file is still tracked so that a change to it is noticed.</summary>
public readonly record struct SeedEntry(FileStamp Stamp, string? Rejected = null);

/// <summary>What a scan of the seeds folder found. <see cref="RootExists"/> is false when the folder itself is gone
/// (a typo, an unmounted volume): that is never taken to mean "every article was removed".</summary>
public sealed record SeedScan(bool RootExists, IReadOnlyDictionary<string, SeedEntry> Files);

/// <summary>
/// Lists the article files under the seeds folder. Folders are walked without following links to folders, so a link
/// loop is harmless; a link to a file is followed only when its final target lies inside the seeds folder, so
/// nothing outside it (<c>/etc/passwd</c>) can be indexed or served. Hidden files and folders are passed over.
/// </summary>
public static class SeedScanner
{
    public static SeedScan Scan(string seedsRoot)
    {
        var files = new Dictionary<string, SeedEntry>(StringComparer.Ordinal);
        var realRoot = Directory.Exists(seedsRoot) ? SeedFile.RealPath(seedsRoot) : null;
        if (realRoot is null) return new SeedScan(false, files);

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden,
        };
        var folders = new Stack<DirectoryInfo>();
        folders.Push(new DirectoryInfo(seedsRoot));
        while (folders.Count > 0)
        {
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = folders.Pop().EnumerateFileSystemInfos("*", options).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // a folder removed or unreadable while scanning: the next pass sees it as it is then
            }
            foreach (var entry in entries)
            {
                try
                {
                    var isLink = entry.LinkTarget is not null;
                    if (entry is DirectoryInfo folder)
                    {
                        if (isLink) continue;
                        var name = KeyOf(seedsRoot, folder.FullName);
                        // Its files would each be refused for the folder's name: the folder is, once (its key ends in
                        // '/', which no file's does).
                        if (UnusableName(name, folder.FullName, "folder") is { } whyNot)
                            files[Printable(name) + "/"] = new SeedEntry(new FileStamp(0, 0), whyNot);
                        else folders.Push(folder);
                        continue;
                    }
                    if (!SeedReader.IsArticleFile(entry.Name)) continue;
                    var relative = KeyOf(seedsRoot, entry.FullName);
                    if (UnusableName(relative, entry.FullName, "file") is { } why)
                    {
                        ListRefused(files, Printable(relative), why);
                        continue;
                    }
                    files[relative] = isLink ? LinkEntry((FileInfo)entry, realRoot) : new SeedEntry(StampOf((FileInfo)entry));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Deleted between listing and stat: the next pass sees it gone.
                }
            }
        }
        return new SeedScan(true, files);
    }

    /// <summary>
    /// Why a file's (or folder's) seeds-relative name keeps it from being indexed, or null. A name holding a line break or another
    /// control character would forge lines in the service's log and become part of ids; a name whose bytes are not
    /// UTF-8 reaches .NET with its bad bytes replaced by U+FFFD, so the file cannot even be opened under it.
    /// </summary>
    /// <remarks>Only a name holding U+FFFD is looked up again (a real U+FFFD in a name that opens is fine), so a scan
    /// costs no extra call per file.</remarks>
    internal static string? UnusableName(string relative, string fullPath, string what) =>
        relative.Any(char.IsControl) ? $"the {what} name holds a control character (a line break, a tab): rename the {what}"
        : relative.Contains('\uFFFD') && !Path.Exists(fullPath) ? $"the {what} name is not valid UTF-8, so the {what} cannot be opened: rename the {what}"
        : null;

    /// <summary>
    /// A file's seeds-relative path with '/' between folders. Only the platform's own separator is turned: on Linux a
    /// backslash is a character of the name (files unpacked from an archive made on Windows may carry them), and
    /// turning it into '/' gave a key naming no file, so such a file was never read.
    /// </summary>
    internal static string KeyOf(string seedsRoot, string fullPath)
    {
        var relative = Path.GetRelativePath(seedsRoot, fullPath);
        return Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>
    /// Lists a file refused for its name under a printable form of it: the name is logged and shown in stats. A file
    /// whose real name is that form (<c>a\u000Ab.jsonl</c> beside <c>a&lt;LF&gt;b.jsonl</c>) keeps the key, whichever
    /// the folder lists first, and is indexed; the refusal is then not listed (that file could not be read anyway).
    /// </summary>
    internal static void ListRefused(Dictionary<string, SeedEntry> files, string printableKey, string why) =>
        files.TryAdd(printableKey, new SeedEntry(new FileStamp(0, 0), why));

    /// <summary><paramref name="name"/> with each control character written as <c>\uXXXX</c>.</summary>
    internal static string Printable(string name) =>
        string.Concat(name.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    private static SeedEntry LinkEntry(FileInfo link, string realRoot)
    {
        var own = new FileStamp(0, link.LastWriteTimeUtc.Ticks);
        string? real;
        try
        {
            real = SeedFile.RealPath(link.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            real = null;
        }
        if (real is null) return new SeedEntry(own, "the link leads nowhere (its target is missing or the links loop)");
        if (!SeedFile.IsInside(real, realRoot)) return new SeedEntry(own, "the link leads outside the seeds folder; such links are not followed");
        var target = new FileInfo(real);
        return target.Exists ? new SeedEntry(StampOf(target)) : new SeedEntry(own, "the link does not lead to a file");
    }

    private static FileStamp StampOf(FileInfo info)
    {
        var stamp = new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks);
        var sidecar = new FileInfo(info.FullName + SeedReader.SidecarSuffix);
        return sidecar.Exists
            ? new FileStamp(stamp.Length + sidecar.Length, Math.Max(stamp.LastWriteTicks, sidecar.LastWriteTimeUtc.Ticks))
            : stamp;
    }
}
