using System.Globalization;
using System.Text.RegularExpressions;

namespace NewsSearch.Engine.Ingestion;

/// <summary>The article recovered from one scraped page.</summary>
public sealed record ParsedPage(string Title, string Body, DateOnly? ListingDate);

/// <summary>
/// Recovers title, body paragraphs and a date from a scraped article page (plain text, one paragraph per line).
/// <para>Page chrome never becomes body text: a teaser line followed by a <c>YYYY-MM-DD n</c> date/comment-count line
/// (the nav teaser at the top and the related-article teasers), the <c>相关文章</c> heading and everything after it,
/// and the <c>发表评论</c> footer. A date line is recognised by its shape in ASCII digits, also when its date does not
/// exist; it drops the line of text just before it, never a paragraph before another date line.</para>
/// <para>Title: the first line of the article. Pages put the headline and the lede on one line, so a first line longer
/// than <see cref="MaxTitleLength"/> characters is cut at its first comma, semicolon or full stop (question and
/// exclamation marks belong to headlines), else after 40 characters (39 rather than split a surrogate pair); the whole
/// line still opens the body.</para>
/// <para>Date: the page does not print its own date. Related-article listings show items published up to the time the
/// page was served, so the newest listing date is taken, as the day in the service's time zone
/// (<see cref="DateSource.PageListing"/>). A sidecar file overrides it.</para>
/// </summary>
public static partial class PageParser
{
    /// <summary>A first line up to this many characters is the title as a whole.</summary>
    public const int MaxTitleLength = 40;

    // ASCII digits only: .NET's \d also matches full-width and other digits, which DateOnly does not parse.
    [GeneratedRegex(@"^([0-9]{4}-[0-9]{2}-[0-9]{2})\s+[0-9]+$")]
    private static partial Regex ListingDateLine();

    private static readonly string[] RelatedHeadings = ["相关文章", "相关阅读", "相关新闻", "猜你喜欢"];
    private static readonly string[] Footers = ["发表评论", "我要评论", "网友评论"];

    /// <summary>Parses a page; returns null when no article text remains once chrome is removed.</summary>
    public static ParsedPage? Parse(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n')
            .Select(l => l.Trim().Trim('\u3000', '\u00A0'))
            .ToList();

        DateOnly? newest = null;
        var kept = new List<string>();
        var previousKept = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            if (RelatedHeadings.Contains(line) || Footers.Contains(line))
            {
                // Everything after the related-articles heading or the comment footer is listing or chrome;
                // only the listing's dates are of use.
                for (var j = i + 1; j < lines.Count; j++)
                    if (IsListingDateLine(lines[j], out var d)) newest = Max(newest, d);
                break;
            }
            if (IsListingDateLine(line, out var date))
            {
                // A date/comment-count line closes a teaser: drop the teaser line that precedes it. Only a line of
                // text is a teaser; after another date line there is none, and the article's paragraphs stay.
                newest = Max(newest, date);
                if (previousKept) kept.RemoveAt(kept.Count - 1);
                previousKept = false;
                continue;
            }
            kept.Add(line);
            previousKept = true;
        }

        if (kept.Count == 0) return null;
        var first = kept[0];
        var title = first.Length <= MaxTitleLength ? first : CutHeadline(first);
        var body = kept.Count == 1 && title == first ? "" : string.Join('\n', title == first ? kept.Skip(1) : kept);
        if (body.Length == 0 && title.Length == 0) return null;
        return new ParsedPage(title, body, newest);
    }

    private static string CutHeadline(string line)
    {
        var cut = line.IndexOfAny(HeadlineEnds);
        if (cut > 0) return line[..cut];
        // Never end on half of a surrogate pair (an emoji, a CJK Extension B character in a name).
        return line[..(char.IsHighSurrogate(line[MaxTitleLength - 1]) ? MaxTitleLength - 1 : MaxTitleLength)];
    }

    // Comma, semicolon and full stop, ASCII and full-width (，；。).
    private static readonly char[] HeadlineEnds = [',', ';', '\uFF0C', '\uFF1B', '\u3002'];

    /// <summary>
    /// True for a <c>YYYY-MM-DD n</c> line, which is chrome by its shape; <paramref name="date"/> is its date, or null
    /// when no calendar has that day (such a line still closes a teaser but dates nothing).
    /// </summary>
    private static bool IsListingDateLine(string line, out DateOnly? date)
    {
        date = null;
        var m = ListingDateLine().Match(line);
        if (!m.Success) return false;
        if (DateOnly.TryParseExact(m.Groups[1].ValueSpan, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            date = d;
        return true;
    }

    private static DateOnly? Max(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a > b ? a : b);
}
