using Google.Protobuf.WellKnownTypes;
using NewsSearch.Api.V1;
using Q = NewsSearch.Engine.Querying;

namespace NewsSearch.Server;

/// <summary>Facet requests and counts between their messages and the engine's types.</summary>
internal static class FacetMessages
{
    /// <summary>The engine's request, or null when none was sent. An unknown interval is passed on for the engine to refuse.</summary>
    public static Q.FacetRequest? ToEngine(FacetRequest? request) => request is null ? null : new Q.FacetRequest
    {
        // FacetInterval's numbers are the engine's: NONE, DAY, WEEK, MONTH, YEAR.
        DateHistogram = (Q.FacetInterval)(int)request.DateHistogram,
        SourceTop = request.SourceTop,
    };

    public static Facets ToMessage(Q.FacetResult result)
    {
        var facets = new Facets { Undated = result.Undated, OtherSources = result.OtherSources, MissingSource = result.MissingSource };
        foreach (var b in result.DateBuckets)
        {
            facets.DateBuckets.Add(new DateBucket
            {
                Start = Timestamp.FromDateTimeOffset(b.Start),
                End = b.End is { } end ? Timestamp.FromDateTimeOffset(end) : null,
                Label = b.Label,
                Count = b.Count,
            });
        }
        foreach (var s in result.Sources) facets.Sources.Add(new SourceCount { Source = s.Source, Count = s.Count });
        return facets;
    }
}
