using Microsoft.Extensions.DependencyInjection;
using NewsSearch.Api.V1;
using NewsSearch.Testing;
using Serilog.Core;

namespace NewsSearch.Server.Tests;

public class SeedFollowingTests
{
    [Test]
    public async Task DroppedInFile_IsFound_AndGoneAfterItIsDeleted()
    {
        // Another file stays: a seeds folder that empties is held back, not taken as "remove everything".
        await using var service = await RunningService.StartAsync(s =>
            File.WriteAllText(Path.Combine(s.SeedsPath, "base.jsonl"), Jsonl.Lines(Jsonl.Record("base", "黄河", "黄河流域", "2025-08-01"))));
        async Task<long> Hits() => (await service.Client.SearchAsync(new SearchRequest { Query = "长江大保护" })).TotalHits;
        Assert.That(await Hits(), Is.Zero);

        var file = service.WriteSeed("drop/new.jsonl", Jsonl.Lines(Jsonl.Record("drop-1", "长江大保护取得新进展", "沿江各省推进长江大保护。", "2025-08-01")));
        await RunningService.WaitUntil(async () => await Hits() == 1, TimeSpan.FromSeconds(30));

        File.Delete(file);
        await RunningService.WaitUntil(async () => await Hits() == 0, TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task AFolderLeftWithNothingReadable_IsRefusedOnce_NotReadAndLoggedAgainAtEveryPoll()
    {
        var log = new CapturedLog();
        await using var service = await RunningService.StartAsync(
            s => File.WriteAllText(Path.Combine(s.SeedsPath, "a.jsonl"), Jsonl.Lines(Jsonl.Record("a1", "黄河", "黄河流域", "2025-08-01"))),
            configure: b => b.Services.AddSingleton<ILogEventSink>(log));
        await RunningService.WaitUntil(async () => (await service.Client.GetStatsAsync(new GetStatsRequest())).ArticleCount == 1,
            TimeSpan.FromSeconds(30));

        // A half-copied folder: the good file gone, a malformed one in its place.
        service.WriteSeed("b.jsonl", "not json\n");
        File.Delete(Path.Combine(service.SeedsPath, "a.jsonl"));
        await RunningService.WaitUntil(async () => (await service.Client.GetStatsAsync(new GetStatsRequest())).IndexingProblem.Length > 0,
            TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2)); // ten polls of 200 ms
        var stats = await service.Client.GetStatsAsync(new GetStatsRequest());

        var texts = log.Texts().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(stats.ArticleCount, Is.EqualTo(1), "the refused pass removed nothing");
            Assert.That(texts.Where(t => t.Contains("was removed")), Is.Empty, "a.jsonl's articles were never removed");
            Assert.That(texts.Count(t => t.Contains("b.jsonl") && t.Contains("not a JSON object")), Is.EqualTo(1),
                "b.jsonl read once, not at every poll");
        });
    }

    [Test]
    public async Task Reindex_WhileTheServiceAnswers_NeverInterruptsSearches()
    {
        await using var service = await RunningService.StartAsync(s =>
        {
            var records = Enumerable.Range(0, 400).Select(i => Jsonl.Record($"r{i}", $"第{i}条新闻:新能源汽车", "新能源汽车产销两旺,充电桩建设提速。" + i, "2025-01-01"));
            File.WriteAllText(Path.Combine(s.SeedsPath, "bulk.jsonl"), Jsonl.Lines([.. records]));
        });
        await RunningService.WaitUntil(async () => (await service.Client.GetStatsAsync(new GetStatsRequest())).ArticleCount == 400, TimeSpan.FromSeconds(30));
        var before = (await service.Client.GetStatsAsync(new GetStatsRequest())).Generation;

        var output = new StringWriter();
        var reindex = Task.Run(() => ReindexCommand.Run(service.FolderArgs, output));
        var searches = 0;
        while (!reindex.IsCompleted)
        {
            var r = await service.Client.SearchAsync(new SearchRequest { Query = "新能源汽车" });
            Assert.That(r.TotalHits, Is.EqualTo(400), "every search during the rebuild sees the whole index");
            searches++;
        }
        Assert.That(await reindex, Is.Zero, "--reindex exits 0");
        await RunningService.WaitUntil(async () => (await service.Client.GetStatsAsync(new GetStatsRequest())).Generation != before, TimeSpan.FromSeconds(5));

        var after = await service.Client.SearchAsync(new SearchRequest { Query = "新能源汽车" });
        Assert.Multiple(() =>
        {
            Assert.That(searches, Is.GreaterThan(0));
            Assert.That(after.TotalHits, Is.EqualTo(400));
            Assert.That(output.ToString(), Does.Contain("Indexed 400 articles"));
            Assert.That(output.ToString(), Does.Contain("0 inputs skipped"));
        });
    }
}
