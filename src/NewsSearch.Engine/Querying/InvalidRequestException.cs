namespace NewsSearch.Engine.Querying;

/// <summary>A request the engine cannot serve as asked; <see cref="Field"/> names the request field at fault.</summary>
public sealed class InvalidRequestException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>The article asked for does not exist.</summary>
public sealed class ArticleNotFoundException(string id) : Exception($"no article has id '{id}'")
{
    public string Id { get; } = id;
}

/// <summary>The search ran past the service's own limit (<see cref="SearchEngineOptions.SearchTimeout"/>) and was stopped.</summary>
public sealed class SearchTimeoutException(TimeSpan limit)
    : Exception(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"the search ran longer than the service allows ({limit.TotalSeconds:0.###} s) and was stopped; narrow the query or the date range"))
{
    public TimeSpan Limit { get; } = limit;
}
