using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// A bag of words (a disjunction of word clauses, each a disjunction of term, phrase and prefix queries, with a minimum
/// number of words to match), scored a window of documents at a time rather than a document at a time. The same
/// matches, with the same scores up to the order a float sum is taken in. The query builder gives this shape to a
/// pasted paragraph (and Related's article), to a query of one word, name, quoted phrase or single character (its title
/// and body terms and the character sequence on the two gram fields, a term, a phrase or a single character's prefix),
/// and to a short query of several words, every one required, beside the proximity clause that only adds to the score.
/// </summary>
/// <remarks>
/// Lucene.Net 4.8 scores a disjunction with a minimum to match (<c>MinShouldMatchSumScorer</c>) one document at a
/// time through a heap of sub-scorers, each word itself a heap of two fields; a profile of pasted paragraphs put 60%
/// of their time there. Here each term's postings are read straight through, a window of <see cref="Window"/>
/// documents at a time, adding its score and marking its word in arrays indexed by document; the window's documents
/// that matched enough words are then collected in order. This is Lucene's own <c>BooleanScorer</c> idea (which 4.8
/// uses only without a minimum, and out of order), with the minimum counted per word. Only that shape is taken
/// (<see cref="TryWrap"/>), and only with similarities whose query norm is 1 and coordination off (BM25 and the
/// language models, as the builder makes every query); anything else is searched as before. Explanations and any
/// caller that needs a document-at-a-time scorer use the wrapped query's own weight.
/// <para>
/// Under plain BM25 no clause can score more than its weight (see <c>UpperBounds</c>), so when the collector says how
/// high a hit must score to still reach the page (<see cref="ICompetitiveScore"/>, once enough hits are counted
/// exactly), the clauses whose bounds together stay below that score are not essential: a document only they hold
/// cannot reach the page. Windows are then read from the essential clauses' postings alone, and the others leap to
/// the documents those found (MaxScore, Turtle and Flood 1995). A common word's body postings, most of its cost, are
/// then read only where its title matched.
/// </para>
/// </remarks>
internal sealed class BagOfWordsQuery : Query
{
    /// <summary>Documents scored together: the arrays stay in the first-level cache.</summary>
    internal const int Window = 2048;

    private readonly BooleanQuery _query;
    private readonly int _minimum;
    private readonly Filter? _filter;
    private readonly SearchStop? _stop;
    /// <summary>Every term and phrase clause, with its word's number; -1 for a clause that only adds to the score.</summary>
    private readonly (Query Clause, int Word)[] _terms;

    private BagOfWordsQuery(BooleanQuery query, int minimum, Filter? filter, SearchStop? stop, (Query, int)[] terms)
    {
        _query = query;
        _minimum = minimum;
        _filter = filter;
        _stop = stop;
        _terms = terms;
    }

    /// <summary>
    /// <paramref name="query"/> restricted to <paramref name="filter"/> and scored a window at a time, when it is a bag
    /// of words and <paramref name="similarity"/> allows it; otherwise null. Two shapes are taken: the bag itself, and
    /// the bag as the one required clause beside optional clauses that only add to the score (a short query's words
    /// with their proximity clause). The filter is applied inside, as the documents each window may hold, so the
    /// caller searches the result without it. The search checks <paramref name="stop"/> at every window, whether or
    /// not the window collects anything.
    /// </summary>
    public static Query? TryWrap(Query query, Filter? filter, Similarity similarity, SearchStop? stop = null)
    {
        if (query is not BooleanQuery top || top.Boost != 1f || !top.CoordDisabled) return null;
        if (similarity.QueryNorm(2f) != 1f) return null;
        var words = top;
        var extra = new List<BooleanClause>();
        if (top.Clauses.Any(c => c.Occur == Occur.MUST))
        {
            if (top.MinimumNumberShouldMatch != 0 || top.Clauses.Count(c => c.Occur == Occur.MUST) != 1) return null;
            if (top.Clauses.First(c => c.Occur == Occur.MUST).Query is not BooleanQuery { Boost: 1f, CoordDisabled: true } required) return null;
            words = required;
            extra.AddRange(top.Clauses.Where(c => c.Occur != Occur.MUST));
        }
        var terms = new List<(Query, int)>();
        var word = 0;
        foreach (var clause in words.Clauses)
        {
            if (clause.Occur != Occur.SHOULD || !AddLeaves(clause.Query, word, terms)) return null;
            word++;
        }
        if (terms.Count == 0) return null;
        foreach (var clause in extra)
            if (clause.Occur != Occur.SHOULD || !AddLeaves(clause.Query, -1, terms)) return null;
        return new BagOfWordsQuery(top, Math.Max(1, words.MinimumNumberShouldMatch), filter, stop, terms.ToArray());
    }

    /// <summary>Adds a word's term and phrase clauses (itself one, or a disjunction of them); false for any other shape.</summary>
    private static bool AddLeaves(Query query, int word, List<(Query, int)> terms)
    {
        switch (query)
        {
            case TermQuery or PhraseQuery or PrefixQuery:
                terms.Add((query, word));
                return true;
            case BooleanQuery inner when inner.CoordDisabled && inner.MinimumNumberShouldMatch == 0:
                foreach (var c in inner.Clauses)
                {
                    if (c.Occur != Occur.SHOULD || c.Query is not (TermQuery or PhraseQuery or PrefixQuery)) return false;
                    // A copy keeps what the clause carries (a term's looked-up statistics) with the word's boost.
                    var leaf = (Query)c.Query.Clone();
                    leaf.Boost = c.Query.Boost * inner.Boost;
                    terms.Add((leaf, word));
                }
                return true;
            default:
                return false;
        }
    }

    public override Weight CreateWeight(IndexSearcher searcher) => new BagWeight(this, searcher);

    public override Query Rewrite(IndexReader reader) => this;

    public override void ExtractTerms(ISet<Term> terms) => _query.ExtractTerms(terms);

    /// <summary>The same matches and scores, a document at a time.</summary>
    private Query Exact => _filter is null ? _query : new FilteredQuery(_query, _filter);

    public override string ToString(string field) => Exact.ToString(field);

    public override bool Equals(object? obj) => obj is BagOfWordsQuery other && other._query.Equals(_query) && Equals(other._filter, _filter);

    public override int GetHashCode() => HashCode.Combine(_query, _filter);

    private sealed class BagWeight : Weight
    {
        private readonly BagOfWordsQuery _query;
        private readonly IndexSearcher _searcher;
        private readonly Query[] _rewritten;
        private readonly Weight[] _terms;
        private float _norm = 1f, _topLevelBoost = 1f;
        private Weight? _exact;

        public BagWeight(BagOfWordsQuery query, IndexSearcher searcher)
        {
            _query = query;
            _searcher = searcher;
            _rewritten = query._terms.Select(t => searcher.Rewrite(t.Clause)).ToArray();
            _terms = _rewritten.Select(q => q.CreateWeight(searcher)).ToArray();
        }

        public override Query Query => _query;

        public override float GetValueForNormalization() => _terms.Sum(w => w.GetValueForNormalization());

        public override void Normalize(float norm, float topLevelBoost)
        {
            (_norm, _topLevelBoost) = (norm, topLevelBoost);
            foreach (var w in _terms) w.Normalize(norm, topLevelBoost);
        }

        /// <summary>The wrapped query's own weight, normalized as this one was: for explanations and scorers in doc order.</summary>
        private Weight Exact()
        {
            if (_exact is not null) return _exact;
            var exact = _query.Exact.CreateWeight(_searcher);
            exact.Normalize(_norm, _topLevelBoost);
            return _exact = exact;
        }

        public override Explanation Explain(AtomicReaderContext context, int doc) => Exact().Explain(context, doc);

        public override Scorer GetScorer(AtomicReaderContext context, IBits acceptDocs) => Exact().GetScorer(context, acceptDocs);

        public override bool ScoresDocsOutOfOrder => false;

        public override BulkScorer? GetBulkScorer(AtomicReaderContext context, bool scoreDocsInOrder, IBits acceptDocs)
        {
            WindowFilter? filtered = null;
            var live = acceptDocs;
            if (_query._filter is { } filter)
            {
                // The filter's documents already exclude those not accepted. The postings skip the others; as a bit
                // set, the window scorer also leaps over runs of documents it leaves out.
                if (filter.GetDocIdSet(context, acceptDocs) is not { } set
                    || (set.Bits ?? AsBits(set, context.AtomicReader.MaxDoc)) is not { } accepted) return null;
                acceptDocs = accepted is FixedBitSet bits ? filtered = new WindowFilter(bits) : accepted;
            }
            var scorers = new List<(Scorer Scorer, int Word)>();
            var upper = UpperBounds();
            var uppers = new List<float>();
            var terms = new List<bool>();
            for (var i = 0; i < _terms.Length; i++)
                if (LeafScorer(i, context, acceptDocs, live, filtered) is { } s)
                {
                    scorers.Add((s, _query._terms[i].Word));
                    if (upper is not null) uppers.Add(upper[i]);
                    terms.Add(_rewritten[i] is TermQuery);
                }
            var minimum = _query._minimum;
            if (scorers.Where(s => s.Word >= 0).Select(s => s.Word).Distinct().Count() < minimum) return null;
            return new WindowScorer(this, scorers, upper is null ? null : uppers.ToArray(), minimum, _query._stop, filtered,
                context.AtomicReader.MaxDoc, terms.ToArray());
        }

        /// <summary>
        /// Clause <paramref name="i"/>'s scorer. A term or phrase reads its postings through the window filter. A prefix
        /// (a constant score over a set of documents) may gather its documents at once, before any window sets that
        /// filter's limit, so it reads the segment's live documents and leaps between them and the filter's.
        /// </summary>
        private Scorer? LeafScorer(int i, AtomicReaderContext context, IBits acceptDocs, IBits live, WindowFilter? filtered)
        {
            if (filtered is null || _rewritten[i] is TermQuery or PhraseQuery) return _terms[i].GetScorer(context, acceptDocs);
            return _terms[i].GetScorer(context, live) is { } all ? new FilterLeapScorer(all, filtered.Bits) : null;
        }

        private float[]? _upper;
        private bool _upperKnown;

        /// <summary>
        /// Each clause's highest possible score, or null when the similarity gives none. Under BM25 a term or phrase
        /// scores <c>weight × freq / (freq + norm)</c> with <c>norm ≥ 0</c>, so never more than its weight, which is
        /// <c>idf × boost × top-level boost × (k1 + 1)</c> (a phrase's idf is the sum of its terms'); the clause
        /// weight's value for normalisation is <c>(idf × boost)²</c>. Only plain BM25 is bounded this way. A prefix (a
        /// single character's grams) rewrites to a constant score: its boost × top-level boost, exactly.
        /// </summary>
        private float[]? UpperBounds()
        {
            if (_upperKnown) return _upper;
            _upperKnown = true;
            if (_searcher.Similarity is not BM25Similarity bm25 || bm25.GetType() != typeof(BM25Similarity)) return null;
            var upper = new float[_terms.Length];
            for (var i = 0; i < _terms.Length; i++)
            {
                upper[i] = _rewritten[i] switch
                {
                    TermQuery or PhraseQuery => MathF.Sqrt(_terms[i].GetValueForNormalization()) * _topLevelBoost * (bm25.K1 + 1),
                    ConstantScoreQuery constant => constant.Boost * _norm * _topLevelBoost,
                    _ => float.NaN,
                };
                if (!(upper[i] >= 0) || float.IsInfinity(upper[i]) || _query._terms[i].Clause.Boost < 0) return null;
            }
            return _upper = upper;
        }
    }

    /// <summary>
    /// A filter's bit set as the postings see it while a window is scored: every document from <see cref="Limit"/> (the
    /// window's end) on is let through, so that a postings list stops at the first document past the window instead of
    /// reading on, perhaps far, to the next filtered one. The window scorer checks that first document itself.
    /// </summary>
    private sealed class WindowFilter(FixedBitSet bits) : IBits
    {
        public int Limit;
        public FixedBitSet Bits => bits;
        public bool Get(int index) => index >= Limit || bits.Get(index);
        public int Length => bits.Length;
    }

    /// <summary>The documents of <paramref name="inner"/> that <paramref name="bits"/> holds, found by leaping between the
    /// two (a date range is runs of documents; a prefix's documents are many).</summary>
    private sealed class FilterLeapScorer(Scorer inner, FixedBitSet bits) : Scorer(inner.Weight)
    {
        private int _doc = -1;

        public override int DocID => _doc;
        public override int Freq => inner.Freq;
        public override float GetScore() => inner.GetScore();
        public override long GetCost() => inner.GetCost();
        public override int NextDoc() => _doc = Agree(inner.NextDoc());
        public override int Advance(int target) => _doc = Agree(inner.Advance(target));

        private int Agree(int doc)
        {
            while (doc != NO_MORE_DOCS && !bits.Get(doc))
            {
                var next = doc + 1 < bits.Length ? bits.NextSetBit(doc + 1) : -1;
                doc = next < 0 ? NO_MORE_DOCS : inner.Advance(next);
            }
            return doc;
        }
    }

    /// <summary>A filter's documents as bits, for a filter that lists them without random access; null when none.</summary>
    private static IBits? AsBits(DocIdSet set, int maxDoc)
    {
        var iterator = set.GetIterator();
        if (iterator is null) return null;
        var bits = new FixedBitSet(maxDoc);
        bits.Or(iterator);
        return bits;
    }

    /// <summary>
    /// Scores one segment a window at a time; collects in document order. With the filter's documents as a bit set
    /// (<paramref name="filtered"/>), a window holding none of its documents is not read: every scorer leaps (through
    /// its postings' skip lists) to the next filtered document. Articles are indexed roughly in the order they were
    /// published, so a date range is a few runs of document numbers and most of a long postings list is leapt over.
    /// </summary>
    private sealed class WindowScorer(Weight weight, List<(Scorer Scorer, int Word)> scorers, float[]? upper, int minimum,
        SearchStop? stop, WindowFilter? filtered, int maxDoc, bool[] terms) : BulkScorer
    {
        /// <summary>How much a sum of upper bounds is raised before it is compared: float sums taken in another order
        /// differ in their last bits, and a hit that might tie must be scored.</summary>
        private const float Margin = 1.0001f;

        /// <summary>A not-essential clause leaps to each candidate only when there are fewer candidates than this share
        /// of its postings in the window (a postings block holds 128 documents).</summary>
        private const int LeapsPerBlock = 64;

        // Summed in double: the sum of a document's clause scores is then exact whichever order they are added in
        // (scores span a few powers of two, and a bag has at most MaxClauses of them), so a hit scores the same
        // whether or not some clauses were read only for it, and ties break the same way on every page.
        private readonly double[] _scores = new double[Window];
        private readonly int[] _words = new int[Window];
        private readonly int[] _lastWord = Enumerable.Repeat(-1, Window).ToArray();
        private readonly int[] _freqs = new int[Window];
        // The window's slots that hold a document, in order: a window of a rare word's postings visits only those.
        private readonly ulong[] _touched = new ulong[Window / 64];
        private readonly int[] _docs = scorers.Select(s => s.Scorer.NextDoc()).ToArray();
        private readonly Current _current = new(weight);
        // Clauses are pruned a word at a time when documents must hold several words: they are counted by seeing a
        // word's clauses one after another (_lastWord). With a minimum of one, any clause makes a hit, and each clause
        // is pruned on its own (a word's title apart from its body). A clause that only adds to the score is a unit of
        // its own. The units (_units) and each scorer's unit (_unitOf); the units in the order they stop being
        // essential (_order: first those that only add to the score, then the words from the lowest bound up, or, when
        // every word is required, from the costliest postings down), each one's place in that order (_rank), the sum
        // of the bounds below each place (_below[r] = bounds of places 0 .. r-1) and the number of words there
        // (_wordsBelow[r]).
        private readonly int[][] _units = Enumerable.Range(0, scorers.Count)
            .GroupBy(i => minimum > 1 && scorers[i].Word >= 0 ? scorers[i].Word : -1 - i).Select(g => g.ToArray()).ToArray();
        private int[] _unitOf = [];
        private int[] _order = [];
        private int[] _rank = [];
        private float[] _below = [];
        private int[] _wordsBelow = [];
        // Units placed below this are not essential: a document only they hold cannot be a hit (too few words), or
        // together they cannot lift a hit above the collector's minimum on their own; they are read only at documents
        // the others found.
        private int _essential;

        public override bool Score(ICollector collector, int max)
        {
            collector.SetScorer(_current);
            var competitive = upper is null ? null : collector as ICompetitiveScore;
            if (_rank.Length == 0) Rank();
            var filter = filtered;
            var minimumScore = float.NegativeInfinity;
            var start = FirstEssentialDoc();
            while (start < max && start != DocIdSetIterator.NO_MORE_DOCS)
            {
                stop?.ThrowIfStopped();
                if (competitive is not null && competitive.Minimum > minimumScore)
                {
                    minimumScore = competitive.Minimum;
                    var essential = _essential;
                    // (Places with too few words below them are past already: Rank left them out from the start.)
                    while (essential < _units.Length && _below[essential + 1] * Margin < minimumScore) essential++;
                    if (essential != _essential)
                    {
                        _essential = essential;
                        competitive.LeftOut();
                        if (essential == _units.Length) return false;
                        start = FirstEssentialDoc();
                        if (start >= max || start == DocIdSetIterator.NO_MORE_DOCS) break;
                    }
                }
                var windowStart = start - start % Window;
                var end = (int)Math.Min((long)windowStart + Window, max);
                if (filter is not null)
                {
                    if (NextFiltered(filter.Bits, start) is var next && next >= end)
                    {
                        if (next == DocIdSetIterator.NO_MORE_DOCS) return false;
                        for (var i = 0; i < scorers.Count; i++)
                            if (IsEssential(i) && _docs[i] < next) _docs[i] = scorers[i].Scorer.Advance(next);
                        start = FirstEssentialDoc();
                        continue;
                    }
                    filter.Limit = end;
                }
                for (var i = 0; i < scorers.Count; i++)
                {
                    if (!IsEssential(i)) continue;
                    var (scorer, word) = scorers[i];
                    var doc = _docs[i];
                    // Only a scorer's first document in the window can be one the filter leaves out (see WindowFilter).
                    if (filter is not null && doc < end && !filter.Bits.Get(doc)) doc = scorer.NextDoc();
                    while (doc < end)
                    {
                        var slot = doc - windowStart;
                        _touched[slot >> 6] |= 1UL << slot;
                        Add(slot, scorer, word);
                        doc = scorer.NextDoc();
                    }
                    _docs[i] = doc;
                }
                if (_essential > 0 && AddNonEssential(windowStart, end, minimumScore)) competitive!.LeftOut();
                for (var w = 0; w < _touched.Length; w++)
                {
                    for (var bits = _touched[w]; bits != 0; bits &= bits - 1)
                    {
                        var slot = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                        if (_words[slot] >= minimum)
                        {
                            _current.Set(windowStart + slot, (float)_scores[slot], _freqs[slot]);
                            collector.Collect(windowStart + slot);
                        }
                        Clear(slot);
                    }
                    _touched[w] = 0;
                }
                start = FirstEssentialDoc();
            }
            return start != DocIdSetIterator.NO_MORE_DOCS;
        }

        /// <summary>
        /// Adds the non-essential units' scores to the window's documents, from the place next to the essential ones
        /// down, each scorer reading only the documents still in play; a document that cannot exceed <paramref name="minimumScore"/> even with every
        /// bound still to add is dropped (a hit left out, never one that could have entered the list), and so is one
        /// that cannot hold enough words. True when a hit was left out.
        /// </summary>
        private bool AddNonEssential(int windowStart, int end, float minimumScore)
        {
            var leftOut = false;
            for (var r = _essential - 1; r >= 0; r--)
            {
                var (rest, restWords) = (_below[r + 1], _wordsBelow[r + 1]);
                var candidates = 0;
                for (var w = 0; w < _touched.Length; w++)
                {
                    for (var bits = _touched[w]; bits != 0; bits &= bits - 1)
                    {
                        var slot = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                        var enoughWords = _words[slot] + restWords >= minimum;
                        if (enoughWords && (_scores[slot] + rest) * Margin >= minimumScore) continue;
                        // Not a hit, or a hit that cannot reach the page.
                        leftOut |= enoughWords;
                        Clear(slot);
                        _touched[w] &= ~(1UL << slot);
                    }
                    candidates += System.Numerics.BitOperations.PopCount(_touched[w]);
                }
                if (candidates == 0) continue;
                foreach (var i in _units[_order[r]])
                {
                    var (scorer, word) = scorers[i];
                    var doc = _docs[i];
                    if (doc >= end) continue;
                    if (!terms[i] || (long)candidates * LeapsPerBlock * maxDoc < scorer.GetCost() * Window)
                    {
                        // A phrase (each of its documents is checked for positions), or fewer candidates than the
                        // postings' blocks in the window: leap to each candidate.
                        for (var w = 0; w < _touched.Length; w++)
                        {
                            for (var bits = _touched[w]; bits != 0; bits &= bits - 1)
                            {
                                var target = windowStart + (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                                if (doc < target) doc = scorer.Advance(target);
                                if (doc == target) Add(target - windowStart, scorer, word);
                            }
                        }
                    }
                    else
                    {
                        // A term with as many candidates as blocks or more: every block would be decoded anyway, so read
                        // straight through (a leap past a block costs a skip-list step and a seek on top of decoding).
                        if (doc < windowStart) doc = scorer.Advance(windowStart);
                        while (doc < end)
                        {
                            var slot = doc - windowStart;
                            if ((_touched[slot >> 6] & (1UL << slot)) != 0) Add(slot, scorer, word);
                            doc = scorer.NextDoc();
                        }
                    }
                    _docs[i] = doc;
                }
            }
            return leftOut;
        }

        /// <summary>Adds the score of <paramref name="scorer"/>'s current document, in <paramref name="slot"/>, and counts
        /// its word once (a word's clauses are added one after another).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private void Add(int slot, Scorer scorer, int word)
        {
            _freqs[slot]++;
            _scores[slot] += scorer.GetScore();
            if (word < 0 || _lastWord[slot] == word) return;
            _lastWord[slot] = word;
            _words[slot]++;
        }

        private void Clear(int slot) => (_scores[slot], _words[slot], _freqs[slot], _lastWord[slot]) = (0d, 0, 0, -1);

        private bool IsEssential(int i) => _essential == 0 || _rank[_unitOf[i]] >= _essential;

        private int FirstEssentialDoc()
        {
            var first = DocIdSetIterator.NO_MORE_DOCS;
            for (var i = 0; i < _docs.Length; i++)
                if (IsEssential(i) && _docs[i] < first) first = _docs[i];
            return first;
        }

        private void Rank()
        {
            _unitOf = new int[scorers.Count];
            var bound = new float[_units.Length];
            var cost = new long[_units.Length];
            for (var u = 0; u < _units.Length; u++)
                foreach (var i in _units[u])
                {
                    _unitOf[i] = u;
                    if (upper is not null) bound[u] += upper[i];
                    cost[u] += scorers[i].Scorer.GetCost();
                }
            bool IsWord(int u) => scorers[_units[u][0]].Word >= 0;
            var wordUnits = _units.Length - Enumerable.Range(0, _units.Length).Count(u => !IsWord(u));
            var allRequired = minimum > 1 && minimum == wordUnits;
            _order = Enumerable.Range(0, _units.Length).OrderBy(u => IsWord(u) ? 1 : 0)
                .ThenBy(u => allRequired ? -cost[u] : bound[u]).ToArray();
            _rank = new int[_units.Length];
            _below = new float[_units.Length + 1];
            _wordsBelow = new int[_units.Length + 1];
            for (var r = 0; r < _order.Length; r++)
            {
                _rank[_order[r]] = r;
                _below[r + 1] = _below[r] + bound[_order[r]];
                _wordsBelow[r + 1] = _wordsBelow[r] + (IsWord(_order[r]) ? 1 : 0);
            }
            // A document must hold `minimum` words, so one that holds only words placed below cannot be a hit: those
            // places are not essential from the start (when every word is required, all but the cheapest word merely
            // confirm the documents it finds).
            while (_essential < _units.Length && _wordsBelow[_essential + 1] < minimum) _essential++;
        }

        /// <summary>The first document of <paramref name="bits"/> at or after <paramref name="doc"/>, or NO_MORE_DOCS.</summary>
        private static int NextFiltered(FixedBitSet bits, int doc) =>
            doc < bits.Length && bits.NextSetBit(doc) is var next and >= 0 ? next : DocIdSetIterator.NO_MORE_DOCS;
    }

    /// <summary>The document being collected, for collectors that ask its score.</summary>
    private sealed class Current(Weight weight) : Scorer(weight)
    {
        private int _doc = -1, _freq;
        private float _score;

        public void Set(int doc, float score, int freq) => (_doc, _score, _freq) = (doc, score, freq);
        public override float GetScore() => _score;
        public override int Freq => _freq;
        public override int DocID => _doc;
        public override int NextDoc() => throw new NotSupportedException();
        public override int Advance(int target) => throw new NotSupportedException();
        public override long GetCost() => 1;
    }
}
