using System.Globalization;

namespace NewsSearch.Engine.Indexing;

/// <summary>Another process holds the index folder for the same role.</summary>
public sealed class IndexFolderLockedException(string message) : Exception(message);

/// <summary>
/// What a process does with an index folder. One process at a time may hold each role: one server writes the live
/// generation, one rebuild writes a new generation beside it (and a server follows it once it is published).
/// </summary>
public enum IndexRole { Server, Rebuild }

/// <summary>
/// An exclusive, process-wide claim on an index folder for one <see cref="IndexRole"/>, held through an operating
/// system file lock (<c>flock</c> on Linux), so that it is released when the process dies however it dies. The holder
/// writes who it is beside the lock, so that a second process can say who is in the way.
/// </summary>
public sealed class IndexFolderLock : IDisposable
{
    private readonly FileStream _lock;

    private IndexFolderLock(FileStream handle, IndexRole role, string root)
    {
        _lock = handle;
        Role = role;
        Root = root;
    }

    public IndexRole Role { get; }
    public string Root { get; }

    /// <summary>Claims <paramref name="root"/> for <paramref name="role"/>, creating the folder if needed.</summary>
    /// <exception cref="IndexFolderLockedException">Another process holds the folder for that role.</exception>
    public static IndexFolderLock Acquire(string root, IndexRole role, TimeProvider? clock = null)
    {
        Directory.CreateDirectory(root);
        var name = role.ToString().ToLowerInvariant();
        var lockPath = Path.Combine(root, name + ".lock");
        var holderPath = Path.Combine(root, name + ".holder");
        FileStream? handle = null;
        // A few tries: IsHeld probes the lock for an instant.
        for (var attempt = 0; handle is null; attempt++)
        {
            try
            {
                handle = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(lockPath) && attempt < 3)
            {
                Thread.Sleep(50);
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                break;
            }
        }
        if (handle is null)
        {
            var holder = File.Exists(holderPath) ? File.ReadAllText(holderPath).Trim() : "another process";
            throw new IndexFolderLockedException(role == IndexRole.Server
                ? $"the index folder {root} is already served by {holder}; stop it first, or give this process another Search:IndexPath"
                : $"the index folder {root} is already being rebuilt by {holder}; wait for it to finish");
        }
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        File.WriteAllText(holderPath, string.Create(CultureInfo.InvariantCulture,
            $"process {Environment.ProcessId} on {Environment.MachineName} since {now:yyyy-MM-dd HH:mm:ss} UTC\n"));
        return new IndexFolderLock(handle, role, root);
    }

    /// <summary>True when some process (this one included) holds <paramref name="root"/> for <paramref name="role"/>.</summary>
    public static bool IsHeld(string root, IndexRole role)
    {
        var lockPath = Path.Combine(root, role.ToString().ToLowerInvariant() + ".lock");
        if (!File.Exists(lockPath)) return false;
        try
        {
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _lock.Dispose();
}
