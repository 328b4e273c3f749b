using Lucene.Net.Analysis.Cn.Smart.Hhmm;

namespace NewsSearch.Engine.Analysis;

/// <summary>What a token stands for.</summary>
public enum TokenKind
{
    /// <summary>A Chinese word (from SmartCn, or kept whole by the user dictionary).</summary>
    Word,
    /// <summary>A run of letters and digits kept whole: H20, C919, covid-19, iphone15, 2025.</summary>
    Code,
    /// <summary>One part of a code joined by '-', '.' or '_' (index side only), stacked on the code.</summary>
    CodePart,
    /// <summary>A single Chinese character ending a run (grams field).</summary>
    Unigram,
    /// <summary>Two adjacent Chinese characters (grams field).</summary>
    Bigram,
}

/// <summary>A token of normalised text: term, offsets into the original text and its position.</summary>
public readonly record struct TextToken(string Term, int Start, int End, int Position, TokenKind Kind);

/// <summary>A token as offsets into the folded text (the same offsets as into the original), with its position.</summary>
public readonly record struct TokenSpan(int Start, int End, int Position, TokenKind Kind);

/// <summary>
/// Splits text into searchable tokens. The text is first folded (<see cref="ChineseNormalizer"/>), then cut into runs:
/// Han runs, letter/digit runs (codes, kept whole, so H20 never becomes h + 20), whitespace, and everything else
/// (punctuation, which leaves a one-position gap so that phrases do not match across it).
/// Han runs become SmartCn words (with the user dictionary's words kept whole) in <see cref="SegmentMode.Words"/>
/// mode, or one gram per character (the bigram starting there) in <see cref="SegmentMode.Grams"/> mode, which finds any exact character
/// sequence (unknown names, words added to the dictionary after indexing) with a phrase query.
/// </summary>
public sealed class TextSegmenter(UserDictionary dictionary)
{
    private readonly HHMMSegmenter _smartCn = new();
    private readonly List<(int Start, int End)> _words = [];
    private readonly List<TokenSpan> _spans = [];

    /// <summary>Segments <paramref name="text"/> into <paramref name="output"/> (cleared first).</summary>
    /// <param name="forQuery">When true, codes are not also split into their parts.</param>
    public void Segment(string text, SegmentMode mode, bool forQuery, List<TextToken> output)
    {
        output.Clear();
        var folded = ChineseNormalizer.Normalize(text);
        SegmentFolded(folded, mode, forQuery, _spans);
        foreach (var t in _spans) output.Add(new TextToken(folded[t.Start..t.End], t.Start, t.End, t.Position, t.Kind));
    }

    /// <summary>
    /// Segments text already folded by <see cref="ChineseNormalizer"/> into token spans (offsets into
    /// <paramref name="folded"/>), without building a string per token: the indexing path copies terms straight
    /// from the folded buffer.
    /// </summary>
    public void SegmentFolded(ReadOnlySpan<char> folded, SegmentMode mode, bool forQuery, List<TokenSpan> output)
    {
        output.Clear();
        var position = -1;
        var gap = false;
        var i = 0;
        while (i < folded.Length)
        {
            var kind = Classify(folded, i);
            var end = i + Width(folded, i);
            if (kind == CharClass.Han)
            {
                while (end < folded.Length && Classify(folded, end) == CharClass.Han) end += Width(folded, end);
                if (gap) { position++; gap = false; }
                position = mode == SegmentMode.Words
                    ? AddWords(folded, i, end, position, output)
                    : AddGrams(folded, i, end, position, output);
            }
            else if (kind == CharClass.AlphaNum)
            {
                end = CodeEnd(folded, i);
                if (gap) { position++; gap = false; }
                position++;
                output.Add(new TokenSpan(i, end, position, TokenKind.Code));
                if (!forQuery && folded[i..end].IndexOfAny(CodeJoiners) >= 0)
                {
                    var partStart = i;
                    for (var k = i; k <= end; k++)
                    {
                        if (k < end && !CodeJoiners.Contains(folded[k])) continue;
                        if (k > partStart) output.Add(new TokenSpan(partStart, k, position, TokenKind.CodePart));
                        partStart = k + 1;
                    }
                }
            }
            else if (kind == CharClass.Other)
            {
                gap = true;
            }
            i = end;
        }
    }

    private int AddWords(ReadOnlySpan<char> folded, int start, int end, int position, List<TokenSpan> output)
    {
        var run = folded[start..end];
        var words = SmartCnWords(run);
        var dict = dictionary.Current;
        var matches = dict.Count == 0 ? null : dict.FindWords(run);
        var m = 0;
        foreach (var (ws, we) in words)
        {
            // Dictionary words win over the SmartCn words they overlap.
            while (matches is not null && m < matches.Count && matches[m].End <= ws)
            {
                output.Add(new TokenSpan(start + matches[m].Start, start + matches[m].End, ++position, TokenKind.Word));
                m++;
            }
            if (matches is not null && m < matches.Count && matches[m].Start < we) continue;
            if (we <= ws) continue;
            output.Add(new TokenSpan(start + ws, start + we, ++position, TokenKind.Word));
        }
        while (matches is not null && m < matches.Count)
        {
            output.Add(new TokenSpan(start + matches[m].Start, start + matches[m].End, ++position, TokenKind.Word));
            m++;
        }
        return position;
    }

    /// <summary>
    /// SmartCn's segmentation of a Han run as (start, end) offsets into it: <see cref="HhmmSegmenter"/> for runs of
    /// SmartCn's Hanzi, SmartCn itself for the rare runs holding other CJK characters (extensions, compatibility
    /// ideographs), which it treats as symbols.
    /// </summary>
    private List<(int Start, int End)> SmartCnWords(ReadOnlySpan<char> run)
    {
        _words.Clear();
        if (HhmmSegmenter.Shared.TrySegment(run, _words)) return _words;
        // SmartCn's segmenter brackets the words with sentence-begin and sentence-end markers.
        var segmented = _smartCn.Process(run.ToString());
        for (var i = 1; i < segmented.Count - 1; i++) _words.Add((segmented[i].StartOffset, segmented[i].EndOffset));
        return _words;
    }

    /// <summary>
    /// One gram per character position: the bigram starting there, or the character alone where no bigram starts (the
    /// end of a run). Any sequence of two or more characters is a chain of bigrams; a single character is found as the
    /// prefix of the grams starting on it.
    /// </summary>
    private static int AddGrams(ReadOnlySpan<char> folded, int start, int end, int position, List<TokenSpan> output)
    {
        var i = start;
        while (i < end)
        {
            var w = Width(folded, i);
            position++;
            if (i + w < end) output.Add(new TokenSpan(i, i + w + Width(folded, i + w), position, TokenKind.Bigram));
            else output.Add(new TokenSpan(i, i + w, position, TokenKind.Unigram));
            i += w;
        }
        return position;
    }

    private static readonly System.Buffers.SearchValues<char> CodeJoiners = System.Buffers.SearchValues.Create("-._");

    /// <summary>
    /// Longest code kept as one token; a longer run of letters and digits is cut into codes of this length. Lucene
    /// refuses a term over 32,766 UTF-8 bytes, and a 40,000-letter run used to make the whole indexing pass fail.
    /// </summary>
    public const int MaxCodeChars = 255;

    private static int CodeEnd(ReadOnlySpan<char> s, int i)
    {
        var end = i;
        while (end < s.Length && end - i < MaxCodeChars)
        {
            var c = Classify(s, end);
            if (c == CharClass.AlphaNum) { end++; continue; }
            // A joiner stays inside a code only between two letters/digits: covid-19, 3.5, gpt-4o.
            if (CodeJoiners.Contains(s[end]) && end + 1 < s.Length && Classify(s, end + 1) == CharClass.AlphaNum && end > i)
            {
                end++;
                continue;
            }
            break;
        }
        return end;
    }

    private enum CharClass { Han, AlphaNum, Space, Other }

    private static int Width(ReadOnlySpan<char> s, int i) => char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;

    private static CharClass Classify(ReadOnlySpan<char> s, int i)
    {
        var c = s[i];
        if (c < 0x80)
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') return CharClass.AlphaNum;
            if (c is >= 'A' and <= 'Z') return CharClass.AlphaNum;
            return c is ' ' or '\t' or '\r' ? CharClass.Space : CharClass.Other;
        }
        if (c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF' or '\u3007')
            return CharClass.Han;
        if (char.IsHighSurrogate(c)) return CharClass.Han; // CJK extensions B+ live in the supplementary planes
        if (char.IsLetterOrDigit(c)) return CharClass.AlphaNum;
        return char.IsWhiteSpace(c) && c != '\n' ? CharClass.Space : CharClass.Other;
    }
}

/// <summary>How Han runs are tokenised.</summary>
public enum SegmentMode
{
    /// <summary>SmartCn words: the ranking fields.</summary>
    Words,
    /// <summary>One gram per character, the bigram starting there: the exact-sequence fields.</summary>
    Grams,
}
