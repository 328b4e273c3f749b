namespace NewsSearch.Engine.Querying;

/// <summary>A request the engine cannot serve as asked; <see cref="Field"/> names the request field at fault.</summary>
public sealed class InvalidRequestException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>The article asked for does not exist. The message quotes the id shortened (<see cref="RequestText.Shown"/>):
/// a status message travels in a header, and a 24 KB id made the client drop the connection.</summary>
public sealed class ArticleNotFoundException(string id) : Exception($"no article has id '{RequestText.Shown(id)}'")
{
    public string Id { get; } = id;
}

/// <summary>Request values as error messages quote them back.</summary>
public static class RequestText
{
    /// <summary>Characters of a request value an error message quotes; the rest becomes "…".</summary>
    public const int MaxShown = 40;

    /// <summary>A request value as quoted back in an error: a few dozen characters at most, whatever was sent, never
    /// half a surrogate pair.</summary>
    public static string Shown(string? text) =>
        text is null ? "" : text.Length <= MaxShown ? text
        : text[..(char.IsHighSurrogate(text[MaxShown - 1]) ? MaxShown - 1 : MaxShown)] + "…";
}

/// <summary>The search ran past the service's own limit (<see cref="SearchEngineOptions.SearchTimeout"/>) and was stopped.</summary>
public sealed class SearchTimeoutException(TimeSpan limit)
    : Exception(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"the search ran longer than the service allows ({limit.TotalSeconds:0.###} s) and was stopped; narrow the query or the date range"))
{
    public TimeSpan Limit { get; } = limit;
}
