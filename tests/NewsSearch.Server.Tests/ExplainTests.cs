using NewsSearch.Api.V1;

namespace NewsSearch.Server.Tests;

/// <summary>Search with explain through the real gRPC service.</summary>
public class ExplainTests
{
    private RunningService _service = null!;

    [OneTimeSetUp]
    public async Task StartWithAStoryAndUnrelatedArticles() => _service = await StoryArticles.ServeAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    private async Task<SearchHit> Hit(string query, string id) =>
        (await _service.Client.SearchAsync(new SearchRequest { Query = query, Explain = true, PageSize = 100, Collapse = false })).Hits.Single(h => h.Id == id);

    [Test]
    public async Task Explain_ListsTheMatchedWords_WithSharesThatSumToOne()
    {
        var hit = await Hit("C919 旅客", StoryArticles.FirstFlight);
        Assert.Multiple(() =>
        {
            Assert.That(hit.Explanation.Parts.Select(p => p.Concept).Distinct(), Is.EquivalentTo(new[] { "c919", "旅客" }));
            Assert.That(hit.Explanation.Parts.Sum(p => p.Share), Is.EqualTo(1).Within(0.001));
            Assert.That(hit.Explanation.Parts, Has.All.Matches<ExplainPart>(p => p.Share > 0 && p.Share <= 1));
            Assert.That(hit.Explanation.Score, Is.EqualTo(hit.Score).Within(hit.Score * 0.001), "the parts add up to the hit's score");
        });
    }

    [Test]
    public async Task Explain_NamesTitleAndBody()
    {
        // C919 is in the article's title and body; 旅客 (passengers) only in its body.
        var hit = await Hit("C919 旅客", StoryArticles.FirstFlight);
        var fields = hit.Explanation.Parts.GroupBy(p => p.Concept).ToDictionary(g => g.Key, g => g.Select(p => p.Field).Distinct().ToList());
        Assert.Multiple(() =>
        {
            Assert.That(fields["c919"], Is.EquivalentTo(new[] { ExplainField.Title, ExplainField.Body }));
            Assert.That(fields["旅客"], Is.EqualTo(new[] { ExplainField.Body }));
        });
    }

    [Test]
    public async Task Explain_QuotedPhrase_IsMatchedInTheCharacterView()
    {
        var hit = await Hit("\"首次商业飞行\"", StoryArticles.FirstFlight);
        Assert.Multiple(() =>
        {
            Assert.That(hit.Explanation.Parts.Select(p => p.Concept).Distinct(), Is.EqualTo(new[] { "首次商业飞行" }));
            Assert.That(hit.Explanation.Parts.Select(p => p.View).Distinct(), Is.EqualTo(new[] { ExplainView.Characters }));
        });
    }

    [Test]
    public async Task Explain_AWordMatchesInBothViews_TheWordViewWeighingMore()
    {
        var hit = await Hit("旅客", StoryArticles.FirstFlight);
        var words = hit.Explanation.Parts.Single(p => p.View == ExplainView.Words);
        var characters = hit.Explanation.Parts.Single(p => p.View == ExplainView.Characters);
        Assert.That(words.Share, Is.GreaterThan(characters.Share));
    }

    [Test]
    public async Task WithoutExplain_HitsCarryNoExplanation()
    {
        var response = await _service.Client.SearchAsync(new SearchRequest { Query = "C919 旅客" });
        Assert.That(response.Hits, Is.Not.Empty);
        Assert.That(response.Hits.Select(h => h.Explanation), Has.All.Null);
    }

    [Test]
    public async Task Explain_SearchByDateAlone_HasNoParts()
    {
        var response = await _service.Client.SearchAsync(new SearchRequest { PublishedFrom = "2024-01-01", Explain = true });
        Assert.That(response.Hits.Single().Explanation.Parts, Is.Empty);
    }

    [Test]
    public async Task Reflection_DescribesRelatedAndExplain()
    {
        var file = await ReflectionFile("search.v1.ArticleSearch");
        var service = file.Service.Single(s => s.Name == "ArticleSearch");
        Assert.Multiple(() =>
        {
            Assert.That(service.Method.Select(m => m.Name), Does.Contain("Related"));
            Assert.That(file.MessageType.Single(m => m.Name == "SearchRequest").Field.Single(f => f.Name == "explain").Number, Is.EqualTo(11));
            Assert.That(file.MessageType.Single(m => m.Name == "SearchHit").Field.Single(f => f.Name == "explanation").Number, Is.EqualTo(9));
        });
    }

    private async Task<Google.Protobuf.Reflection.FileDescriptorProto> ReflectionFile(string symbol)
    {
        var client = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(_service.Channel);
        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { FileContainingSymbol = symbol });
        await call.RequestStream.CompleteAsync();
        Assert.That(await call.ResponseStream.MoveNext(CancellationToken.None), Is.True);
        var bytes = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto;
        return bytes.Select(Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom).Single(f => f.Package == "search.v1" && f.Service.Count > 0);
    }
}
