using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace NewsSearch.Engine.Ingestion;

/// <summary>
/// A gzip file's decompressed bytes, checked at their end against the last member's trailer (the CRC-32 and length,
/// modulo 2³², of what that member holds). .NET's <see cref="GZipStream"/> reports a file cut short, or one whose last
/// eight bytes are missing, as an ordinary end: a <c>.jsonl.gz</c> copied half-way lost its second half without a
/// word. It also stops without a word at bytes after a member that are not gzip, dropping any member after them.
/// </summary>
/// <remarks>
/// <para>Files of several members (<c>cat a.gz b.gz</c>, <c>bgzip</c>, a log appended to by gzip) are read whole by
/// <see cref="GZipStream"/>, whose zlib checks every member that ends against its trailer (a mismatch is
/// <see cref="InvalidDataException"/>). What it cannot tell is whether the file ended where a member did, so that is
/// checked here: the file's last eight bytes must be the trailer of the bytes the last member gave, which are the last
/// ISIZE of them. Their CRC-32 comes from the CRC-32 of everything and that of what preceded them
/// (<see cref="Crc32Suffix"/>); the latter is known because each read is remembered with the CRC-32 so far, and a
/// read of <see cref="GZipStream"/> ends where a member does.</para>
/// <para>A file ending in eight zeros or more (tape padding, which gzip lets pass; a last member that is empty; or
/// damage filled with zeros, which zlib decodes without complaint) passes only when the last member's trailer ends
/// just before the run or among its first zeros, when nothing was decompressed and the file is a few kilobytes of
/// empty members (any header) and zeros, or when an empty member with a header
/// without flags (gzip -n or from standard input, .NET, Python's gzip.compress) or bgzip's end-of-file block lies just
/// before the run, after that trailer (an empty last member with a name or comment, after others, is warned about).
/// An empty last member cut by one byte inside its trailer passes (what is left reads as a whole one). Bytes that are
/// not gzip between members are found when the file goes on past where <see cref="GZipStream"/> stopped with bytes
/// other than zeros, or when the file's last eight bytes are not the trailer of the member it stopped after: a file
/// ending with a copy of that member, within the last input buffer, would pass. A member failing its CRC-32 is <see cref="InvalidDataException"/> from
/// zlib, losing the lines of that read.</para>
/// </remarks>
internal sealed class CheckedGzipStream : ReadOnlyStream
{
    private readonly TailStream _compressed;
    private readonly GZipStream _gzip;
    private readonly Crc32 _crc = new();
    // (bytes given before a read, CRC-32 of them): where a member may have begun. One per read of up to 64 KB.
    private readonly List<(long Offset, uint Crc)> _reads = [];
    private const int MaxReads = 1 << 21;
    private long _length;
    private bool _ended;

    public CheckedGzipStream(Stream compressed)
    {
        _compressed = new TailStream(compressed);
        _gzip = new GZipStream(_compressed, CompressionMode.Decompress);
    }

    /// <summary>
    /// Once a read has returned 0: null when the last member's trailer matches what it gave (or the file is empty),
    /// otherwise why the file is suspect. Before that, null.
    /// </summary>
    public string? EndProblem()
    {
        if (!_ended) return null;
        var problem = _endProblem ??= FindEndProblem();
        return problem.Length == 0 ? null : problem;
    }

    private string? _endProblem;

    /// <summary>Why the file's end is suspect, or "" when it is whole. Reads the rest of the file: asked once.</summary>
    private string FindEndProblem()
    {
        // GZipStream stops without a word at bytes after a member that do not begin another; when it stopped before
        // the end of the file, and what follows is not zero padding, more follows.
        if (!_compressed.RestIsZeros())
            return "the gzip data is followed by bytes that are not gzip: the file is corrupt; every line before this one was read";
        var tail = _compressed.Tail;
        // An empty file: what .NET's own GZipStream writes when given nothing to compress.
        if ((tail.Length == 0 && _compressed.ZeroRun == 0) || EndsWhole(tail, _compressed.ZeroRun)) return "";
        return "the gzip data ends early or fails its checksum: the file is truncated or corrupt; the lines before this one were read";
    }

    /// <summary>
    /// Whether the file's end is the end of its last member: the last member's trailer, followed by zero padding if
    /// any. A file ending in eight zero bytes or more is zero padding, an empty member, or damage filled with zeros
    /// (which zlib decodes without complaint); when the trailer is not found just before the run or among its first
    /// zeros, it is whole when an empty member as gzip -n, .NET, Python's gzip.compress or bgzip write it lies just
    /// before the run, after the last member's trailer; or, when nothing was decompressed at all, when the file is a
    /// few kilobytes of empty members and zeros, read as such from its start.
    /// </summary>
    /// <param name="tail">Up to <see cref="TailStream.Kept"/> bytes: the file's last, or, after a run of zeros, those before it.</param>
    private bool EndsWhole(ReadOnlySpan<byte> tail, long zeroRun)
    {
        for (var zeros = 0; zeros <= Math.Min(zeroRun, 7); zeros++)
            if (TrailerMatches(tail, zeros)) return true;
        if (zeroRun < 8) return false;
        if (_length == 0) return _compressed.IsOnlyEmptyMembers();
        return EmptyMemberHeaderLength(tail) is { } header && TrailerMatches(tail[..^(header + 1)], 0);
    }

    /// <summary>Whether the last (8 - <paramref name="zeros"/>) bytes of <paramref name="before"/> and that many zeros are the last member's trailer.</summary>
    private bool TrailerMatches(ReadOnlySpan<byte> before, int zeros)
    {
        if (before.Length < 8 - zeros) return false;
        Span<byte> trailer = stackalloc byte[8];
        trailer.Clear();
        before[^(8 - zeros)..].CopyTo(trailer);
        return LastMemberMatches(trailer);
    }

    /// <summary>
    /// An empty member's data is 03 00 and its trailer eight zeros, so a run of zeros after 03 may be one. The length
    /// of its header when the 03 follows one without flags (gzip -n or from standard input, .NET, Python's
    /// gzip.compress) or as bgzip writes its end-of-file block; otherwise null.
    /// </summary>
    private static int? EmptyMemberHeaderLength(ReadOnlySpan<byte> beforeZeros)
    {
        if (beforeZeros.IsEmpty || beforeZeros[^1] != 3) return null;
        var header = beforeZeros[..^1];
        ReadOnlySpan<byte> plain = [0x1f, 0x8b, 8, 0], extra = [0x1f, 0x8b, 8, 4], bgzipExtra = [6, 0, (byte)'B', (byte)'C', 2, 0];
        if (header.Length >= 10 && header[^10..].StartsWith(plain)) return 10;
        if (header.Length >= 18 && header[^18..].StartsWith(extra) && header[^8..^2].SequenceEqual(bgzipExtra)) return 18;
        return null;
    }

    private bool LastMemberMatches(ReadOnlySpan<byte> trailer) =>
        LastMemberMatches(BinaryPrimitives.ReadUInt32LittleEndian(trailer), BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]));

    /// <summary>Whether some read began a run of bytes to the end whose CRC-32 and length match the trailer.</summary>
    private bool LastMemberMatches(uint crc, uint size)
    {
        var whole = _crc.GetCurrentHashAsUInt32();
        // ISIZE is the length modulo 2³²: a last member of 4 GiB or more begins 2³² bytes earlier, or a multiple of that.
        for (var start = _length - size; start >= 0; start -= 1L << 32)
        {
            if (start == _length)
            {
                if (crc == 0) return true; // an empty member (no read began where it did)
                continue;
            }
            var at = _reads.BinarySearch((start, 0), ByOffset);
            if (at >= 0 && Crc32Suffix.Of(whole, _reads[at].Crc, _length - start) == crc) return true;
        }
        return false;
    }

    private static readonly Comparer<(long Offset, uint Crc)> ByOffset = Comparer<(long Offset, uint Crc)>.Create((a, b) => a.Offset.CompareTo(b.Offset));

    public override int Read(Span<byte> buffer)
    {
        var before = _crc.GetCurrentHashAsUInt32();
        var n = _gzip.Read(buffer);
        if (n == 0)
        {
            if (buffer.Length > 0) _ended = true;
            return 0;
        }
        // A file of many tiny members adds one per member: keep the first (where a file of one member began) and
        // the latest million or more, where the last member began unless it alone took that many reads (a read
        // gives what one inflate call made of an input buffer, usually 8 KB or more). 16 bytes each: 32 MB at most.
        if (_reads.Count == MaxReads) _reads.RemoveRange(1, MaxReads / 2);
        _reads.Add((_length, before));
        _crc.Append(buffer[..n]);
        _length += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _gzip.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// The compressed file as read, remembering its end: its last <see cref="Kept"/> bytes, or, when it ends in zeros,
    /// the length of that run and the bytes before it.
    /// </summary>
    private sealed class TailStream(Stream inner) : ReadOnlyStream
    {
        public const int Kept = 32;
        private readonly byte[] _kept = new byte[Kept];
        // What was kept, the zeros after it (at most Kept) and fewer than Kept new bytes.
        private readonly byte[] _scratch = new byte[3 * Kept];
        private int _keptLength;
        private bool _atEnd;

        /// <summary>The file's first bytes, up to <see cref="HeadKept"/>, and how many bytes it had in all.</summary>
        public const int HeadKept = 4096;
        private readonly byte[] _head = new byte[HeadKept];
        private long _total;

        /// <summary>
        /// Whether the whole file (when it is at most <see cref="HeadKept"/> bytes) is gzip members holding nothing,
        /// whatever their headers, then zeros: what <c>gzip</c> makes of an empty file, alone or joined to others.
        /// </summary>
        public bool IsOnlyEmptyMembers()
        {
            if (_total > HeadKept) return false;
            var bytes = _head.AsSpan(0, (int)_total);
            var members = 0;
            while (true)
            {
                if (bytes.IndexOfAnyExcept((byte)0) < 0) return members > 0;
                if (bytes.Length < 10 || bytes[0] != 0x1f || bytes[1] != 0x8b || bytes[2] != 8 || (bytes[3] & 0xE0) != 0) return false;
                var flags = bytes[3];
                bytes = bytes[10..];
                if ((flags & 0x04) != 0)
                {
                    if (bytes.Length < 2) return false;
                    var extra = 2 + BinaryPrimitives.ReadUInt16LittleEndian(bytes);
                    if (bytes.Length < extra) return false;
                    bytes = bytes[extra..];
                }
                foreach (var text in new[] { 0x08, 0x10 }) // a name, a comment: each ends with a zero
                {
                    if ((flags & text) == 0) continue;
                    var end = bytes.IndexOf((byte)0);
                    if (end < 0) return false;
                    bytes = bytes[(end + 1)..];
                }
                if ((flags & 0x02) != 0)
                {
                    if (bytes.Length < 2) return false;
                    bytes = bytes[2..];
                }
                // Nothing, deflated: a final fixed block with no symbols, or a final stored block of no bytes.
                ReadOnlySpan<byte> fixedEmpty = [3, 0], storedEmpty = [1, 0, 0, 0xff, 0xff];
                var data = bytes.StartsWith(fixedEmpty) ? fixedEmpty.Length : bytes.StartsWith(storedEmpty) ? storedEmpty.Length : -1;
                if (data < 0 || bytes.Length < data + 8 || bytes.Slice(data, 8).IndexOfAnyExcept((byte)0) >= 0) return false;
                bytes = bytes[(data + 8)..];
                members++;
            }
        }

        /// <summary>How many zero bytes the file read so far ends with.</summary>
        public long ZeroRun { get; private set; }

        /// <summary>The last bytes before <see cref="ZeroRun"/> zeros (all of the end when there are none).</summary>
        public ReadOnlySpan<byte> Tail => _kept.AsSpan(0, _keptLength);

        /// <summary>
        /// Whether the rest of the file, after what its reader took, is zeros (tape padding, which may run past the
        /// reader's last buffer) or nothing. Reads it to find out, counting the zeros in <see cref="ZeroRun"/>.
        /// </summary>
        public bool RestIsZeros()
        {
            var rest = new byte[4096];
            while (!_atEnd)
            {
                var n = Read(rest);
                if (rest.AsSpan(0, n).ContainsAnyExcept((byte)0)) return false;
            }
            return true;
        }

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            if (n == 0 && !buffer.IsEmpty) _atEnd = true;
            var read = buffer[..n];
            if (_total < HeadKept) read[..(int)Math.Min(n, HeadKept - _total)].CopyTo(_head.AsSpan((int)_total));
            _total += n;
            var lastNonZero = read.LastIndexOfAnyExcept((byte)0);
            if (lastNonZero < 0)
            {
                ZeroRun += n;
                return n;
            }
            // Keep the Kept bytes ending at the last non-zero one: of this read, after what was kept (and the zeros after it).
            var upTo = read[..(lastNonZero + 1)];
            if (upTo.Length >= Kept)
            {
                upTo[^Kept..].CopyTo(_kept);
                _keptLength = Kept;
            }
            else
            {
                var zeros = (int)Math.Min(ZeroRun, Kept);
                var joined = _scratch.AsSpan();
                _kept.AsSpan(0, _keptLength).CopyTo(joined);
                joined.Slice(_keptLength, zeros).Clear();
                upTo.CopyTo(joined[(_keptLength + zeros)..]);
                var total = _keptLength + zeros + upTo.Length;
                _keptLength = Math.Min(total, Kept);
                joined.Slice(total - _keptLength, _keptLength).CopyTo(_kept);
            }
            ZeroRun = n - 1 - lastNonZero;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// CRC-32 (the gzip and zlib polynomial) arithmetic: the CRC-32 of the end of a run of bytes from the CRC-32 of the
/// whole run and of its beginning. Appending <c>n</c> bytes to a run multiplies its CRC-32 by xⁿ˙⁸ modulo the polynomial
/// and adds (xor) the CRC-32 of the bytes appended, so the latter is the whole run's CRC-32 xor the beginning's times
/// x⁸ⁿ. Polynomials are held as zlib holds them: bit 31 is x⁰.
/// </summary>
internal static class Crc32Suffix
{
    private const uint Polynomial = 0xEDB88320;
    private const uint One = 1u << 31;

    /// <summary>x^(2^k) modulo the polynomial, for k = 0 … 66 (enough for any length in bytes).</summary>
    private static readonly uint[] PowersOfX = BuildPowers();

    private static uint[] BuildPowers()
    {
        var powers = new uint[67];
        var p = One >> 1; // x¹
        for (var k = 0; k < powers.Length; k++)
        {
            powers[k] = p;
            p = Multiply(p, p);
        }
        return powers;
    }

    /// <summary>The CRC-32 of the last <paramref name="suffixLength"/> bytes of a run.</summary>
    /// <param name="whole">The CRC-32 of the whole run.</param>
    /// <param name="prefix">The CRC-32 of the bytes before those.</param>
    public static uint Of(uint whole, uint prefix, long suffixLength) => whole ^ Multiply(XToThe8Times(suffixLength), prefix);

    /// <summary>a·b modulo the polynomial.</summary>
    private static uint Multiply(uint a, uint b)
    {
        uint product = 0;
        for (var bit = One; a != 0 && bit != 0; bit >>= 1)
        {
            if ((a & bit) != 0)
            {
                product ^= b;
                a &= ~bit;
            }
            b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
        }
        return product;
    }

    /// <summary>x^(8n) modulo the polynomial.</summary>
    private static uint XToThe8Times(long n)
    {
        var p = One;
        for (var k = 3; n != 0; n >>= 1, k++)
            if ((n & 1) != 0) p = Multiply(PowersOfX[k], p);
        return p;
    }
}
