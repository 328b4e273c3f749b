using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine;

public sealed partial class NewsSearchEngine
{
    /// <summary>
    /// The articles most about the same story as article <see cref="RelatedRequest.Id"/>, best first: the article's
    /// title and body ranked as a pasted paragraph, the ranking (and the limits, deadline and date filters)
    /// <see cref="Search"/> gives a paragraph pasted into the search box, except that an article of more than
    /// <see cref="RankingSettings.RelatedMaxWords"/> words ranks by that many of them, those of highest query weight
    /// × IDF, with <see cref="RankingSettings.RelatedMinimumShouldMatch"/> of them required
    /// (<see cref="RankingSettings.ForRelated"/>): every word kept is a postings list read. The article itself, and
    /// whatever <see cref="RelatedExclusion"/> leaves out with it, is never a hit. Its first
    /// <see cref="UserQueryParser.MaxLength"/> characters are the query, as for a typed one.
    /// </summary>
    /// <exception cref="InvalidRequestException">The id is empty, or a field breaks the rules of <see cref="Search"/>.</exception>
    /// <exception cref="ArticleNotFoundException">No article has the id.</exception>
    public SearchResult Related(RelatedRequest request, CancellationToken cancel = default, DateTimeOffset? deadline = null)
    {
        if (string.IsNullOrWhiteSpace(request.Id))
            throw new InvalidRequestException("id", "id is empty; give the id of the article to find related articles for");
        var source = GetArticle(request.Id);
        var text = source.Title + "\n" + source.Body;
        if (text.Length > UserQueryParser.MaxLength)
            text = text[..(char.IsHighSurrogate(text[UserQueryParser.MaxLength - 1]) ? UserQueryParser.MaxLength - 1 : UserQueryParser.MaxLength)];
        return Search(new SearchRequest("", request.PublishedFrom, request.PublishedTo, request.PageSize, Ids: request.Ids)
        {
            ArticleText = text,
            Excluded = RelatedExclusion.For(source, ClusterKeyOf(source.Id)),
            Explain = request.Explain,
        }, cancel, deadline);
    }
}
