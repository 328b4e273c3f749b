namespace NewsSearch.Repl.Commands;

/// <summary>What one input line asks for.</summary>
internal abstract record Command;

/// <summary>A blank line: nothing to do.</summary>
internal sealed record NoCommand : Command;

/// <summary>Search for <paramref name="Query"/> with the current settings.</summary>
internal sealed record SearchCommand(string Query) : Command;

/// <summary>The next page of the last search.</summary>
internal sealed record NextPageCommand : Command;

/// <summary>Why hit number <paramref name="Rank"/> of the last page scored as it did.</summary>
internal sealed record ExplainCommand(int Rank) : Command;

/// <summary>One article in full.</summary>
internal sealed record GetArticleCommand(string Id) : Command;

internal sealed record StatsCommand : Command;

internal sealed record HelpCommand : Command;

internal sealed record QuitCommand : Command;

/// <summary>A setting changed: the REPL adopts <paramref name="Settings"/> and tells the developer <paramref name="Message"/>.</summary>
internal sealed record SettingsCommand(ReplSettings Settings, string Message) : Command;

/// <summary>The line could not be understood; <paramref name="Message"/> says why and what to type instead.</summary>
internal sealed record InvalidCommand(string Message) : Command;
