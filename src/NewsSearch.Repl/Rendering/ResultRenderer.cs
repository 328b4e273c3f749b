using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using NewsSearch.Api.V1;
using NewsSearch.Repl.Commands;

namespace NewsSearch.Repl.Rendering;

/// <summary>Formats service answers as console text. Returns strings; writing them is the caller's business.</summary>
internal sealed class ResultRenderer(HighlightStyle style, TimeZoneInfo zone)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public HighlightStyle Style => style;

    /// <summary>The display zone: Asia/Shanghai, or a fixed UTC+8 where the system has no time zone data.</summary>
    public static TimeZoneInfo Shanghai()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "Asia/Shanghai", "CST");
        }
    }

    public string FormatDate(Timestamp? published) =>
        published is null ? "undated" : TimeZoneInfo.ConvertTime(published.ToDateTimeOffset(), zone).ToString("yyyy-MM-dd HH:mm", Inv);

    /// <summary>An instant with its zone spelled out (a server's log prints UTC; articles' dates are Beijing time).</summary>
    public string FormatInstant(Timestamp instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant.ToDateTimeOffset(), zone);
        return $"{local.ToString("yyyy-MM-dd HH:mm:ss", Inv)} {zone.Id} (UTC{local.ToString("zzz", Inv)}) = {instant.ToDateTimeOffset().ToString("HH:mm:ss", Inv)} UTC";
    }

    public static string FormatElapsed(TimeSpan elapsed) => $"{elapsed.TotalMilliseconds.ToString("0", Inv)} ms";

    /// <summary>One page of hits; <paramref name="firstRank"/> is the rank of its first hit (1 on the first page).</summary>
    public string Search(string query, SearchResponse response, int firstRank, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        var lastRank = firstRank + response.Hits.Count - 1;
        var rankWidth = lastRank.ToString(Inv).Length;
        var indent = new string(' ', rankWidth + 2);
        for (var i = 0; i < response.Hits.Count; i++)
        {
            var hit = response.Hits[i];
            var rank = (firstRank + i).ToString(Inv).PadLeft(rankWidth);
            sb.Append(rank).Append(". ").AppendLine(Strong(TextCleaner.SingleLine(hit.Title) is { Length: > 0 } t ? t : "(untitled)"));
            sb.Append(indent).AppendLine(Faint(
                $"{FormatDate(hit.Published)} · score {hit.Score.ToString("0.000", Inv)} · id {TextCleaner.SingleLine(hit.Id)}"));
            var snippet = SnippetRenderer.Render(hit.Snippet, style);
            if (snippet.Length > 0) sb.Append(indent).AppendLine(snippet);
            sb.AppendLine();
        }

        var total = response.TotalHits;
        var summary = new StringBuilder();
        // Past 10,000 hits the service may count only those that could reach a page: "at least".
        if (response.TotalHitsIsLowerBound) summary.Append("at least ");
        summary.Append(total.ToString("N0", Inv)).Append(total == 1 ? " hit" : " hits").Append(" for ").Append(TextCleaner.SingleLine(query));
        if (response.Hits.Count > 0) summary.Append(" · showing ").Append(firstRank.ToString(Inv)).Append('-').Append(lastRank.ToString(Inv));
        else if (firstRank > 1) summary.Append(" · no more on this page");
        summary.Append(" · ").Append(FormatElapsed(elapsed));
        if (response.NextPageToken.Length > 0) summary.Append(" · :next for more");
        sb.AppendLine(summary.ToString());
        return sb.ToString();
    }

    /// <summary>Most parts of an explanation listed one by one; the rest are summed on one line.</summary>
    public const int ExplainedParts = 12;

    /// <summary>Why hit <paramref name="rank"/> scored as it did: each matched concept's share, field and view.</summary>
    public string Explanation(int rank, SearchHit hit)
    {
        var sb = new StringBuilder();
        sb.Append("Why ").Append(rank.ToString(Inv)).Append(". ")
            .Append(Strong(TextCleaner.SingleLine(hit.Title) is { Length: > 0 } t ? t : "(untitled)"))
            .Append(" scored ").Append(hit.Score.ToString("0.000", Inv)).AppendLine(":");
        var parts = hit.Explanation?.Parts ?? [];
        if (parts.Count == 0) sb.AppendLine("  every hit scores alike: the search has no words, only filters");
        foreach (var p in parts.Take(ExplainedParts))
        {
            var where = $"{(p.Field == ExplainField.Title ? "title" : "body")} · {(p.View == ExplainView.Words ? "words" : "characters")}";
            sb.Append("  ").Append((p.Share * 100).ToString("0.0", Inv).PadLeft(5)).Append("%  ").Append(where.PadRight(20))
                .AppendLine(TextCleaner.SingleLine(p.Concept));
        }
        if (parts.Count > ExplainedParts)
        {
            var rest = parts.Skip(ExplainedParts).Sum(p => p.Share);
            sb.Append("  ").Append((rest * 100).ToString("0.0", Inv).PadLeft(5)).Append("%  ")
                .AppendLine(Faint($"{(parts.Count - ExplainedParts).ToString(Inv)} more parts"));
        }
        return sb.ToString();
    }

    public string Article(Article article, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Strong(TextCleaner.SingleLine(article.Title) is { Length: > 0 } t ? t : "(untitled)"));
        var date = FormatDate(article.Published);
        var source = DescribeDateSource(article.DateSource);
        sb.AppendLine(Faint($"id {TextCleaner.SingleLine(article.Id)} · {date}{(source.Length > 0 && article.Published is not null ? $" ({source})" : "")}"));
        if (article.Url.Length > 0) sb.AppendLine(Faint($"url: {TextCleaner.SingleLine(article.Url)}"));
        if (article.Source.Length > 0) sb.AppendLine(Faint($"source: {TextCleaner.SingleLine(article.Source)}"));
        if (article.SourcePath.Length > 0) sb.AppendLine(Faint($"file: {TextCleaner.SingleLine(article.SourcePath)}"));
        sb.AppendLine();
        sb.AppendLine(TextCleaner.MultiLine(article.Body).TrimEnd());
        sb.AppendLine();
        sb.AppendLine(FormatElapsed(elapsed));
        return sb.ToString();
    }

    public string Stats(Stats stats, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Articles        {stats.ArticleCount.ToString("N0", Inv)}");
        sb.AppendLine($"Last indexed    {(stats.LastIndexed is null ? "never" : FormatInstant(stats.LastIndexed))}");
        sb.AppendLine($"Index size      {FormatBytes(stats.IndexSizeBytes)}");
        sb.AppendLine($"Generation      {(stats.Generation.Length > 0 ? TextCleaner.SingleLine(stats.Generation) : "-")}");
        sb.AppendLine($"Inputs skipped  {stats.InputsSkipped.ToString("N0", Inv)}");
        foreach (var s in stats.Skipped)
        {
            var where = s.Line > 0 ? $"{s.Path}:{s.Line.ToString(Inv)}" : s.Path;
            sb.AppendLine($"  {TextCleaner.SingleLine(where)}: {TextCleaner.SingleLine(s.Reason)}");
        }
        if (stats.InputsSkipped > stats.Skipped.Count)
            sb.AppendLine($"  … and {(stats.InputsSkipped - stats.Skipped.Count).ToString("N0", Inv)} more");
        sb.AppendLine(FormatElapsed(elapsed));
        return sb.ToString();
    }

    public static string Help(ReplSettings settings, string address)
    {
        var sb = new StringBuilder();
        sb.AppendLine("Type words to search, or a command:");
        var width = CommandInterpreter.Usage.Max(u => u.Syntax.Length);
        foreach (var (syntax, meaning) in CommandInterpreter.Usage)
            sb.Append("  ").Append(syntax.PadRight(width)).Append("  ").AppendLine(meaning);
        sb.AppendLine("Keys: Up/Down recall earlier lines; Left/Right/Home/End/Backspace/Delete edit; Enter runs.");
        sb.AppendLine();
        sb.AppendLine(Settings(settings, address));
        return sb.ToString();
    }

    public static string Settings(ReplSettings s, string address) =>
        $"Settings: from {ReplSettings.Describe(s.From)} · to {ReplSettings.Describe(s.To)} · size {s.PageSize.ToString(Inv)} · " +
        $"sort {ReplSettings.Describe(s.Order)} · service {address}";

    public static string FormatBytes(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{bytes.ToString("N0", Inv)} bytes" : $"{value.ToString("0.0", Inv)} {units[unit]}";
    }

    private static string DescribeDateSource(DateSource source) => source switch
    {
        DateSource.Record => "date from the record",
        DateSource.Sidecar => "date from the .meta.json sidecar",
        DateSource.PageListing => "date inferred from the page's related-article listing",
        _ => "",
    };

    private string Strong(string text) => style == HighlightStyle.Ansi ? Ansi.Bold + text + Ansi.Reset : text;

    private string Faint(string text) => style == HighlightStyle.Ansi ? Ansi.Dim + text + Ansi.Reset : text;
}
