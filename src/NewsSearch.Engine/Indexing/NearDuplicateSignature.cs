using System.Buffers.Binary;
using System.Numerics;
using NewsSearch.Engine.Analysis;

namespace NewsSearch.Engine.Indexing;

/// <summary>
/// The MinHash signature of an article's text, for finding reprints: the text is folded
/// (<see cref="ChineseNormalizer"/>: Traditional to Simplified, full-width to half-width, case), everything but letters
/// and digits is dropped (so punctuation and spacing changes do not count), and the overlapping
/// <see cref="ShingleLength"/>-character sequences ("shingles") form a set. <see cref="HashCount"/> MinHash values
/// estimate how much two sets overlap; <see cref="BandCount"/> bands of <see cref="RowsPerBand"/> values each are
/// hashed into terms (LSH banding), so that two texts sharing a band are compared.
/// </summary>
/// <remarks>
/// <para>The body is what is compared; the title only when the body is too short to judge (fewer than
/// <see cref="MinShingles"/> shingles), because a reprint's headline is the part most often rewritten. A text with
/// fewer than <see cref="MinShingles"/> shingles even with its title has no signature and is never a near-duplicate.</para>
/// <para>Two texts are near-duplicates (<see cref="IsNearDuplicateOf"/>) when the shorter one's shingles are
/// mostly found in the longer (containment ≥ <see cref="MinContainment"/>) and they share at least
/// <see cref="MinJaccard"/> of their union, so a dropped paragraph or an added note still matches, while a brief whose
/// text is quoted inside a long feature does not.</para>
/// <para>Only the low 16 bits of each MinHash are kept (b-bit MinHash): two different minima agree by chance with
/// probability 2⁻¹⁶, which moves the estimate by less than 0.0001.</para>
/// </remarks>
public sealed class NearDuplicateSignature
{
    public const int ShingleLength = 5;
    public const int HashCount = 128;
    public const int BandCount = 24;
    public const int RowsPerBand = 3;
    /// <summary>Fewest shingles a text needs to be compared at all.</summary>
    public const int MinShingles = 16;
    /// <summary>Share of the shorter text's shingles that must be found in the longer one.</summary>
    public const double MinContainment = 0.8;
    /// <summary>Share of the union of both texts' shingles that both must hold.</summary>
    public const double MinJaccard = 0.4;

    /// <summary>Bytes of <see cref="ToBytes"/>: the shingle count then the 16-bit values, little-endian.</summary>
    public const int ByteLength = 4 + 2 * HashCount;

    private static readonly int Lanes = Vector<uint>.Count;
    private static readonly Vector<uint>[] Seeds = MakeSeeds();

    private readonly ushort[] _values;

    private NearDuplicateSignature(ushort[] values, int shingleCount, uint[]? bands)
    {
        _values = values;
        ShingleCount = shingleCount;
        Bands = bands ?? [];
    }

    /// <summary>Distinct shingles of the text compared.</summary>
    public int ShingleCount { get; }

    /// <summary>The band hashes (empty for a signature read back from bytes: bands are only needed to index it).</summary>
    public IReadOnlyList<uint> Bands { get; }

    /// <summary>The signature of an article, or null when its text is too short to compare.</summary>
    public static NearDuplicateSignature? Of(string title, string body)
    {
        var shingles = Hashes(body);
        if (shingles.Length < MinShingles) shingles = Hashes(title + body);
        if (shingles.Length < MinShingles) return null;
        return FromShingles(shingles);
    }

    /// <summary>The distinct shingle hashes of <paramref name="text"/>, sorted.</summary>
    public static uint[] ShingleHashes(string text)
    {
        var hashes = Hashes(text);
        Array.Sort(hashes);
        return hashes;
    }

    /// <summary>The distinct shingle hashes of <paramref name="text"/>, in no particular order.</summary>
    private static uint[] Hashes(string text)
    {
        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var n = 0;
            foreach (var c in text)
                if (Folded[c] is var f && f != '\0') buffer[n++] = f;
            if (n < ShingleLength) return [];
            // Distinct hashes through a small open-addressing table (0 stands for "empty", so hash 0 is stored as 1).
            var table = new uint[(int)BitOperations.RoundUpToPowerOf2((uint)(n * 2))];
            var mask = table.Length - 1;
            var distinct = new uint[n - ShingleLength + 1];
            var count = 0;
            for (var i = 0; i + ShingleLength <= n; i++)
            {
                var x = buffer[i] | (ulong)buffer[i + 1] << 16 | (ulong)buffer[i + 2] << 32 | (ulong)buffer[i + 3] << 48;
                var h = (uint)(Mix64(x ^ buffer[i + 4] * 0x9E3779B97F4A7C15UL) >> 32);
                if (h == 0) h = 1;
                var slot = (int)h & mask;
                while (table[slot] != 0 && table[slot] != h) slot = (slot + 1) & mask;
                if (table[slot] == h) continue;
                table[slot] = h;
                distinct[count++] = h;
            }
            return count == distinct.Length ? distinct : distinct[..count];
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Every UTF-16 unit folded by <see cref="ChineseNormalizer"/>, or '\0' for what is not compared (anything but
    /// letters, digits and surrogates): one array lookup per character instead of a table probe and a category test.
    /// </summary>
    private static readonly char[] Folded = FoldTable();

    private static char[] FoldTable()
    {
        var all = new char[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++) all[c] = (char)c;
        // Unpaired surrogates pass through unchanged, so every other unit folds as it would in running text.
        ChineseNormalizer.NormalizeInPlace(all, all.Length);
        for (var c = 0; c <= char.MaxValue; c++)
            if (!(char.IsLetterOrDigit(all[c]) || char.IsSurrogate(all[c]))) all[c] = '\0';
        return all;
    }

    private static NearDuplicateSignature FromShingles(uint[] shingles)
    {
        var vectors = HashCount / Lanes;
        Span<Vector<uint>> mins = stackalloc Vector<uint>[vectors];
        mins.Fill(new Vector<uint>(uint.MaxValue));
        foreach (var s in shingles)
        {
            var x = new Vector<uint>(s);
            for (var j = 0; j < vectors; j++)
            {
                // MurmurHash3's finaliser over the shingle xor a per-function seed: one random-looking order per seed.
                var v = x ^ Seeds[j];
                v ^= Vector.ShiftRightLogical(v, 16);
                v *= 0x85EBCA6Bu;
                v ^= Vector.ShiftRightLogical(v, 13);
                v *= 0xC2B2AE35u;
                v ^= Vector.ShiftRightLogical(v, 16);
                mins[j] = Vector.Min(mins[j], v);
            }
        }
        Span<uint> full = stackalloc uint[HashCount];
        for (var j = 0; j < vectors; j++) mins[j].CopyTo(full[(j * Lanes)..]);
        var values = new ushort[HashCount];
        for (var i = 0; i < HashCount; i++) values[i] = (ushort)full[i];
        var bands = new uint[BandCount];
        for (var b = 0; b < BandCount; b++)
        {
            var h = (ulong)b * 0x9E3779B97F4A7C15UL;
            for (var r = 0; r < RowsPerBand; r++) h = Mix64(h ^ full[b * RowsPerBand + r]);
            bands[b] = (uint)(h >> 32);
        }
        return new NearDuplicateSignature(values, shingles.Length, bands);
    }

    /// <summary>Estimated share of the union of both shingle sets that both hold (Jaccard similarity), 0 to 1.</summary>
    public double Jaccard(NearDuplicateSignature other)
    {
        var same = 0;
        for (var i = 0; i < HashCount; i++)
            if (_values[i] == other._values[i]) same++;
        return (double)same / HashCount;
    }

    /// <summary>Estimated share of the smaller shingle set found in the larger one, from <paramref name="jaccard"/>
    /// and the set sizes: |A∩B| = J (|A| + |B|) / (1 + J).</summary>
    public double Containment(NearDuplicateSignature other, double jaccard)
    {
        var common = jaccard * (ShingleCount + other.ShingleCount) / (1 + jaccard);
        return Math.Min(1, common / Math.Min(ShingleCount, other.ShingleCount));
    }

    /// <summary>The estimated Jaccard similarity when the two texts are near-duplicates by the documented rule,
    /// else null.</summary>
    public double? NearDuplicateScore(NearDuplicateSignature other)
    {
        var j = Jaccard(other);
        return j >= MinJaccard && Containment(other, j) >= MinContainment ? j : null;
    }

    public bool IsNearDuplicateOf(NearDuplicateSignature other) => NearDuplicateScore(other) is not null;

    /// <summary>The text of the index term for band hash <paramref name="band"/>: 8 hex digits.</summary>
    public static string BandTerm(uint band) => band.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The band hash an index term of <see cref="BandTerm"/> stands for, read from its UTF-8 bytes.</summary>
    public static bool TryParseBandTerm(ReadOnlySpan<byte> utf8, out uint band) =>
        uint.TryParse(utf8, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out band);

    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, ShingleCount);
        for (var i = 0; i < HashCount; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4 + 2 * i), _values[i]);
        return bytes;
    }

    /// <summary>A signature stored by <see cref="ToBytes"/>, or null when <paramref name="bytes"/> is not one.</summary>
    public static NearDuplicateSignature? FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength) return null;
        var values = new ushort[HashCount];
        for (var i = 0; i < HashCount; i++) values[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(4 + 2 * i)..]);
        return new NearDuplicateSignature(values, BinaryPrimitives.ReadInt32LittleEndian(bytes), null);
    }

    private static ulong Mix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static Vector<uint>[] MakeSeeds()
    {
        // Fixed seeds (SplitMix64 from a constant): signatures written by one process are compared by another.
        var seeds = new uint[HashCount];
        var state = 0x5DEECE66DUL;
        for (var i = 0; i < HashCount; i++) seeds[i] = (uint)(Mix64(state += 0x9E3779B97F4A7C15UL) >> 32);
        return Enumerable.Range(0, HashCount / Lanes).Select(j => new Vector<uint>(seeds, j * Lanes)).ToArray();
    }
}
