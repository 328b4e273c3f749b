namespace NewsSearch.Client;

/// <summary>Where the search service is and how each call to it behaves. Checked when the client is first built.</summary>
public sealed class NewsSearchClientOptions
{
    /// <summary>
    /// The service's replicas as absolute <c>http://</c> or <c>https://</c> URIs, all of one scheme (no path). One address
    /// gives a plain channel; several are balanced round-robin, one connection each.
    /// </summary>
    public IList<Uri> Addresses { get; set; } = [];

    /// <summary>
    /// The deadline of a call that names none (default 5 s). A call given its own deadline keeps it;
    /// <see cref="DateTime.MaxValue"/> means no deadline.
    /// </summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When not empty, every call carries <c>authorization: Bearer &lt;key&gt;</c>. Printable ASCII without spaces; empty
    /// means none, as unset, so that an empty configuration value or environment variable sends no key.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Attempts per call when the service answers UNAVAILABLE (1 to 5, default 4): the first plus up to three retries,
    /// with exponential backoff from 0.1 s to 1 s. 1 turns retries off.
    /// </summary>
    public int MaxAttempts { get; set; } = 4;
}
