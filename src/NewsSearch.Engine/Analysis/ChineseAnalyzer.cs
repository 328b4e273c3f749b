using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace NewsSearch.Engine.Analysis;

/// <summary>
/// The index's analyzer: fields named <c>*_g</c> get <see cref="SegmentMode.Grams"/>, all others
/// <see cref="SegmentMode.Words"/>. Query text is segmented by <see cref="TextSegmenter"/> directly, with the same
/// folding and the same word set, so index and query agree.
/// </summary>
public sealed class ChineseAnalyzer(UserDictionary dictionary) : Analyzer(PER_FIELD_REUSE_STRATEGY)
{
    public const string GramsSuffix = "_g";

    public UserDictionary Dictionary => dictionary;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var mode = fieldName.EndsWith(GramsSuffix, StringComparison.Ordinal) ? SegmentMode.Grams : SegmentMode.Words;
        return new TokenStreamComponents(new SegmentingTokenizer(reader, new TextSegmenter(dictionary), mode));
    }

    private sealed class SegmentingTokenizer : Tokenizer
    {
        private readonly TextSegmenter _segmenter;
        private readonly SegmentMode _mode;
        private readonly List<TokenSpan> _tokens = [];
        private char[] _text = new char[4096];
        private readonly ICharTermAttribute _term;
        private readonly IOffsetAttribute _offset;
        private readonly IPositionIncrementAttribute _posInc;
        private int _next;
        private int _lastPosition;
        private int _finalOffset;

        public SegmentingTokenizer(TextReader input, TextSegmenter segmenter, SegmentMode mode) : base(input)
        {
            _segmenter = segmenter;
            _mode = mode;
            _term = AddAttribute<ICharTermAttribute>();
            _offset = AddAttribute<IOffsetAttribute>();
            _posInc = AddAttribute<IPositionIncrementAttribute>();
        }

        public override void Reset()
        {
            base.Reset();
            // The field's text is read into a reused buffer and folded in place: no string per field or per token.
            var length = 0;
            int read;
            while ((read = m_input.Read(_text, length, _text.Length - length)) > 0)
            {
                length += read;
                if (length == _text.Length) Array.Resize(ref _text, _text.Length * 2);
            }
            ChineseNormalizer.NormalizeInPlace(_text, length);
            _segmenter.SegmentFolded(_text.AsSpan(0, length), _mode, forQuery: false, _tokens);
            _next = 0;
            _lastPosition = -1;
            _finalOffset = CorrectOffset(length);
        }

        public override bool IncrementToken()
        {
            if (_next >= _tokens.Count) return false;
            ClearAttributes();
            var t = _tokens[_next++];
            _term.CopyBuffer(_text, t.Start, t.End - t.Start);
            _offset.SetOffset(CorrectOffset(t.Start), CorrectOffset(t.End));
            _posInc.PositionIncrement = t.Position - _lastPosition;
            _lastPosition = t.Position;
            return true;
        }

        public override void End()
        {
            base.End();
            _offset.SetOffset(_finalOffset, _finalOffset);
        }
    }
}
