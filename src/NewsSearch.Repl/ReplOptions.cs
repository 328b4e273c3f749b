namespace NewsSearch.Repl;

/// <summary>
/// Command-line options: <c>--address URL</c> (or NEWS_SEARCH_ADDRESS), <c>--help</c>. The API key is read from
/// NEWS_SEARCH_API_KEY only, so that it never shows in a process list.
/// </summary>
internal sealed record ReplOptions(string Address, bool ShowUsage)
{
    public const string DefaultAddress = "http://127.0.0.1:5080";
    public const string AddressVariable = "NEWS_SEARCH_ADDRESS";
    public const string ApiKeyVariable = "NEWS_SEARCH_API_KEY";

    public const string Usage =
        "Usage: dotnet run --project src/NewsSearch.Repl [-- --address URL]\n" +
        $"  --address URL  the search service (default {DefaultAddress}; or set {AddressVariable})\n" +
        $"  {ApiKeyVariable}  set it to send 'authorization: Bearer <key>' to a service that asks for one\n" +
        "Pipe lines in to script it: printf '芯片\\n:quit\\n' | dotnet run --project src/NewsSearch.Repl";

    /// <summary>The options, or an error message saying what is wrong with the arguments.</summary>
    public static (ReplOptions? Options, string? Error) Parse(IReadOnlyList<string> args, string? addressVariable)
    {
        var address = string.IsNullOrWhiteSpace(addressVariable) ? DefaultAddress : addressVariable;
        var from = string.IsNullOrWhiteSpace(addressVariable) ? null : AddressVariable;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "-h" or "--help" or "-?") return (new ReplOptions(address, ShowUsage: true), null);
            if (a.StartsWith("--address=", StringComparison.Ordinal)) { address = a["--address=".Length..]; from = "--address"; }
            else if (a is "--address" or "-a")
            {
                if (i + 1 >= args.Count) return (null, "--address needs a URL, e.g. --address http://127.0.0.1:5080");
                address = args[++i];
                from = "--address";
            }
            else return (null, $"Unknown argument '{a}'.\n{Usage}");
        }
        var normalized = NormalizeAddress(address);
        return normalized is null
            ? (null, $"{from ?? "address"} '{address}' is not an http(s) URL such as {DefaultAddress}")
            : (new ReplOptions(normalized, ShowUsage: false), null);
    }

    /// <summary>http(s)://host[:port], "http://" assumed when no scheme is given; null when it is not such a URL.</summary>
    public static string? NormalizeAddress(string address)
    {
        var text = address.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return null;
        return text.TrimEnd('/');
    }
}
