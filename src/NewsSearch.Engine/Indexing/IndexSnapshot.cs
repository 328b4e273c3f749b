using System.Security.Cryptography;
using System.Text.Json;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Directory = System.IO.Directory;

namespace NewsSearch.Engine.Indexing;

/// <summary>What a snapshot holds, written beside it as <c>manifest.json</c>.</summary>
/// <param name="Generation">The generation folder copied, under the snapshot folder as under an index folder.</param>
/// <param name="Commit">The Lucene commit copied (its <c>segments_N</c> file).</param>
/// <param name="Articles">Articles in that commit.</param>
/// <param name="Schema">The index schema version of its documents.</param>
/// <param name="SeedFiles">Seed files the commit was built from: a restored index re-reads only files that differ.</param>
/// <param name="Files">Each copied file with its length and SHA-256.</param>
public sealed record SnapshotManifest(
    string Generation,
    string Commit,
    DateTimeOffset TakenAt,
    long Articles,
    int Schema,
    int SeedFiles,
    DateTimeOffset? LastIndexedAt,
    IReadOnlyList<SnapshotFile> Files);

public sealed record SnapshotFile(string Name, long Bytes, string Sha256);

/// <summary>
/// A consistent copy of the live generation's last commit, taken while a server keeps serving and indexing. Lucene
/// files are written once and never changed, and a commit names all its files, so a copy of the files of one commit
/// is a complete index. The writer may delete a commit's files once a newer commit replaces it: every file is opened
/// before any is copied (an open file stays readable after it is deleted), and when one is already gone the newer
/// commit is taken instead.
/// </summary>
/// <remarks>The snapshot folder is laid out as an index folder (<c>CURRENT</c> and one generation) with
/// <c>manifest.json</c> beside them, so starting a server with <c>Search:IndexPath</c> on it (or on a copy of it) serves
/// at once and re-reads only the seed files that changed since.</remarks>
public static class IndexSnapshot
{
    public const string ManifestFile = "manifest.json";

    /// <summary>The file that holds the page-token key (kept with the index so tokens survive a restore).</summary>
    private static readonly string[] RootFilesKept = ["page-token.key"];

    /// <exception cref="InvalidOperationException">There is no index, or the destination is not an empty folder.</exception>
    public static SnapshotManifest Take(string indexRoot, string destination, TimeProvider? clock = null, CancellationToken cancel = default)
    {
        ArticleCodec.Register(); // the segment list names each segment's codec
        var location = new IndexLocation(indexRoot);
        var generation = location.ReadCurrent() ?? throw new InvalidOperationException($"{location.Root} holds no index to snapshot");
        if (File.Exists(destination) || (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any()))
            throw new InvalidOperationException($"{destination} exists and is not an empty folder; a snapshot needs a new folder");
        var source = location.PathOf(generation);

        for (var attempt = 1; ; attempt++)
        {
            cancel.ThrowIfCancellationRequested();
            var infos = new SegmentInfos();
            List<string> names;
            using (var dir = FSDirectory.Open(source))
            {
                infos.Read(dir);
                names = infos.GetFiles(dir, includeSegmentsFile: true).ToList();
            }
            var handles = new List<(string Name, FileStream Stream)>();
            try
            {
                foreach (var name in names)
                    handles.Add((name, new FileStream(Path.Combine(source, name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)));
            }
            catch (FileNotFoundException) when (attempt < 20)
            {
                // A newer commit replaced this one while it was being opened: take that one.
                foreach (var (_, s) in handles) s.Dispose();
                continue;
            }
            try
            {
                return Copy(infos, handles, generation, location.Root, destination, clock ?? TimeProvider.System, cancel);
            }
            finally
            {
                foreach (var (_, s) in handles) s.Dispose();
            }
        }
    }

    private static SnapshotManifest Copy(SegmentInfos infos, List<(string Name, FileStream Stream)> handles, string generation,
        string indexRoot, string destination, TimeProvider clock, CancellationToken cancel)
    {
        var target = Path.Combine(destination, generation);
        Directory.CreateDirectory(target);
        var files = new List<SnapshotFile>();
        foreach (var (name, stream) in handles)
        {
            cancel.ThrowIfCancellationRequested();
            using var output = new FileStream(Path.Combine(target, name), FileMode.CreateNew, FileAccess.Write);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long bytes = 0;
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, n);
                hash.AppendData(buffer, 0, n);
                bytes += n;
            }
            output.Flush(flushToDisk: true);
            files.Add(new SnapshotFile(name, bytes, Convert.ToHexStringLower(hash.GetHashAndReset())));
        }
        foreach (var kept in RootFilesKept)
            if (File.Exists(Path.Combine(indexRoot, kept))) File.Copy(Path.Combine(indexRoot, kept), Path.Combine(destination, kept));
        new IndexLocation(destination).Publish(generation);

        var state = IndexState.FromUserData(infos.UserData);
        var articles = infos.Segments.Sum(s => (long)s.Info.DocCount - s.DelCount);
        var manifest = new SnapshotManifest(generation, infos.GetSegmentsFileName(), clock.GetUtcNow(), articles,
            state.Schema, state.Files.Count, state.LastIndexedAt, files);
        File.WriteAllText(Path.Combine(destination, ManifestFile), JsonSerializer.Serialize(manifest, Json));
        return manifest;
    }

    /// <summary>Reads a snapshot's manifest and checks every file against it; returns the problems found (none: intact).</summary>
    public static (SnapshotManifest Manifest, IReadOnlyList<string> Problems) Verify(string snapshot)
    {
        var manifest = JsonSerializer.Deserialize<SnapshotManifest>(File.ReadAllText(Path.Combine(snapshot, ManifestFile)), Json)
            ?? throw new InvalidOperationException("the manifest is empty");
        var problems = new List<string>();
        foreach (var f in manifest.Files)
        {
            var path = Path.Combine(snapshot, manifest.Generation, f.Name);
            if (!File.Exists(path)) { problems.Add($"{f.Name} is missing"); continue; }
            using var stream = File.OpenRead(path);
            if (stream.Length != f.Bytes || Convert.ToHexStringLower(SHA256.HashData(stream)) != f.Sha256)
                problems.Add($"{f.Name} differs from the manifest");
        }
        return (manifest, problems);
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
}
