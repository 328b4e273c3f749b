using System.Buffers;
using Lucene.Net.Util;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Bit sets of a bit per document or per cluster, rented for one search. At 1 M articles each is 125 KB, past the
/// large-object threshold: allocated anew per search, each was memory the kernel had to fault in and zero, and
/// garbage that only a full collection frees.
/// </summary>
internal static class PooledBits
{
    // A pool of its own: every array in it was cleared when it came back, which a shared pool cannot promise.
    private static readonly ArrayPool<long> Pool = ArrayPool<long>.Create();

    /// <summary>An empty bit set of <paramref name="numBits"/> bits; give it back with <see cref="Return"/>.</summary>
    public static FixedBitSet Rent(int numBits) =>
        new(Pool.Rent(Math.Max(1, FixedBitSet.Bits2words(numBits))), numBits);

    /// <summary>Clears <paramref name="bits"/> and pools its storage; the set must not be used afterwards.</summary>
    public static void Return(FixedBitSet bits) => Pool.Return(bits.GetBits(), clearArray: true);
}

/// <summary>The bit sets one search's filters rent, all given back when the search ends.</summary>
internal sealed class RentedBits : IDisposable
{
    private readonly List<FixedBitSet> _rented = [];
    private bool _disposed;

    /// <summary>An empty set rented from <paramref name="rented"/>, or a new one when the filter outlives a search (null).</summary>
    public static FixedBitSet RentOrAllocate(RentedBits? rented, int numBits) => rented?.Rent(numBits) ?? new FixedBitSet(numBits);

    public FixedBitSet Rent(int numBits)
    {
        lock (_rented)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var bits = PooledBits.Rent(numBits);
            _rented.Add(bits);
            return bits;
        }
    }

    public void Dispose()
    {
        lock (_rented)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var bits in _rented) PooledBits.Return(bits);
            _rented.Clear();
        }
    }
}
