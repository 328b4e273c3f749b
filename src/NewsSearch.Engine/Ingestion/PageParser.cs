using System.Text.RegularExpressions;

namespace NewsSearch.Engine.Ingestion;

/// <summary>The article recovered from one scraped page.</summary>
public sealed record ParsedPage(string Title, string Body, DateOnly? ListingDate);

/// <summary>
/// Recovers title, body paragraphs and a date from a scraped article page (plain text, one paragraph per line).
/// <para>Page chrome never becomes body text: a teaser line followed by a <c>YYYY-MM-DD n</c> date/comment-count line
/// (the nav teaser at the top and the related-article teasers), the <c>相关文章</c> heading and everything after it,
/// and the <c>发表评论</c> footer.</para>
/// <para>Title: the first line of the article. Pages put the headline and the lede on one line, so a first line longer
/// than <see cref="MaxTitleLength"/> characters is cut at its first comma, semicolon or full stop (question and
/// exclamation marks belong to headlines); the whole line still opens the body.</para>
/// <para>Date: the page does not print its own date. Related-article listings show items published up to the time the
/// page was served, so the newest listing date is taken, as the day in the service's time zone
/// (<see cref="DateSource.PageListing"/>). A sidecar file overrides it.</para>
/// </summary>
public static partial class PageParser
{
    /// <summary>A first line up to this many characters is the title as a whole.</summary>
    public const int MaxTitleLength = 40;

    [GeneratedRegex(@"^(\d{4})-(\d{2})-(\d{2})\s+\d+$")]
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
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            if (RelatedHeadings.Contains(line) || Footers.Contains(line))
            {
                // Everything after the related-articles heading or the comment footer is listing or chrome;
                // only the listing's dates are of use.
                for (var j = i + 1; j < lines.Count; j++)
                    newest = Max(newest, ListingDate(lines[j]));
                break;
            }
            var date = ListingDate(line);
            if (date is not null)
            {
                // A date/comment-count line closes a teaser: drop the teaser line that precedes it.
                newest = Max(newest, date);
                if (kept.Count > 0) kept.RemoveAt(kept.Count - 1);
                continue;
            }
            kept.Add(line);
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
        return cut > 0 ? line[..cut] : line[..MaxTitleLength];
    }

    // Comma, semicolon and full stop, ASCII and full-width (，；。).
    private static readonly char[] HeadlineEnds = [',', ';', '\uFF0C', '\uFF1B', '\u3002'];

    private static DateOnly? ListingDate(string line)
    {
        var m = ListingDateLine().Match(line);
        if (!m.Success) return null;
        return DateOnly.TryParseExact($"{m.Groups[1].Value}-{m.Groups[2].Value}-{m.Groups[3].Value}", "yyyy-MM-dd",
            out var d) ? d : null;
    }

    private static DateOnly? Max(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a > b ? a : b);
}
