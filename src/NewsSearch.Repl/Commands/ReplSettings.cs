using System.Globalization;

namespace NewsSearch.Repl.Commands;

/// <summary>How results are ordered; mirrors the service's sort orders.</summary>
internal enum ResultOrder
{
    Relevance,
    Newest,
    Oldest,
}

/// <summary>The search settings a developer changes with commands; immutable, so each command yields new settings.</summary>
internal sealed record ReplSettings(DateOnly? From = null, DateOnly? To = null, int PageSize = ReplSettings.DefaultPageSize,
    ResultOrder Order = ResultOrder.Relevance)
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;

    public static ReplSettings Default { get; } = new();

    public static string Describe(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "off";

    public static string Describe(ResultOrder order) => order switch
    {
        ResultOrder.Newest => "newest",
        ResultOrder.Oldest => "oldest",
        _ => "relevance",
    };
}
