using System.Reflection;
using Lucene.Net.Analysis.Cn.Smart;

namespace NewsSearch.Engine.Analysis;

/// <summary>
/// SmartCn's word segmentation (the hidden-Markov model of Lucene.Net.Analysis.SmartCn's <c>HHMMSegmenter</c>) for a
/// run of Chinese characters, computed over the package's own word and bigram dictionaries but without its
/// per-sentence garbage: the package builds a graph of objects, a char array per candidate word and per word pair, and
/// boxed lists for every run, which made segmentation and the collections it caused most of the cost of indexing.
/// Here the dictionary is a trie probed in place, word pairs are hashed without being built, and the Viterbi pass runs
/// over reused arrays.
/// <para>
/// The result is SmartCn's, word for word: the same candidate words, the same smoothed bigram weights computed by the
/// same expression, and the same tie-breaking (the first cheapest predecessor in SmartCn's token order). A test
/// compares the two on every run of a corpus. Runs holding anything but the characters SmartCn calls Hanzi
/// (U+4E00–U+9FA5) are left to SmartCn itself (<see cref="TrySegment"/> returns false).
/// </para>
/// <para>
/// The dictionaries are internal to the package, so they are read by reflection from its singletons once. The package
/// version is pinned (Directory.Packages.props); a version that renames these fields fails at start-up, loudly.
/// </para>
/// </summary>
internal sealed class HhmmSegmenter
{
    private static readonly Lazy<HhmmSegmenter> Instance = new(() => new HhmmSegmenter(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The segmenter over SmartCn's built-in dictionaries (loaded on first use, about a second).</summary>
    public static HhmmSegmenter Shared => Instance.Value;

    private const char PairSeparator = '@';
    private const double Smoothing = 0.1;

    private readonly WordTrie _words;
    private readonly long[] _bigramHashes;
    private readonly int[] _bigramFrequencies;
    private readonly int _maxFrequency;
    private readonly double _tiny;
    private readonly int _startFrequency;
    private readonly int _endFrequency;
    private readonly char[] _startChars;
    private readonly char[] _endChars;

    [ThreadStatic] private static Scratch? _scratch;

    private HhmmSegmenter()
    {
        const string hhmm = "Lucene.Net.Analysis.Cn.Smart.Hhmm.";
        var assembly = typeof(Utility).Assembly;
        var wordDictionary = Singleton(assembly, hhmm + "WordDictionary");
        var bigramDictionary = Singleton(assembly, hhmm + "BigramDictionary");

        _words = WordTrie.Build(
            Field<char[]>(wordDictionary, "charIndexTable"),
            Field<short[]>(wordDictionary, "wordIndexTable"),
            Field<char[][][]>(wordDictionary, "wordItem_charArrayTable"),
            Field<int[][]>(wordDictionary, "wordItem_frequencyTable"));
        _bigramHashes = Field<long[]>(bigramDictionary, "bigramHashTable");
        _bigramFrequencies = Field<int[]>(bigramDictionary, "frequencyTable");
        _maxFrequency = Utility.MAX_FREQUENCE;
        _tiny = 1.0 / Utility.MAX_FREQUENCE;
        _startChars = Utility.START_CHAR_ARRAY;
        _endChars = Utility.END_CHAR_ARRAY;
        _startFrequency = _words.Frequency(_startChars);
        _endFrequency = _words.Frequency(_endChars);
    }

    /// <summary>True when SmartCn treats every character of <paramref name="run"/> as Hanzi, the case handled here.</summary>
    public static bool Handles(ReadOnlySpan<char> run)
    {
        return run.Length > 0 && run.IndexOfAnyExceptInRange('\u4E00', '\u9FA5') < 0;
    }

    /// <summary>
    /// The words of SmartCn's dictionary inside <paramref name="word"/>, shorter than it and of two characters or
    /// more, each once, in order of where they start (犯罪嫌疑人 → 犯罪, 嫌疑, 嫌疑人): the finer granularity of a long
    /// word. Empty when the word holds a character SmartCn does not call Hanzi.
    /// </summary>
    public IReadOnlyList<string> PartsOf(string word)
    {
        var parts = new List<string>();
        if (!Handles(word)) return parts;
        for (var start = 0; start < word.Length; start++)
        {
            var node = WordTrie.Root;
            for (var end = start; end < word.Length && end - start + 1 < word.Length; end++)
            {
                if ((node = _words.Child(node, word[end])) == 0) break;
                if (end > start && _words.IsWord(node)) parts.Add(word.Substring(start, end - start + 1));
            }
        }
        return parts.Distinct().ToList();
    }

    /// <summary>
    /// Appends SmartCn's words of <paramref name="run"/> to <paramref name="words"/> as (start, end) offsets into the
    /// run. Returns false, appending nothing, when the run holds a character SmartCn does not call Hanzi.
    /// </summary>
    public bool TrySegment(ReadOnlySpan<char> run, List<(int Start, int End)> words)
    {
        if (!Handles(run)) return false;
        var s = _scratch ??= new Scratch();
        var n = run.Length;
        s.Reset(n);

        // Candidate words, in SmartCn's token order: the sentence-begin marker, then by start offset each character
        // alone followed by the dictionary words starting there, shortest first; the sentence-end marker last.
        s.Add(-1, 0, _startFrequency);
        for (var i = 0; i < n; i++)
        {
            var node = _words.Child(WordTrie.Root, run[i]);
            s.Add(i, i + 1, node != 0 ? _words.WordFrequency(node) : 0);
            for (var j = i + 1; j < n && node != 0; j++)
            {
                node = _words.Child(node, run[j]);
                if (node != 0 && _words.IsWord(node)) s.Add(i, j + 1, _words.WordFrequency(node));
            }
        }
        s.Add(n, n + 1, _endFrequency);

        // Viterbi over word pairs: each token's cheapest path from the begin marker through the tokens ending where it
        // starts, weighed as -log(a·P(w1) + (1-a)·P(w2|w1)).
        for (var t = 0; t < s.Count; t++)
        {
            // Every pair starting with token t hashes "t@" first: hash it once.
            long h1 = HashStart;
            var h2 = 5381;
            Hash(ref h1, ref h2, TokenChars(s, run, t));
            Hash(ref h1, ref h2, PairSeparator);
            s.PairHash[t] = h1;
            s.PairStep[t] = h2;
        }
        s.Cost[0] = 0;
        for (var t2 = 1; t2 < s.Count; t2++)
        {
            var start = s.Start[t2];
            var best = double.MaxValue;
            var from = -1;
            for (var t1 = s.EndingHead[start + 1]; t1 >= 0; t1 = s.NextEnding[t1])
            {
                var weight = PairWeight(s, run, t1, t2);
                if (s.Cost[t1] + weight < best)
                {
                    best = s.Cost[t1] + weight;
                    from = t1;
                }
            }
            s.Cost[t2] = best;
            s.Previous[t2] = from;
        }

        var first = words.Count;
        for (var t = s.Previous[s.Count - 1]; t > 0; t = s.Previous[t]) words.Add((s.Start[t], s.End[t]));
        words.Reverse(first, words.Count - first);
        return true;
    }

    private double PairWeight(Scratch s, ReadOnlySpan<char> run, int t1, int t2)
    {
        // SmartCn keys a word pair by the FNV-1 hash of "w1@w2" (and probes with a djb2-derived step).
        var h1 = s.PairHash[t1];
        var h2 = s.PairStep[t1];
        Hash(ref h1, ref h2, TokenChars(s, run, t2));
        var pairFrequency = BigramFrequency(h1, h2);
        double oneWordFrequency = s.Frequency[t1];
        // The expression is SmartCn's, term for term, so that equal-cost paths tie exactly as they do there.
        return -Math.Log(Smoothing * (1.0 + oneWordFrequency) / (_maxFrequency + 0.0)
            + (1.0 - Smoothing) * ((1.0 - _tiny) * pairFrequency / (1.0 + oneWordFrequency) + _tiny));
    }

    private ReadOnlySpan<char> TokenChars(Scratch s, ReadOnlySpan<char> run, int t) =>
        s.Start[t] < 0 ? _startChars : s.Start[t] >= run.Length ? _endChars : run[s.Start[t]..s.End[t]];

    private const long HashStart = unchecked((long)0xcbf29ce484222325L);
    private const long FnvPrime = 1099511628211L;
    private const int BigramTableLength = 402137;

    private static void Hash(ref long h1, ref int h2, ReadOnlySpan<char> chars)
    {
        foreach (var c in chars) Hash(ref h1, ref h2, c);
    }

    private static void Hash(ref long h1, ref int h2, char c)
    {
        unchecked
        {
            h1 = (h1 ^ (c & 0xFF)) * FnvPrime;
            h1 = (h1 ^ (c >> 8)) * FnvPrime;
            h2 = ((h2 << 5) + h2 + c) & 0xFF;
            h2 = ((h2 << 5) + h2 + c) >> 8;
        }
    }

    private int BigramFrequency(long hash, int step)
    {
        var h1 = (int)(hash % BigramTableLength);
        var h2 = step % BigramTableLength;
        if (h1 < 0) h1 += BigramTableLength;
        if (h2 < 0) h2 += BigramTableLength;
        var index = h1;
        var probes = 1;
        while (_bigramHashes[index] != 0 && _bigramHashes[index] != hash && probes < BigramTableLength)
        {
            index = (int)((h1 + (long)probes * h2) % BigramTableLength);
            probes++;
        }
        return probes < BigramTableLength && _bigramHashes[index] == hash ? _bigramFrequencies[index] : 0;
    }

    private static object Singleton(Assembly assembly, string typeName)
    {
        var type = assembly.GetType(typeName)
            ?? throw new InvalidOperationException($"SmartCn's {typeName} is missing: the segmenter needs the pinned Lucene.Net.Analysis.SmartCn version");
        return type.GetMethod("GetInstance", BindingFlags.Public | BindingFlags.Static)?.Invoke(null, null)
            ?? throw new InvalidOperationException($"SmartCn's {typeName}.GetInstance() is missing");
    }

    private static T Field<T>(object owner, string name) where T : class =>
        owner.GetType().GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(owner) as T
        ?? throw new InvalidOperationException($"SmartCn's {owner.GetType().Name}.{name} is missing or not a {typeof(T).Name}");

    /// <summary>Per-thread arrays for one run's tokens, reused across runs.</summary>
    private sealed class Scratch
    {
        public int[] Start = new int[256], End = new int[256], Frequency = new int[256], Previous = new int[256], NextEnding = new int[256];
        public int[] PairStep = new int[256];
        public long[] PairHash = new long[256];
        public double[] Cost = new double[256];
        public int[] EndingHead = new int[64], EndingTail = new int[64];
        public int Count;

        public void Reset(int runLength)
        {
            Count = 0;
            // Slot e + 1 lists the tokens ending at offset e (slot 0 the begin marker's end, offset 0 → slot 1).
            if (EndingHead.Length < runLength + 3)
            {
                EndingHead = new int[(runLength + 3) * 2];
                EndingTail = new int[EndingHead.Length];
            }
            Array.Fill(EndingHead, -1, 0, runLength + 3);
        }

        public void Add(int start, int end, int frequency)
        {
            if (Count == Start.Length)
            {
                var size = Count * 2;
                Array.Resize(ref Start, size);
                Array.Resize(ref End, size);
                Array.Resize(ref Frequency, size);
                Array.Resize(ref Previous, size);
                Array.Resize(ref NextEnding, size);
                Array.Resize(ref Cost, size);
                Array.Resize(ref PairHash, size);
                Array.Resize(ref PairStep, size);
            }
            var t = Count++;
            Start[t] = start;
            End[t] = end;
            Frequency[t] = frequency;
            NextEnding[t] = -1;
            var slot = end + 1;
            if (EndingHead[slot] < 0) EndingHead[slot] = t;
            else NextEnding[EndingTail[slot]] = t;
            EndingTail[slot] = t;
        }
    }

    /// <summary>SmartCn's word dictionary as a trie: a child table keyed by (node, character), frequency per word node.</summary>
    private sealed class WordTrie
    {
        public const int Root = 0;
        private readonly long[] _keys;
        private readonly int[] _children;
        private readonly int _mask;
        private readonly int _shift;
        private readonly int[] _frequency;
        private readonly bool[] _isWord;

        private WordTrie(long[] keys, int[] children, int[] frequency, bool[] isWord)
        {
            _keys = keys;
            _children = children;
            _mask = keys.Length - 1;
            _shift = 64 - System.Numerics.BitOperations.Log2((uint)keys.Length);
            _frequency = frequency;
            _isWord = isWord;
        }

        public static WordTrie Build(char[] firstChars, short[] buckets, char[][][] suffixes, int[][] frequencies)
        {
            var edges = new Dictionary<(int Node, char C), int>();
            var frequency = new List<int> { 0 };
            var isWord = new List<bool> { false };
            for (var h = 0; h < firstChars.Length; h++)
            {
                if (firstChars[h] == 0 || suffixes[buckets[h]] is not { } items) continue;
                for (var k = 0; k < items.Length; k++)
                {
                    var node = Step(Root, firstChars[h]);
                    foreach (var c in items[k] ?? []) node = Step(node, c);
                    isWord[node] = true;
                    frequency[node] = frequencies[buckets[h]][k];
                }
            }

            var capacity = 1;
            while (capacity < edges.Count * 2) capacity <<= 1;
            var keys = new long[capacity];
            var children = new int[capacity];
            var trie = new WordTrie(keys, children, frequency.ToArray(), isWord.ToArray());
            foreach (var ((parent, c), child) in edges)
            {
                var slot = trie.Slot(parent, c);
                keys[slot] = Key(parent, c);
                children[slot] = child;
            }
            return trie;

            int Step(int parent, char c)
            {
                if (edges.TryGetValue((parent, c), out var child)) return child;
                child = frequency.Count;
                frequency.Add(0);
                isWord.Add(false);
                edges[(parent, c)] = child;
                return child;
            }
        }

        /// <summary>Node ids start at 1 past the root, so a key is never 0 (the empty slot).</summary>
        private static long Key(int parent, char c) => ((long)(parent + 1) << 16) | c;

        private int Slot(int parent, char c)
        {
            var key = Key(parent, c);
            var slot = (int)(unchecked((ulong)key * 0x9E3779B97F4A7C15UL) >> _shift) & _mask;
            while (_keys[slot] != 0 && _keys[slot] != key) slot = (slot + 1) & _mask;
            return slot;
        }

        /// <summary>The node below <paramref name="parent"/> by <paramref name="c"/>, or 0 when no word continues so.</summary>
        public int Child(int parent, char c)
        {
            var slot = Slot(parent, c);
            return _keys[slot] != 0 ? _children[slot] : 0;
        }

        public bool IsWord(int node) => _isWord[node];

        public int WordFrequency(int node) => _isWord[node] ? _frequency[node] : 0;

        /// <summary>The frequency of a whole word, 0 when it is not in the dictionary.</summary>
        public int Frequency(ReadOnlySpan<char> word)
        {
            var node = Root;
            foreach (var c in word)
                if ((node = Child(node, c)) == 0) return 0;
            return WordFrequency(node);
        }
    }
}
