using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NewsSearch.Engine.Ingestion;

/// <summary>Bytes read from seed files so far (on disk, before decompression): the measure of a pass's progress.</summary>
public sealed class ReadCounter
{
    private long _bytes;
    public long Bytes => Interlocked.Read(ref _bytes);
    public void Add(long n) => Interlocked.Add(ref _bytes, n);
}

/// <summary>A seed file that cannot be read, with a reason a person understands (never a raw exception text or path).</summary>
public sealed class SeedFileException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>
/// Opens seed files safely: only regular files, never a FIFO, socket or device (opening a FIFO for reading blocks
/// until a writer appears, and that used to stall all indexing), and only the bytes the file held when it was opened.
/// </summary>
public static partial class SeedFile
{
    /// <summary>Opens <paramref name="fullPath"/> for reading, refusing anything but a regular file of at most
    /// <paramref name="maxBytes"/> bytes. The stream ends at the length the file had when it was opened.</summary>
    /// <exception cref="SeedFileException">The file is not a regular file, is too large, or cannot be opened.</exception>
    public static Stream OpenRegular(string fullPath, long maxBytes, ReadCounter? counter = null)
    {
        FileStream stream;
        try
        {
            stream = OperatingSystem.IsWindows()
                ? new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1)
                : OpenNonBlocking(fullPath);
        }
        catch (Exception e) when (e is not OperationCanceledException and not SeedFileException)
        {
            throw new SeedFileException(Describe(e), e);
        }
        try
        {
            if (!stream.CanSeek) throw new SeedFileException("not a regular file (a FIFO, socket or device); only regular files are read");
            var length = stream.Length;
            if (length > maxBytes)
                throw new SeedFileException($"the file is {length:N0} bytes; files larger than {maxBytes:N0} bytes (Search:MaxFileBytes) are not read");
            return new BoundedStream(stream, length, counter);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads a whole small file (a page or its sidecar) of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <exception cref="SeedFileException">Not a regular file, larger than the limit, or unreadable.</exception>
    public static byte[] ReadAllBytes(string fullPath, long maxBytes, string limitName)
    {
        using var stream = OpenRegular(fullPath, long.MaxValue);
        if (stream.Length > maxBytes)
            throw new SeedFileException($"the file is {stream.Length:N0} bytes; an article may be at most {maxBytes:N0} bytes ({limitName})");
        var bytes = new byte[stream.Length];
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException e)
        {
            throw new SeedFileException("the file was truncated while it was read", e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not SeedFileException)
        {
            throw new SeedFileException(Describe(e), e);
        }
        return bytes;
    }

    /// <summary>A plain reason for an exception met while reading a seed file; exception texts carry absolute paths.</summary>
    public static string Describe(Exception e) => e switch
    {
        SeedFileException s => s.Message,
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "the file vanished before it could be read",
        PathTooLongException => "the path is too long",
        InvalidDataException => "the data is corrupt (not valid gzip)",
        EndOfStreamException => "the file ended in the middle of a record",
        IOException => "an I/O error occurred while reading the file",
        _ => $"it could not be read ({e.GetType().Name})",
    };

    /// <summary>The canonical absolute path with every link resolved, or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        if (OperatingSystem.IsWindows())
            return File.Exists(path) || Directory.Exists(path) ? Path.GetFullPath(path) : null;
        var p = realpath(path, IntPtr.Zero);
        if (p == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(p); }
        finally { free(p); }
    }

    /// <summary>True when <paramref name="path"/> (canonical) is <paramref name="root"/> (canonical) or lies below it.</summary>
    public static bool IsInside(string path, string root) =>
        path == root || path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);

    // O_NONBLOCK makes open(2) on a FIFO return at once instead of waiting for a writer; on a regular file it has no
    // effect. The values are Linux's (x86-64 and arm64) and macOS's.
    private static FileStream OpenNonBlocking(string path)
    {
        var flags = OperatingSystem.IsMacOS() ? 0x0004 | 0x1000000 : 0x800 | 0x80000; // O_RDONLY | O_NONBLOCK | O_CLOEXEC
        var fd = open(path, flags);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                2 => new FileNotFoundException(),
                13 or 1 => new UnauthorizedAccessException(),
                _ => new IOException($"open failed with errno {errno}"),
            };
        }
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, bufferSize: 1);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr p);

    /// <summary>A read-only view of the first <c>length</c> bytes of a stream: a file that grows while it is read is
    /// read as it was when opened (the rest comes with the next pass, since its stamp changed).</summary>
    private sealed class BoundedStream(Stream inner, long length, ReadCounter? counter) : ReadOnlyStream
    {
        private long _position;

        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            var left = length - _position;
            if (left <= 0) return 0;
            if (buffer.Length > left) buffer = buffer[..(int)left];
            var n = inner.Read(buffer);
            _position += n;
            counter?.Add(n);
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
