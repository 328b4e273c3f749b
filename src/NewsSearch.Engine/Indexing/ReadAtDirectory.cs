using Lucene.Net.Store;
using Microsoft.Win32.SafeHandles;

namespace NewsSearch.Engine.Indexing;

/// <summary>
/// The index's directory: files written as <see cref="FSDirectory"/> writes them, read with positional reads
/// (<see cref="RandomAccess.Read(SafeFileHandle, Span{byte}, long)"/>, one <c>pread</c> per buffer refill, no shared
/// file position, no lock), with doc values and the terms dictionaries held in memory and stored fields read an
/// article at a time.
/// <para>
/// Why not the stock directories: Lucene.Net 4.8.0-beta00017's <c>MMapDirectory</c> slows down the longer a process
/// searches (apache/lucenenet#1151: 2 → 12 ms per query over 12 rounds here), and its <c>NIOFSDirectory</c> asks the
/// file system for the file's length on every 1 KB refill and seeks a shared stream: a profile of the cctv query mix
/// put 69% of search time in those reads. Every refill is a system call (about 6 µs here), so what is read often and
/// randomly is kept in memory: doc values (a sort by date reads one per candidate hit; a few bytes per article) and the
/// terms dictionaries (every query term is looked up in every segment; 14 MB for the cctv corpus). Measured on the
/// cctv query mix in-process, p50 per search: NIOFSDirectory 1.88 ms; positional reads with doc values in memory
/// 1.16 ms; with 32 KB refills for stored fields and the terms dictionaries in memory 0.9 ms (pread calls per search
/// 230 → 90). Larger refills for every file made it slower (2.0 ms): most reads are small and random.
/// </para>
/// <para>
/// Files are told apart by extension, so segments are written as separate files rather than compound files
/// (<see cref="IndexGeneration"/> turns compound files off); compound segments of older indexes are still read, with
/// positional reads only.
/// </para>
/// </summary>
public sealed class ReadAtDirectory(DirectoryInfo path) : FSDirectory(path, null)
{
    /// <summary>Extensions of the files read whole into memory: doc values data and metadata, terms dictionaries.</summary>
    private static readonly string[] InMemoryExtensions = [".dvd", ".dvm", ".tim"];

    public override IndexInput OpenInput(string name, IOContext context)
    {
        EnsureOpen();
        var path = System.IO.Path.Combine(Directory.FullName, name);
        if (InMemoryExtensions.Any(e => name.EndsWith(e, StringComparison.Ordinal)))
            return new ByteArrayDataInput($"ReadAtDirectory.InMemory(path=\"{path}\")", File.ReadAllBytes(path));
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var input = new ReadAtInput($"ReadAtDirectory(path=\"{path}\")", handle, 0, RandomAccess.GetLength(handle), context, ownsHandle: true);
        // Stored fields are read an article at a time (a few KB; a compressed chunk of about 3 KB in segments of the
        // earlier CompressedArticleCodec): one refill per article, not one per KB. Reading one random cctv article cost
        // 12–13 µs with 8 KB refills against 16.5–17 µs with 32 KB ones (each refill copies the whole buffer), when
        // stored fields were compressed; older 16 KB-chunk segments: 26 against 34 µs.
        if (name.EndsWith(".fdt", StringComparison.Ordinal)) input.SetBufferSize(8 * 1024);
        return input;
    }

    public override IndexInputSlicer CreateSlicer(string name, IOContext context)
    {
        EnsureOpen();
        var path = System.IO.Path.Combine(Directory.FullName, name);
        return new Slicer(path, File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), context);
    }

    private sealed class Slicer(string path, SafeFileHandle handle, IOContext context) : IndexInputSlicer
    {
        public override IndexInput OpenSlice(string sliceDescription, long offset, long length) =>
            new ReadAtInput($"ReadAtDirectory.Slice({sliceDescription} in path=\"{path}\")", handle, offset, length, context, ownsHandle: false);

        [Obsolete("Only for reading CFS files from 3.x indexes.")]
        public override IndexInput OpenFullSlice() => OpenSlice("full-slice", 0, RandomAccess.GetLength(handle));

        protected override void Dispose(bool disposing)
        {
            if (disposing) handle.Dispose();
        }
    }

    /// <summary>A buffered input over [offset, offset + length) of a file, read with positional reads.</summary>
    private sealed class ReadAtInput(string description, SafeFileHandle handle, long offset, long length, IOContext context, bool ownsHandle)
        : BufferedIndexInput(description, context)
    {
        private bool _isClone;

        public override long Length => length;

        protected override void ReadInternal(byte[] b, int offset1, int count)
        {
            // While a refill or a large read runs, the file pointer is where it starts.
            var position = offset + Position;
            var done = 0;
            while (done < count)
            {
                var read = RandomAccess.Read(handle, b.AsSpan(offset1 + done, count - done), position + done);
                if (read <= 0) throw new EndOfStreamException($"read past EOF: {this} at {position + done}");
                done += read;
            }
        }

        protected override void SeekInternal(long pos)
        {
            // Positional reads need no seek.
        }

        public override object Clone()
        {
            var clone = (ReadAtInput)base.Clone();
            clone._isClone = true;
            return clone;
        }

        protected override void Dispose(bool disposing)
        {
            // Clones share the handle; the original (or the slicer) closes it.
            if (disposing && !_isClone && ownsHandle) handle.Dispose();
        }
    }

    /// <summary>A whole file in memory, shared by every clone.</summary>
    private sealed class ByteArrayDataInput(string description, byte[] bytes) : IndexInput(description)
    {
        private long _position;

        public override long Length => bytes.Length;

        public override long Position => _position;

        public override byte ReadByte()
        {
            if (_position >= bytes.Length) throw new EndOfStreamException($"read past EOF: {this}");
            return bytes[_position++];
        }

        public override void ReadBytes(byte[] b, int offset, int len)
        {
            if (_position + len > bytes.Length) throw new EndOfStreamException($"read past EOF: {this}");
            Buffer.BlockCopy(bytes, (int)_position, b, offset, len);
            _position += len;
        }

        public override void Seek(long pos)
        {
            if (pos < 0 || pos > bytes.Length) throw new EndOfStreamException($"seek past EOF: {this} to {pos}");
            _position = pos;
        }

        public override object Clone() => MemberwiseClone();

        protected override void Dispose(bool disposing)
        {
        }
    }
}
