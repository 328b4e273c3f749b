using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// An export's date windows: consecutive spans of the sort key (<see cref="ArticleFields.OldestKey"/>, the publication
/// instant) that each hold about a batch of the export's matches, chosen from a sample of their dates. The last window
/// is open-ended, so the windows cover every dated match whatever the sample missed; a sample off by a little only
/// makes a window hold more or fewer than a batch.
/// </summary>
internal sealed class ExportWindows
{
    private readonly long[] _ends;

    private ExportWindows(long[] ends, long dated, long undated)
    {
        _ends = ends;
        Dated = dated;
        Undated = undated;
    }

    public int Count => _ends.Length;

    /// <summary>Matches with a date, and without, in the walk the sample was taken from.</summary>
    public long Dated { get; }
    public long Undated { get; }

    /// <summary>The last key window <paramref name="index"/> holds (inclusive); <see cref="long.MaxValue"/> for the last, open window.</summary>
    public long End(int index) => _ends[index];

    /// <summary>The window holding <paramref name="key"/>; <see cref="Count"/> for an undated article's key, which follows them all.</summary>
    public int IndexOf(long key)
    {
        if (key == long.MaxValue) return Count;
        var i = Array.BinarySearch(_ends, key);
        return i >= 0 ? i : ~i;
    }

    /// <summary>
    /// A uniform sample of the dated matches' keys, taken while the export's first search walks every match, so that
    /// choosing the windows costs no search of its own. Reservoir sampling by Li's Algorithm L: once the sample is full,
    /// random numbers are drawn only for the keys it takes (about Capacity × ln(matches / Capacity) of them), not for
    /// every match; seeded, so an export is repeatable. Not every k-th match: documents often come in a pattern (files
    /// interleaved, a day's articles together), which a fixed stride can fall in step with.
    /// </summary>
    public sealed class Sampler
    {
        /// <summary>Keys kept at most (512 KB): a window of a batch then rests on tens to thousands of samples.</summary>
        public const int Capacity = 1 << 16;

        private readonly Random _random = new(20261129);
        private long[] _keys = new long[64];
        private int _count;
        private long _dated, _undated;
        /// <summary>Once the sample is full: the number of the next dated match to take (0-based), and Algorithm L's W.</summary>
        private long _next;
        private double _w;

        public void Add(long key)
        {
            if (key == long.MaxValue)
            {
                _undated++;
                return;
            }
            var seen = _dated++;
            if (_count < Capacity)
            {
                if (_count == _keys.Length) Array.Resize(ref _keys, _count * 2);
                _keys[_count++] = key;
                if (_count == Capacity)
                {
                    _w = Math.Exp(Math.Log(Uniform()) / Capacity);
                    _next = _dated + Skip();
                }
                return;
            }
            if (seen < _next) return;
            _keys[_random.Next(Capacity)] = key;
            _w *= Math.Exp(Math.Log(Uniform()) / Capacity);
            _next = _dated + Skip();
        }

        /// <summary>How many matches to pass over before the next is taken.</summary>
        private long Skip() => (long)Math.Min(Math.Floor(Math.Log(Uniform()) / Math.Log(1 - _w)), long.MaxValue / 2);

        /// <summary>A uniform number in (0, 1].</summary>
        private double Uniform() => 1.0 - _random.NextDouble();

        /// <summary>Windows of about <paramref name="perWindow"/> matches each over the keys sampled.</summary>
        public ExportWindows Windows(int perWindow)
        {
            var keys = _keys.AsSpan(0, _count);
            keys.Sort();
            var windows = (int)Math.Min(Math.Max(1, (_dated + perWindow - 1) / perWindow), Math.Max(1, _count));
            var ends = new List<long>(windows);
            for (var w = 1; w < windows; w++)
            {
                var end = keys[(int)((long)w * _count / windows) - 1];
                if (ends.Count == 0 || end > ends[^1]) ends.Add(end);
            }
            ends.Add(long.MaxValue);
            return new ExportWindows([.. ends], _dated, _undated);
        }

        /// <summary><paramref name="inner"/>, with every document it is given sampled first.</summary>
        public ICollector Around(ICollector inner) => new Sampling(this, inner);

        private sealed class Sampling(Sampler sampler, ICollector inner) : ICollector
        {
            private NumericDocValues? _keys;

            public bool AcceptsDocsOutOfOrder => inner.AcceptsDocsOutOfOrder;
            public void SetScorer(Scorer scorer) => inner.SetScorer(scorer);

            public void SetNextReader(AtomicReaderContext context)
            {
                _keys = context.AtomicReader.GetNumericDocValues(ArticleFields.OldestKey);
                inner.SetNextReader(context);
            }

            public void Collect(int doc)
            {
                sampler.Add(_keys?.Get(doc) ?? long.MaxValue);
                inner.Collect(doc);
            }
        }
    }
}
