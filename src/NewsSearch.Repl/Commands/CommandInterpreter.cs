using System.Globalization;

namespace NewsSearch.Repl.Commands;

/// <summary>
/// Turns one input line into a <see cref="Command"/>. Pure: no I/O, settings in and (changed) settings out, so every
/// rule here can be tested without a terminal or a service.
/// </summary>
internal static class CommandInterpreter
{
    public const char Prefix = ':';

    /// <summary>One line per command, shown by :help.</summary>
    public static readonly IReadOnlyList<(string Syntax, string Meaning)> Usage =
    [
        ("<words>", "search; \"phrases\", +required, -excluded, (groups), OR"),
        (":from YYYY-MM-DD|off", "only articles published on or after the day (Asia/Shanghai)"),
        (":to YYYY-MM-DD|off", "only articles published on or before the day"),
        (":size N", $"hits per page, 1-{ReplSettings.MaxPageSize}"),
        (":sort relevance|newest|oldest", "order of the hits"),
        (":next", "the next page of the last search"),
        (":explain N", "why hit N of the last page scored as it did"),
        (":get ID", "one article in full"),
        (":stats", "figures about the index"),
        (":help", "this help and the current settings"),
        (":quit", "leave (Ctrl-D too)"),
    ];

    public static Command Parse(string? line, ReplSettings settings)
    {
        if (line is null) return new QuitCommand();
        var text = line.Trim();
        if (text.Length == 0) return new NoCommand();
        if (text[0] != Prefix) return new SearchCommand(text);

        var space = text.IndexOfAny([' ', '\t', '\u3000']);
        var name = (space < 0 ? text[1..] : text[1..space]).ToLowerInvariant();
        var argument = space < 0 ? "" : text[(space + 1)..].Trim();
        return name switch
        {
            "from" => ParseDay(argument, "from", day => settings with { From = day }),
            "to" => ParseDay(argument, "to", day => settings with { To = day }),
            "size" => ParseSize(argument, settings),
            "sort" => ParseSort(argument, settings),
            "next" or "n" => NoArgument(argument, "next", new NextPageCommand()),
            "explain" or "why" => ParseExplain(argument),
            "get" => argument.Length == 0 ? new InvalidCommand("Usage: :get ID (the id shown under each hit)") : new GetArticleCommand(argument),
            "stats" => NoArgument(argument, "stats", new StatsCommand()),
            "help" or "h" or "?" => new HelpCommand(),
            "quit" or "q" or "exit" => new QuitCommand(),
            "" => new InvalidCommand("A command name must follow ':'. Type :help for the list."),
            _ => new InvalidCommand($"Unknown command :{name}. Type :help for the list."),
        };
    }

    private static Command ParseDay(string argument, string name, Func<DateOnly?, ReplSettings> apply)
    {
        if (argument.Equals("off", StringComparison.OrdinalIgnoreCase))
            return new SettingsCommand(apply(null), $"{name}: off");
        if (DateOnly.TryParseExact(argument, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new SettingsCommand(apply(day), $"{name}: {ReplSettings.Describe(day)}");
        return new InvalidCommand(argument.Length == 0
            ? $"Usage: :{name} YYYY-MM-DD|off"
            : $"'{argument}' is not a day: use YYYY-MM-DD (e.g. 2025-07-01) or off");
    }

    private static Command ParseSize(string argument, ReplSettings settings)
    {
        if (int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            && size is >= 1 and <= ReplSettings.MaxPageSize)
            return new SettingsCommand(settings with { PageSize = size }, $"size: {size}");
        return new InvalidCommand(argument.Length == 0
            ? $"Usage: :size N (1-{ReplSettings.MaxPageSize})"
            : $"'{argument}' is not a page size: use a whole number from 1 to {ReplSettings.MaxPageSize}");
    }

    private static Command ParseSort(string argument, ReplSettings settings)
    {
        ResultOrder? order = argument.ToLowerInvariant() switch
        {
            "relevance" => ResultOrder.Relevance,
            "newest" => ResultOrder.Newest,
            "oldest" => ResultOrder.Oldest,
            _ => null,
        };
        if (order is { } o) return new SettingsCommand(settings with { Order = o }, $"sort: {ReplSettings.Describe(o)}");
        return new InvalidCommand(argument.Length == 0
            ? "Usage: :sort relevance|newest|oldest"
            : $"'{argument}' is not a sort order: use relevance, newest or oldest");
    }

    private static Command ParseExplain(string argument) =>
        int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var rank) && rank >= 1
            ? new ExplainCommand(rank)
            : new InvalidCommand(argument.Length == 0
                ? "Usage: :explain N (the number shown before a hit of the last search)"
                : $"'{argument}' is not a hit number: use the number shown before a hit, e.g. :explain 2");

    private static Command NoArgument(string argument, string name, Command command) =>
        argument.Length == 0 ? command : new InvalidCommand($":{name} takes no argument");
}
