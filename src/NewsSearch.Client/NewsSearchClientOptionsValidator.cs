using Microsoft.Extensions.Options;

namespace NewsSearch.Client;

/// <summary>Every problem with <see cref="NewsSearchClientOptions"/> at once, each naming its property.</summary>
internal sealed class NewsSearchClientOptionsValidator : IValidateOptions<NewsSearchClientOptions>
{
    public ValidateOptionsResult Validate(string? name, NewsSearchClientOptions options)
    {
        var failures = new List<string>();
        if (options.Addresses is not { Count: > 0 })
            failures.Add("NewsSearch: Addresses needs at least one address, e.g. http://127.0.0.1:5080");
        else
        {
            foreach (var address in options.Addresses)
            {
                if (AddressProblem(address) is { } problem) failures.Add($"NewsSearch: Addresses: {problem}");
            }
            // One channel has one kind of credentials, so a balanced set cannot mix cleartext and TLS.
            if (options.Addresses.Where(a => a is { IsAbsoluteUri: true }).Select(a => a.Scheme).Distinct().Count() > 1)
                failures.Add("NewsSearch: Addresses mixes http and https; replicas balanced together share one scheme");
        }
        if (options.DefaultDeadline <= TimeSpan.Zero)
            failures.Add($"NewsSearch: DefaultDeadline must be positive (it is {options.DefaultDeadline})");
        if (options.MaxAttempts is < 1 or > 5)
            failures.Add($"NewsSearch: MaxAttempts must be between 1 and 5 (it is {options.MaxAttempts})");
        if (options.ApiKey is { } key && key.Any(c => c is <= ' ' or > '~'))
            failures.Add("NewsSearch: ApiKey must be printable ASCII without spaces, or empty");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? AddressProblem(Uri? address) => address switch
    {
        null => "an address is missing",
        { IsAbsoluteUri: false } => $"'{address}' is not an absolute URI such as http://127.0.0.1:5080",
        { Scheme: not ("http" or "https") } => $"'{address}' is not http:// or https://",
        _ when address.Host.Length == 0 => $"'{address}' has no host",
        // gRPC calls go to /package.Service/Method at the root; a path here would be silently ignored.
        { AbsolutePath: not "/" } or { Query.Length: > 0 } or { Fragment.Length: > 0 } => $"'{address}' has a path, query or fragment",
        _ => null,
    };
}
