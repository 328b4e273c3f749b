using System.Numerics;
using Lucene.Net.Index;

namespace NewsSearch.Engine.Indexing;

/// <summary>
/// A Bloom filter over one segment's near-duplicate band terms (<see cref="ArticleFields.DuplicateBands"/>). A band it
/// reports absent is not in the segment, so <see cref="NearDuplicateDetector"/> skips that segment's terms-dictionary
/// seek; a band it reports present is in the segment, or (about 2% of absent bands) a false alarm that the seek then
/// settles. Most bands of most articles are in no other article, so most seeks are skipped.
/// </summary>
/// <remarks>Blocked: the three bits of a band lie in one 64-bit word, one memory read per test. About 10–20 bits per
/// term (the word count is a power of two).</remarks>
internal sealed class BandFilter
{
    private const int BitsPerTerm = 10;
    private readonly ulong[] _words;
    private readonly int _shift;

    private BandFilter(long terms)
    {
        var words = (int)Math.Min(1L << 30, BitOperations.RoundUpToPowerOf2((ulong)Math.Max(1, terms * BitsPerTerm / 64)));
        _words = new ulong[words];
        _shift = 64 - BitOperations.Log2((uint)words);
    }

    /// <summary>The filter of every term <paramref name="terms"/> enumerates; <paramref name="count"/> of them (an
    /// estimate sizes the filter; a wrong one only changes the false-alarm rate).</summary>
    public static BandFilter Of(TermsEnum terms, long count)
    {
        var filter = new BandFilter(count);
        while (terms.MoveNext())
            if (terms.Term is var term && NearDuplicateSignature.TryParseBandTerm(term.Bytes.AsSpan(term.Offset, term.Length), out var band))
                filter.Add(band);
        return filter;
    }

    public bool MayContain(uint band)
    {
        var (word, mask) = Locate(band);
        return (_words[word] & mask) == mask;
    }

    internal void Add(uint band)
    {
        var (word, mask) = Locate(band);
        _words[word] |= mask;
    }

    private (int Word, ulong Mask) Locate(uint band)
    {
        // SplitMix64's finaliser: the high bits choose the word, the low 18 bits the three bits in it.
        var h = band + 0x9E3779B97F4A7C15UL;
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        h ^= h >> 31;
        var word = _shift == 64 ? 0 : (int)(h >> _shift);
        return (word, (1UL << (int)(h & 63)) | (1UL << (int)((h >> 6) & 63)) | (1UL << (int)((h >> 12) & 63)));
    }
}
