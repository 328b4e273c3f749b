using System.Security.Cryptography;
using System.Text;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Opaque paging tokens: the offset of the next page, bound to the query and filters it was issued for, so a token
/// used with another query is rejected rather than silently paging something else.
/// </summary>
internal static class PageToken
{
    private const string Version = "p1";

    public static string Encode(int offset, string fingerprint) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Version}:{offset}:{fingerprint}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static int Decode(string? token, string fingerprint)
    {
        if (string.IsNullOrEmpty(token)) return 0;
        string text;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            text = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
        }
        catch (FormatException)
        {
            throw Invalid("page_token is not a token this service issued");
        }
        var parts = text.Split(':');
        if (parts.Length != 3 || parts[0] != Version || !int.TryParse(parts[1], out var offset) || offset < 0)
            throw Invalid("page_token is not a token this service issued");
        if (parts[2] != fingerprint)
            throw Invalid("page_token belongs to a different query, filter or sort; start again without a token");
        return offset;
    }

    public static string Fingerprint(SearchRequest r) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f",
            r.Query, r.PublishedFrom ?? "", r.PublishedTo ?? "", r.Sort.ToString(),
            string.Join("\u001e", r.Ids ?? Array.Empty<string>())))))[..16];

    private static InvalidRequestException Invalid(string message) => new("page_token", message);
}
