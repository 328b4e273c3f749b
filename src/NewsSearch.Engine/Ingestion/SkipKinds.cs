namespace NewsSearch.Engine.Ingestion;

/// <summary>
/// Sorts a skip reason into one of a few fixed kinds, for metrics: the reasons themselves carry paths, numbers and
/// parser messages, so they cannot be a metric attribute. The kinds follow the reasons <see cref="SeedReader"/>,
/// <see cref="SeedFile"/> and the seeds scan give; a reason no rule knows is <see cref="Other"/>.
/// </summary>
public static class SkipKinds
{
    public const string NotRegularFile = "not_regular_file";
    public const string TooLong = "too_long";
    public const string InvalidJson = "invalid_json";
    public const string InvalidRecord = "invalid_record";
    public const string Undecodable = "undecodable";
    public const string LinkOutside = "link_outside";
    public const string TooManyBadLines = "too_many_bad_lines";
    public const string RefusedByIndex = "refused_by_index";
    public const string Unreadable = "unreadable";
    public const string Other = "other";

    /// <summary>Every kind <see cref="Of"/> can return.</summary>
    public static IReadOnlyList<string> All { get; } =
        [NotRegularFile, TooLong, InvalidJson, InvalidRecord, Undecodable, LinkOutside, TooManyBadLines, RefusedByIndex, Unreadable, Other];

    // First match wins: "sidecar is not valid JSON" must be invalid_json before "link" or "invalid" rules see it.
    private static readonly (string Fragment, string Kind)[] Rules =
    [
        ("not a regular file", NotRegularFile),
        ("(Search:MaxArticleBytes)", TooLong),
        ("(Search:MaxFileBytes)", TooLong),
        ("(Search:MaxDecompressedBytes)", TooLong),
        ("an article may be at most", TooLong),
        ("gave up on the rest of the file", TooManyBadLines),
        ("the index refused the article", RefusedByIndex),
        ("invalid JSON", InvalidJson),
        ("not valid JSON", InvalidJson),
        ("is not a JSON object", InvalidJson),
        ("unpaired surrogate", InvalidJson),
        ("neither valid UTF-8", Undecodable),
        ("NUL characters", Undecodable),
        ("invalid UTF-", Undecodable),
        ("invalid GB18030", Undecodable),
        ("link", LinkOutside),
        ("neither title nor body", InvalidRecord),
        ("\"id\" is empty", InvalidRecord),
        ("the id taken from", InvalidRecord),
        ("nor an RFC 3339 instant", InvalidRecord),
        ("holds no article text", InvalidRecord),
        ("record is not", InvalidRecord),
        ("the file name", Unreadable),
        ("the folder name", Unreadable),
        ("permission denied", Unreadable),
        ("vanished", Unreadable),
        ("truncated", Unreadable),
        ("corrupt", Unreadable),
        ("ended in the middle", Unreadable),
        ("I/O error", Unreadable),
        ("could not be read", Unreadable),
        ("cannot be read", Unreadable),
    ];

    /// <summary>The kind of <paramref name="reason"/>: one of <see cref="All"/>.</summary>
    public static string Of(string reason)
    {
        foreach (var (fragment, kind) in Rules)
            if (reason.Contains(fragment, StringComparison.Ordinal)) return kind;
        return Other;
    }
}
