using System.Globalization;
using NewsSearch.Api.V1;
using NewsSearch.Repl.Commands;

namespace NewsSearch.Repl;

/// <summary>The service request for a query typed under the current settings.</summary>
internal static class SearchRequests
{
    public static SearchRequest For(string query, ReplSettings settings) => new()
    {
        Query = query,
        PublishedFrom = Day(settings.From),
        PublishedTo = Day(settings.To),
        PageSize = settings.PageSize,
        Sort = settings.Order switch
        {
            ResultOrder.Newest => SortOrder.NewestFirst,
            ResultOrder.Oldest => SortOrder.OldestFirst,
            _ => SortOrder.Relevance,
        },
    };

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
