using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace NewsSearch.Engine.Ingestion;

/// <summary>
/// A gzip file's decompressed bytes, checked at their end against the file's trailer (the CRC-32 and length, modulo
/// 2³², of what was compressed). .NET's <see cref="GZipStream"/> reports a file cut short, or one whose last eight
/// bytes are missing, as an ordinary end: a <c>.jsonl.gz</c> copied half-way lost its second half without a word.
/// A file of several gzip members joined (<c>cat a.gz b.gz</c>) also fails the check, since its trailer covers only
/// its last member; what was read is still served, so the only cost is a warning that names both causes.
/// </summary>
internal sealed class CheckedGzipStream : ReadOnlyStream
{
    private readonly TailStream _compressed;
    private readonly GZipStream _gzip;
    private readonly Crc32 _crc = new();
    private long _length;
    private bool _ended;

    public CheckedGzipStream(Stream compressed)
    {
        _compressed = new TailStream(compressed);
        _gzip = new GZipStream(_compressed, CompressionMode.Decompress);
    }

    /// <summary>
    /// Once a read has returned 0: null when the trailer matches what was read (or the file is empty), otherwise why
    /// the file is suspect. Before that, null.
    /// </summary>
    public string? EndProblem()
    {
        if (!_ended) return null;
        var tail = _compressed.Tail;
        // An empty file: what .NET's own GZipStream writes when given nothing to compress.
        if (tail.Length == 0) return null;
        if (tail.Length == 8 && BinaryPrimitives.ReadUInt32LittleEndian(tail) == _crc.GetCurrentHashAsUInt32()
            && BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]) == (uint)_length)
            return null;
        return "the gzip data ends early or fails its checksum: the file is truncated or corrupt (or several gzip files " +
            "joined, which this check cannot tell apart); the lines before this one were read";
    }

    public override int Read(Span<byte> buffer)
    {
        var n = _gzip.Read(buffer);
        if (n == 0 && buffer.Length > 0) _ended = true;
        _crc.Append(buffer[..n]);
        _length += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _gzip.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The compressed file as read, remembering its last eight bytes (the trailer, when the file is whole).</summary>
    private sealed class TailStream(Stream inner) : ReadOnlyStream
    {
        private readonly byte[] _tail = new byte[8];
        private int _tailLength;

        public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, _tailLength);

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            if (n >= 8)
            {
                buffer.Slice(n - 8, 8).CopyTo(_tail);
                _tailLength = 8;
            }
            else if (n > 0)
            {
                // Keep the last (8 - n) bytes held so far, then the n new ones.
                var keep = Math.Min(_tailLength, 8 - n);
                _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
                buffer[..n].CopyTo(_tail.AsSpan(keep));
                _tailLength = keep + n;
            }
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
