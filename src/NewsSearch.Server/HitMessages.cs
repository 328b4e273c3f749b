using Google.Protobuf.WellKnownTypes;
using NewsSearch.Api.V1;
using Q = NewsSearch.Engine.Querying;

namespace NewsSearch.Server;

/// <summary>Engine hits as <see cref="SearchHit"/> messages, the one hit shape Search and Related answer with.</summary>
internal static class HitMessages
{
    public static SearchHit From(Q.SearchHit h) => new()
    {
        Id = h.Id,
        Title = h.Title,
        Published = h.Published is { } p ? Timestamp.FromDateTimeOffset(p) : null,
        Score = h.Score,
        Url = h.Url ?? "",
        Snippet = h.Snippet,
        HighlightedTitle = h.HighlightedTitle,
        CollapsedCount = h.CollapsedCount,
        CollapsedIds = { h.CollapsedIds },
        Explanation = h.Explanation is { } e ? From(e) : null,
    };

    private static HitExplanation From(Q.HitExplanation e)
    {
        var message = new HitExplanation { Score = e.Score };
        foreach (var part in e.Parts)
        {
            message.Parts.Add(new ExplainPart
            {
                Concept = part.Concept,
                Field = part.Field == Q.ExplainField.Title ? ExplainField.Title : ExplainField.Body,
                View = part.View == Q.ExplainView.Words ? ExplainView.Words : ExplainView.Characters,
                Share = (float)part.Share,
                Score = part.Score,
            });
        }
        return message;
    }
}
