using Grpc.Core;
using NewsSearch.Api.V1;
using NewsSearch.Repl.Commands;
using NewsSearch.Repl.Rendering;

namespace NewsSearch.Repl.Tests;

/// <summary>:explain N against a client that answers as the service does: explanations only when asked for.</summary>
public class ExplainCommandTests
{
    private sealed class ExplainingService : ArticleSearch.ArticleSearchClient
    {
        public List<SearchRequest> Requests { get; } = [];

        public override AsyncUnaryCall<SearchResponse> SearchAsync(SearchRequest request, CallOptions options)
        {
            Requests.Add(request.Clone());
            var response = new SearchResponse { TotalHits = 2 };
            response.Hits.Add(Hit("c919-a", "国产大飞机C919完成首次商业飞行", 9.5f, request.Explain,
                ("c919", ExplainField.Title, ExplainView.Words, 0.7f), ("c919", ExplainField.Body, ExplainView.Words, 0.3f)));
            response.Hits.Add(Hit("c919-b", "C919商业运营满两周", 4.2f, request.Explain,
                ("c919", ExplainField.Body, ExplainView.Words, 0.6f), ("旅客", ExplainField.Body, ExplainView.Characters, 0.4f)));
            return new AsyncUnaryCall<SearchResponse>(Task.FromResult(response), Task.FromResult(new Metadata()),
                () => Status.DefaultSuccess, () => [], () => { });
        }

        private static SearchHit Hit(string id, string title, float score, bool explain,
            params (string Concept, ExplainField Field, ExplainView View, float Share)[] parts)
        {
            var hit = new SearchHit { Id = id, Title = title, Score = score };
            if (!explain) return hit;
            hit.Explanation = new HitExplanation { Score = score };
            foreach (var p in parts)
                hit.Explanation.Parts.Add(new ExplainPart { Concept = p.Concept, Field = p.Field, View = p.View, Share = p.Share, Score = score * p.Share });
            return hit;
        }
    }

    private ExplainingService _service = null!;
    private StringWriter _output = null!;
    private ReplSession _session = null!;

    [SetUp]
    public void Start()
    {
        _service = new ExplainingService();
        _output = new StringWriter();
        _session = new ReplSession(_service, "http://127.0.0.1:5080", new ResultRenderer(HighlightStyle.Brackets, ResultRenderer.Shanghai()), _output);
    }

    [TearDown]
    public void Stop() => _output.Dispose();

    private async Task<string> Run(string line)
    {
        _output.GetStringBuilder().Clear();
        await _session.ExecuteAsync(CommandInterpreter.Parse(line, _session.Settings));
        return _output.ToString();
    }

    [Test]
    public async Task Explain2_AfterASearch_PrintsTheSecondHitsMatchedWordsFieldsAndShares()
    {
        var search = await Run("C919 旅客");
        var explained = await Run(":explain 2");
        Assert.Multiple(() =>
        {
            Assert.That(search, Does.Not.Contain("Why"));
            Assert.That(_service.Requests.Select(r => r.Explain).ToList(), Is.EqualTo(new List<bool> { false, true }), "only :explain asks for explanations");
            Assert.That(_service.Requests[1].Query, Is.EqualTo("C919 旅客"));
            Assert.That(explained, Does.StartWith("Why 2. C919商业运营满两周 scored 4.200:"));
            Assert.That(explained, Does.Contain(" 60.0%  body · words        c919"));
            Assert.That(explained, Does.Contain(" 40.0%  body · characters   旅客"));
        });
    }

    [Test]
    public async Task Explain_BeyondTheLastPage_SaysWhichNumbersItHas()
    {
        await Run("C919");
        Assert.That(await Run(":explain 3"), Is.EqualTo("No hit 3 on the last page: choose 1-2." + Environment.NewLine));
    }

    [Test]
    public async Task Explain_BeforeAnySearch_AsksForOne()
    {
        Assert.That(await Run(":explain 1"), Does.StartWith("No search yet"));
        Assert.That(_service.Requests, Is.Empty);
    }

    [TestCase(":explain", "Usage: :explain N")]
    [TestCase(":explain two", "'two' is not a hit number")]
    [TestCase(":explain 0", "'0' is not a hit number")]
    public void Parse_ExplainWithoutAHitNumber_SaysWhatToType(string line, string message)
    {
        Assert.That(CommandInterpreter.Parse(line, ReplSettings.Default), Is.TypeOf<InvalidCommand>()
            .With.Property(nameof(InvalidCommand.Message)).StartsWith(message));
    }
}
