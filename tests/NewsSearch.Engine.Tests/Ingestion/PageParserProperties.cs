using System.Globalization;
using System.Text.RegularExpressions;
using CsCheck;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine.Tests.Ingestion;

/// <summary>
/// Properties of <see cref="PageParser.Parse"/> over generated pages: random text of every kind, and pages assembled
/// from marked article paragraphs, teasers with their date lines, listing headings, footers and junk.
/// </summary>
public partial class PageParserProperties
{
    private static readonly string[] Chrome = ["相关文章", "相关阅读", "相关新闻", "猜你喜欢", "发表评论", "我要评论", "网友评论"];

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}\s+[0-9]+$")]
    private static partial Regex DateLineShape();

    private static readonly Gen<string> LineEnd = Gen.OneOf("\n", "\r\n", "\r");

    /// <summary>Arbitrary text: one long run, or many short lines of anything.</summary>
    private static readonly Gen<string> AnyText = Gen.Frequency(
        (3, TextGen.AnyString(400)),
        (1, TextGen.AnyString(20_000)),
        (3, Gen.Select(TextGen.AnyString(60).Array[0, 300], LineEnd, (lines, end) => string.Join(end, lines))));

    // A date/comment-count line as pages print it, including dates no calendar has: chrome by its shape.
    private static readonly Gen<string> DateLine = Gen.Frequency(
        (6, Gen.Select(Gen.Int[1900, 2100], Gen.Int[1, 12], Gen.Int[1, 28], Gen.String[" \t\u3000"].Where(s => s.Length > 0), Gen.Int[0, 99999],
            (y, m, d, gap, n) => string.Create(CultureInfo.InvariantCulture, $"{y:D4}-{m:D2}-{d:D2}{gap}{n}"))),
        (1, Gen.Select(Gen.Int[0, 9999], Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 9],
            (y, m, d, n) => string.Create(CultureInfo.InvariantCulture, $"{y:D4}-{m:D2}-{d:D2} {n}"))));

    // Lines that look like date lines but are not chrome, so they are article text.
    private static readonly Gen<string> NearDateLine = Gen.OneOf("2025-07-28", "2025-07-28 3 条", "２０２５-０７-２８ ３", "2025-7-28 3", "2025-07-28 -3");

    private abstract record Segment;
    private sealed record Paragraph(string Before, string After) : Segment;
    private sealed record Teaser(string Text, int BlankLines, string DateLine) : Segment;
    private sealed record Line(string Text) : Segment;

    private static Gen<Segment> SegmentGen(Gen<string> junk) => Gen.Frequency<Segment>(
        (8, Gen.Select(TextGen.OneLine(30), TextGen.OneLine(60), (b, a) => (Segment)new Paragraph(b, a))),
        (1, Gen.Select(TextGen.OneLine(10), TextGen.OneLine(3000), (b, a) => (Segment)new Paragraph(b, a))),
        (5, Gen.Select(TextGen.OneLine(40), Gen.Int[0, 2], DateLine, (t, blanks, date) => (Segment)new Teaser(t, blanks, date))),
        (2, DateLine.Select(d => (Segment)new Line(d))),
        (1, NearDateLine.Select(d => (Segment)new Line(d))),
        (1, Gen.Select(Gen.OneOf(Chrome), Gen.String[" \t\u3000\u00A0"], (c, pad) => (Segment)new Line(pad + c + pad))),
        (2, Gen.OneOf("", "  ", "\u3000", "\t").Select(b => (Segment)new Line(b))),
        (2, junk.Select(s => (Segment)new Line(s))));

    /// <summary>A page of segments; paragraph k carries the marker ¶k¶ and teaser k the marker ¤k¤.</summary>
    private static readonly Gen<string> Page = PageOf(TextGen.AnyString(80));

    /// <summary>A page whose junk lines are well-formed too, so the whole page is.</summary>
    private static readonly Gen<string> WellFormedPage = PageOf(TextGen.WellFormed(80));

    private static Gen<string> PageOf(Gen<string> junk) => Gen.Select(SegmentGen(junk).Array[0, 40], LineEnd, (segments, end) =>
        string.Join(end, segments.SelectMany((s, k) => s switch
        {
            Paragraph p => [$"{Unmarked(p.Before)}¶{k}¶{Unmarked(p.After)}"],
            Teaser t => [$"{Unmarked(t.Text)}¤{k}¤", .. Enumerable.Repeat("", t.BlankLines), t.DateLine],
            Line l => [Unmarked(l.Text)],
            _ => Array.Empty<string>(),
        })));

    /// <summary>Random text without the marker characters, so that only markers are markers.</summary>
    private static string Unmarked(string s) => s.Replace("¶", "", StringComparison.Ordinal).Replace("¤", "", StringComparison.Ordinal);

    private static string[] TrimmedLines(string text) => text.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).ToArray();

    [Test]
    public void Parse_AnyText_NeverThrowsAndReturnsNonNullFields() =>
        AnyText.Sample(text =>
        {
            var page = PageParser.Parse(text);
            if (page is null) return true;
            return page.Title is { Length: > 0 } && page.Body is not null && !page.Title.Contains('\n');
        }, iter: 300);

    [Test]
    public void Parse_AnyText_TakesTitleAndBodyFromItsLinesAsDocumented() =>
        Gen.OneOf(AnyText, Page).Sample(text =>
        {
            var page = PageParser.Parse(text);
            if (page is null) return;
            var lines = TrimmedLines(text);
            var bodyLines = page.Body.Length == 0 ? [] : page.Body.Split('\n');

            // Every body line is a whole, trimmed, non-empty line of the page, in the page's order.
            var next = 0;
            foreach (var b in bodyLines)
            {
                Prop.Require(b.Length > 0, "the body has an empty line");
                while (next < lines.Length && lines[next] != b) next++;
                Prop.Require(next < lines.Length, $"body line '{b}' is not a line of the page, in order");
                next++;
            }
            // The title is a whole line of at most 40 characters, or the start of a longer line that opens the body.
            var whole = page.Title.Length <= PageParser.MaxTitleLength && lines.Contains(page.Title);
            var cut = bodyLines.Length > 0 && bodyLines[0].Length > PageParser.MaxTitleLength && bodyLines[0].StartsWith(page.Title, StringComparison.Ordinal)
                      && page.Title.Length < bodyLines[0].Length;
            Prop.Require(whole || cut, $"title '{page.Title}' is neither a short line nor the start of the body's first line");
        }, iter: 300);

    [Test]
    public void Parse_WellFormedText_GivesWellFormedTitleAndBody() =>
        Gen.OneOf(WellFormedPage, TextGen.WellFormed(400), TextGen.WellFormed(20).Array[0, 50].Select(a => string.Join('\n', a))).Sample(text =>
        {
            var page = PageParser.Parse(text);
            return page is null || (TextGen.IsWellFormed(page.Title) && TextGen.IsWellFormed(page.Body));
        }, iter: 500);

    [Test]
    public void Parse_Page_LeavesEveryChromeLineOutOfTheArticle() =>
        Page.Sample(text =>
        {
            var page = PageParser.Parse(text);
            if (page is null) return;
            var article = page.Title + "\n" + page.Body;
            Prop.Require(!article.Contains('¤'), "a teaser (the line before a date line) stayed");
            foreach (var line in article.Split('\n'))
            {
                Prop.Require(!Chrome.Contains(line), $"heading or footer '{line}' stayed");
                Prop.Require(!DateLineShape().IsMatch(line), $"date line '{line}' stayed");
            }
        }, iter: 500);

    [Test]
    public void Parse_Page_KeepsEveryParagraphBeforeTheListingThatNoDateLineFollows() =>
        Page.Sample(text =>
        {
            var page = PageParser.Parse(text);
            var article = page is null ? "" : page.Title + "\n" + page.Body;
            var lines = TrimmedLines(text);
            for (var i = 0; i < lines.Length && !Chrome.Contains(lines[i]); i++)
            {
                var marker = Regex.Match(lines[i], "¶[0-9]+¶");
                if (!marker.Success) continue;
                var following = lines.Skip(i + 1).FirstOrDefault(l => l.Length > 0);
                if (following is not null && DateLineShape().IsMatch(following)) continue;
                Prop.Require(article.Contains(marker.Value), $"paragraph {marker.Value} was lost");
            }
        }, iter: 500);

    [Test]
    public void Parse_Page_DatesTheArticleByTheNewestValidListingDate() =>
        Page.Sample(text =>
        {
            var page = PageParser.Parse(text);
            if (page is null) return true;
            DateOnly? newest = null;
            foreach (var line in TrimmedLines(text).Where(l => DateLineShape().IsMatch(l)))
                if (DateOnly.TryParseExact(line[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && (newest is null || d > newest))
                    newest = d;
            return page.ListingDate == newest;
        }, iter: 300);
}
