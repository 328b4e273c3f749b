using Microsoft.Extensions.Options;

namespace NewsSearch.Server;

/// <summary>
/// <c>Search:ApiKeys</c>: the keys callers present as <c>authorization: Bearer &lt;key&gt;</c>. None configured (the
/// default) means every RPC is open, as on a loopback-only service.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>The configuration key of the list; its items are <c>Search:ApiKeys:0</c>, <c>Search:ApiKeys:1</c>, ….</summary>
    public const string ConfigurationKey = "Search:ApiKeys";

    /// <summary>Shorter keys are refused at start: a key is a secret, not a password someone types.</summary>
    public const int MinLength = 16;

    /// <summary>The keys by their configuration item name (<c>"0"</c>, <c>"1"</c>, …), so a bad one can be named.</summary>
    public Dictionary<string, string?> ApiKeys { get; set; } = [];

    /// <summary>True when callers must present a key.</summary>
    public bool Required => ApiKeys.Count > 0;
}

/// <summary>
/// Refuses at start a key that is empty, whitespace or shorter than <see cref="ApiKeyOptions.MinLength"/>, and a
/// <c>Search:ApiKeys</c> given as one value instead of a list (which would otherwise bind to no keys at all and leave
/// the service open). Messages name the configuration key and never include the key itself.
/// </summary>
internal sealed class ApiKeyOptionsValidator(IConfiguration configuration) : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        if (configuration[ApiKeyOptions.ConfigurationKey] is { Length: > 0 })
            failures.Add($"{ApiKeyOptions.ConfigurationKey} must be a list of keys: set {ApiKeyOptions.ConfigurationKey}:0, " +
                         $"{ApiKeyOptions.ConfigurationKey}:1, … (environment Search__ApiKeys__0, …)");
        foreach (var (item, key) in options.ApiKeys.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var path = $"{ApiKeyOptions.ConfigurationKey}:{item}";
            if (string.IsNullOrWhiteSpace(key))
                failures.Add($"{path} is empty; remove it or set a key of at least {ApiKeyOptions.MinLength} characters");
            else if (key.Trim().Length != key.Length)
                failures.Add($"{path} starts or ends with whitespace, which a caller's header cannot carry; remove it");
            else if (key.Length < ApiKeyOptions.MinLength)
                failures.Add($"{path} is {key.Length} characters long; an API key needs at least {ApiKeyOptions.MinLength}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
