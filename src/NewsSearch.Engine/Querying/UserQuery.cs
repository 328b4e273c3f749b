using System.Text;

namespace NewsSearch.Engine.Querying;

/// <summary>How a clause takes part in the query.</summary>
public enum Occurrence { Default, Required, Excluded }

/// <summary>A node of a parsed reader query.</summary>
public abstract record QueryNode(Occurrence Occurrence);

/// <summary>Bare text: segmented into words, codes and names.</summary>
public sealed record TextNode(string Text, Occurrence Occurrence) : QueryNode(Occurrence);

/// <summary>"Quoted text": the exact character sequence.</summary>
public sealed record PhraseNode(string Text, Occurrence Occurrence) : QueryNode(Occurrence);

/// <summary>Alternatives joined by OR: any one of them.</summary>
public sealed record AnyNode(IReadOnlyList<QueryNode> Alternatives, Occurrence Occurrence) : QueryNode(Occurrence);

/// <summary>(Parenthesised clauses), combined like a top-level query.</summary>
public sealed record GroupNode(IReadOnlyList<QueryNode> Clauses, Occurrence Occurrence) : QueryNode(Occurrence);

/// <summary>
/// Parses what a reader types: words, "quoted phrases", +required and -excluded clauses, (groups) and OR between
/// clauses. Only the ASCII characters <c>" ( ) + -</c> are syntax: full-width brackets and Chinese quotation marks,
/// common in pasted text, are plain text. Anything else, including a long pasted paragraph, is plain text; a pasted
/// paragraph whose syntax does not parse (a bracket or quote cut off) is read as plain text whole. Errors name the
/// position in the query.
/// </summary>
public static class UserQueryParser
{
    /// <summary>Longest query accepted, in characters.</summary>
    public const int MaxLength = 10_000;

    /// <summary>Deepest nesting of parentheses accepted.</summary>
    public const int MaxDepth = 16;

    /// <summary>
    /// A query that weighs more than this (<see cref="MayBePasted"/>) may be a pasted paragraph, which the engine ranks
    /// as a bag of words: one has more than <see cref="QueryBuilder.LongQueryConcepts"/> words, and a Chinese word is
    /// about two characters.
    /// </summary>
    public const int PastedLetters = 2 * QueryBuilder.LongQueryConcepts;

    /// <summary>
    /// Whether <paramref name="query"/> may be a pasted paragraph: it weighs more than <see cref="PastedLetters"/>,
    /// counting each Chinese (or other CJK) character as one and each run of other letters or digits (an English
    /// word, a code such as MU9191) as two, since each such run is one word. Cheap: it only counts. A short query
    /// taken for pasted is still parsed as typed.
    /// </summary>
    public static bool MayBePasted(string? query)
    {
        // No character weighs more than two.
        if (query is null || 2 * query.Length <= PastedLetters) return false;
        var weight = 0;
        var inWord = false;
        foreach (var c in query)
        {
            if (!char.IsLetterOrDigit(c)) inWord = false;
            else if (c >= '\u3000') // CJK and beyond: a character is about half a word
            {
                inWord = false;
                if (++weight > PastedLetters) return true;
            }
            else if (!inWord)
            {
                inWord = true;
                if ((weight += 2) > PastedLetters) return true;
            }
        }
        return false;
    }

    /// <exception cref="InvalidRequestException">The query is too long, or (when it is short enough to have been typed)
    /// nests too deep, has a quote or parenthesis that is not closed, or OR with nothing on one side.</exception>
    public static IReadOnlyList<QueryNode> Parse(string query)
    {
        if (query.Length > MaxLength)
            throw new InvalidRequestException("query", $"query is {query.Length} characters long; at most {MaxLength} are accepted");
        var pos = 0;
        try
        {
            return ParseSequence(query, ref pos, depth: 0);
        }
        catch (InvalidRequestException) when (MayBePasted(query))
        {
            // Pasted text carries quotes and brackets cut off mid-pair ("据报道（记者 张三" in ASCII): a reader can
            // fix a typed query the error points at, but not a paragraph. Read it as plain text, syntax and all.
            return [new TextNode(query, Occurrence.Default)];
        }
    }

    private static List<QueryNode> ParseSequence(string q, ref int pos, int depth)
    {
        var inGroup = depth > 0;
        if (depth > MaxDepth)
            throw new InvalidRequestException("query", $"query nests parentheses more than {MaxDepth} deep");
        var items = new List<QueryNode>();
        var pendingOr = false;
        while (true)
        {
            SkipSpace(q, ref pos);
            if (pos >= q.Length)
            {
                if (inGroup) throw new InvalidRequestException("query", "query has an opening parenthesis '(' that is never closed");
                break;
            }
            if (q[pos] == ')')
            {
                if (!inGroup) throw new InvalidRequestException("query", $"query has a closing parenthesis ')' at position {pos + 1} with no '(' before it");
                pos++;
                break;
            }
            var start = pos;
            var occ = Occurrence.Default;
            if (q[pos] is '+' or '-' && pos + 1 < q.Length && !char.IsWhiteSpace(q[pos + 1]))
            {
                occ = q[pos] == '+' ? Occurrence.Required : Occurrence.Excluded;
                pos++;
            }
            QueryNode node;
            if (q[pos] == '"')
            {
                var end = q.IndexOf('"', pos + 1);
                if (end < 0) throw new InvalidRequestException("query", $"query has a quote at position {pos + 1} that is never closed");
                node = new PhraseNode(q[(pos + 1)..end], occ);
                pos = end + 1;
            }
            else if (q[pos] == '(')
            {
                pos++;
                node = new GroupNode(ParseSequence(q, ref pos, depth + 1), occ);
            }
            else
            {
                var sb = new StringBuilder();
                while (pos < q.Length && !char.IsWhiteSpace(q[pos]) && q[pos] is not ('"' or '(' or ')'))
                    sb.Append(q[pos++]);
                var word = sb.ToString();
                if (word == "OR" && occ == Occurrence.Default)
                {
                    if (items.Count == 0 || pendingOr)
                        throw new InvalidRequestException("query", $"query has OR at position {start + 1} with nothing before it");
                    pendingOr = true;
                    continue;
                }
                node = new TextNode(word, occ);
            }
            if (pendingOr)
            {
                var previous = items[^1];
                var alternatives = previous is AnyNode any ? [.. any.Alternatives, node] : new List<QueryNode> { previous, node };
                items[^1] = new AnyNode(alternatives, previous.Occurrence);
                pendingOr = false;
            }
            else items.Add(node);
        }
        if (pendingOr) throw new InvalidRequestException("query", "query ends with OR; put a word after it");
        return items;
    }

    private static void SkipSpace(string q, ref int pos)
    {
        while (pos < q.Length && char.IsWhiteSpace(q[pos])) pos++;
    }
}
