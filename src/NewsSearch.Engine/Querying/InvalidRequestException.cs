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
