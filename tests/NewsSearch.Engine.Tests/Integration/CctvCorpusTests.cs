using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Integration;

/// <summary>The whole cctv corpus from ../shared/corpus, checked against counts read straight from the file.</summary>
[Category("Corpus")]
public class CctvCorpusTests
{
    private TempFolder _folder = null!;
    private NewsSearchEngine _engine = null!;
    private List<(string Id, string Date)> _records = null!;

    [OneTimeSetUp]
    public void IndexTheCorpus()
    {
        var corpus = RepoPaths.RequireCorpusFile("cctv-news.jsonl.gz");
        _records = ReadIdsAndDates(corpus);
        _folder = new TempFolder("cctv");
        Directory.CreateDirectory(_folder.Combine("seeds"));
        File.Copy(corpus, _folder.Combine("seeds", "cctv-news.jsonl.gz"));
        var options = new SearchEngineOptions { SeedsPath = _folder.Combine("seeds"), IndexPath = _folder.Combine("index") };
        NewsSearchEngine.Rebuild(options, NullLoggerFactory.Instance);
        _engine = new NewsSearchEngine(options, NullLoggerFactory.Instance);
        _engine.Open();
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _engine?.Dispose();
        _folder?.Dispose();
    }

    private static List<(string, string)> ReadIdsAndDates(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var list = new List<(string, string)>();
        while (reader.ReadLine() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            list.Add((doc.RootElement.GetProperty("id").GetString()!, doc.RootElement.GetProperty("date").GetString()!));
        }
        return list;
    }

    [Test]
    public void ArticleCount_IsEveryDistinctRecordOfTheFile()
    {
        var distinct = _records.Select(r => r.Id).Distinct().Count();
        Assert.Multiple(() =>
        {
            Assert.That(distinct, Is.EqualTo(24_100));
            Assert.That(_engine.GetStats().ArticleCount, Is.EqualTo(distinct));
            Assert.That(_engine.GetStats().InputsSkipped, Is.Zero);
        });
    }

    [TestCase("2022-01-01", "2022-01-01")]
    [TestCase("2023-03-01", "2023-03-31")]
    [TestCase("2024-01-01", "2024-12-31")]
    [TestCase("2025-07-01", "2026-08-21")]
    [TestCase("2026-08-21", "2026-08-21")]
    public void DateFilteredCount_MatchesTheFile(string from, string to)
    {
        var expected = _records.Count(r => string.CompareOrdinal(r.Date, from) >= 0 && string.CompareOrdinal(r.Date, to) <= 0);
        var actual = _engine.Search(new SearchRequest("", from, to)).TotalHits;
        Assert.That(actual, Is.EqualTo(expected).And.GreaterThan(0));
    }
}
