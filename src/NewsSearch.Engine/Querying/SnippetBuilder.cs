using System.Net;
using System.Text;
using Lucene.Net.Index;
using Lucene.Net.Search;
using NewsSearch.Engine.Indexing;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Builds a hit's snippet from the offsets stored in the postings (no re-analysis of stored text): finds where the
/// query's terms and phrases occur in the body, picks the window that holds most of them and marks exactly those
/// characters.
/// </summary>
internal static class SnippetBuilder
{
    public const int Length = 140;
    private const int Lead = 24;
    public const string Open = "<em>", Close = "</em>";

    /// <summary>Snippets for <paramref name="hits"/>, in order. Each term's postings are looked up once per segment.</summary>
    public static string[] Build(IndexReader reader, IReadOnlyList<(int DocId, string Body)> hits, IReadOnlyList<HighlightTerms> highlights)
    {
        var terms = highlights.Where(h => !h.Prefix && h.Field is ArticleFields.Body or ArticleFields.BodyGrams)
            .SelectMany(h => h.Terms.Select(t => (h.Field, Term: t))).Distinct().ToList();
        var prefixSpans = new List<(int Start, int End, int Group)>[hits.Count];
        for (var i = 0; i < hits.Count; i++) prefixSpans[i] = [];
        // (hit index, field, term) → position → offsets
        var found = new Dictionary<(int Hit, string Field, string Term), Dictionary<int, (int Start, int End)>>();
        var leaves = reader.Leaves;
        foreach (var byLeaf in Enumerable.Range(0, hits.Count).GroupBy(i => ReaderUtil.SubIndex(hits[i].DocId, leaves)))
        {
            var leaf = leaves[byLeaf.Key];
            var inLeaf = byLeaf.OrderBy(i => hits[i].DocId).ToList();
            for (var g = 0; g < highlights.Count; g++)
            {
                if (!highlights[g].Prefix) continue;
                // A single character: marked wherever a gram starts with it.
                var prefix = highlights[g].Terms[0];
                var prefixBytes = new Lucene.Net.Util.BytesRef(prefix);
                var te = leaf.AtomicReader.GetTerms(highlights[g].Field)?.GetEnumerator();
                if (te is null || te.SeekCeil(prefixBytes) == TermsEnum.SeekStatus.END) continue;
                do
                {
                    if (!Lucene.Net.Util.StringHelper.StartsWith(te.Term, prefixBytes)) break;
                    var group = g;
                    ForEachOccurrence(te, leaf, inLeaf, hits, (i, _, start, _) =>
                    {
                        if (start + prefix.Length <= hits[i].Body.Length) prefixSpans[i].Add((start, start + prefix.Length, group));
                    });
                } while (te.MoveNext());
            }
            foreach (var (field, term) in terms)
            {
                var te = leaf.AtomicReader.GetTerms(field)?.GetEnumerator();
                if (te is null || !te.SeekExact(new Lucene.Net.Util.BytesRef(term))) continue;
                ForEachOccurrence(te, leaf, inLeaf, hits, (i, pos, start, end) =>
                {
                    if (!found.TryGetValue((i, field, term), out var occurrences))
                        found[(i, field, term)] = occurrences = [];
                    occurrences[pos] = (start, end);
                });
            }
        }

        var snippets = new string[hits.Count];
        for (var i = 0; i < hits.Count; i++)
        {
            var body = hits[i].Body;
            var spans = prefixSpans[i];
            for (var g = 0; g < highlights.Count; g++)
            {
                var h = highlights[g];
                if (h.Prefix || h.Field is not (ArticleFields.Body or ArticleFields.BodyGrams)) continue;
                if (!found.TryGetValue((i, h.Field, h.Terms[0]), out var first)) continue;
                var rest = new Dictionary<int, (int Start, int End)>?[h.Terms.Length];
                var ok = true;
                for (var k = 1; k < h.Terms.Length && ok; k++)
                    ok = found.TryGetValue((i, h.Field, h.Terms[k]), out rest[k]);
                if (!ok) continue;
                foreach (var (pos, start) in first)
                {
                    var end = start.End;
                    var all = true;
                    for (var k = 1; k < h.Terms.Length && all; k++)
                    {
                        if (rest[k]!.TryGetValue(pos + h.Positions[k], out var o)) end = Math.Max(end, o.End);
                        else all = false;
                    }
                    if (all && end <= body.Length) spans.Add((start.Start, end, g));
                }
            }
            snippets[i] = Render(body, Merge(spans));
        }
        return snippets;
    }

    /// <summary>Calls <paramref name="visit"/> (hit, position, start, end) for each occurrence of the enum's current
    /// term in the hits of <paramref name="leaf"/>, visited in ascending doc order.</summary>
    private static void ForEachOccurrence(TermsEnum te, AtomicReaderContext leaf, List<int> inLeaf,
        IReadOnlyList<(int DocId, string Body)> hits, Action<int, int, int, int> visit)
    {
        var postings = te.DocsAndPositions(null, null, DocsAndPositionsFlags.OFFSETS);
        if (postings is null) return;
        foreach (var i in inLeaf)
        {
            var local = hits[i].DocId - leaf.DocBase;
            var doc = postings.DocID < local ? postings.Advance(local) : postings.DocID;
            if (doc == DocIdSetIterator.NO_MORE_DOCS) return;
            if (doc != local) continue;
            for (var f = 0; f < postings.Freq; f++)
            {
                var pos = postings.NextPosition();
                if (postings.StartOffset >= 0) visit(i, pos, postings.StartOffset, postings.EndOffset);
            }
        }
    }

    private static List<(int Start, int End, int Group)> Merge(List<(int Start, int End, int Group)> spans)
    {
        spans.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var merged = new List<(int Start, int End, int Group)>();
        foreach (var s in spans)
        {
            if (merged.Count > 0 && s.Start <= merged[^1].End)
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, s.End), merged[^1].Group);
            else merged.Add(s);
        }
        return merged;
    }

    private static string Render(string body, List<(int Start, int End, int Group)> spans)
    {
        var windowStart = 0;
        if (spans.Count > 0)
        {
            // The window holding the most distinct query parts wins; ties go to the earliest.
            var best = -1;
            for (var i = 0; i < spans.Count; i++)
            {
                var from = spans[i].Start;
                var groups = new HashSet<int>();
                for (var j = i; j < spans.Count && spans[j].End <= from + Length; j++) groups.Add(spans[j].Group);
                var score = groups.Count * 1000 + spans.Skip(i).TakeWhile(s => s.End <= from + Length).Count();
                if (score > best) { best = score; windowStart = from; }
            }
            windowStart = SnapBack(body, Math.Max(0, windowStart - Lead), windowStart);
        }
        var windowEnd = Math.Min(body.Length, windowStart + Length);
        if (windowEnd < body.Length && char.IsHighSurrogate(body[windowEnd - 1])) windowEnd--;

        var sb = new StringBuilder(Length + 64);
        if (windowStart > 0) sb.Append('…');
        var cursor = windowStart;
        foreach (var (start, end, _) in spans)
        {
            if (end <= windowStart || start >= windowEnd) continue;
            var s = Math.Max(start, windowStart);
            var e = Math.Min(end, windowEnd);
            Append(sb, body, cursor, s);
            sb.Append(Open);
            Append(sb, body, s, e);
            sb.Append(Close);
            cursor = e;
        }
        Append(sb, body, cursor, windowEnd);
        if (windowEnd < body.Length) sb.Append('…');
        return sb.ToString();
    }

    /// <summary>Moves the window start back to a sentence start when one is close before the first match.</summary>
    private static int SnapBack(string body, int earliest, int match)
    {
        for (var i = match - 1; i >= earliest; i--)
            if (Array.IndexOf(SentenceEnds, body[i]) >= 0) return i + 1;
        return earliest;
    }

    // 。！？；and their ASCII forms, and line breaks.
    private static readonly char[] SentenceEnds = ['\u3002', '\uFF01', '\uFF1F', '\uFF1B', '!', '?', ';', '\n'];

    private static void Append(StringBuilder sb, string body, int from, int to)
    {
        if (to <= from) return;
        sb.Append(WebUtility.HtmlEncode(body[from..to].Replace('\n', ' ')));
    }
}
