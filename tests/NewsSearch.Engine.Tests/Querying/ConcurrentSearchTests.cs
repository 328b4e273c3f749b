using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>Searches running at the same time answer exactly as they do one at a time.</summary>
public class ConcurrentSearchTests
{
    [Test]
    public void CollapsedSearchesOnSeveralThreads_AnswerAsTheyDoAlone()
    {
        using var t = new TestEngine();
        // Articles in two files so that the index has clusters of reprints and articles of their own.
        var body = "港口今年的集装箱吞吐量再创新高，码头工人和自动化设备一起完成了装卸任务，航运公司表示订单已经排到明年。";
        t.WriteSeed("a.jsonl", Jsonl.Lines(Enumerable.Range(0, 300).Select(i => Jsonl.Record($"a{i}", $"港口新闻{i}", i % 3 == 0 ? body : $"第{i}篇：熊猫和港口的报道，编号{i}。")).ToArray()));
        t.WriteSeed("b.jsonl", Jsonl.Lines(Enumerable.Range(0, 300).Select(i => Jsonl.Record($"b{i}", $"港口快讯{i}", i % 5 == 0 ? body + "转载" : $"港口快讯正文{i}，熊猫馆开放。")).ToArray()));
        t.Engine.SyncOnce();
        var queries = new[] { "港口", "熊猫", "港口 熊猫", "集装箱", "快讯", "\"码头工人\"" };
        string Answer(string q)
        {
            var r = t.Engine.Search(new SearchRequest(q, PageSize: 20));
            return $"{r.TotalHits}/{r.TotalClusters}: " + string.Join(",", r.Hits.Select(h => $"{h.Id}+{h.CollapsedCount}"));
        }
        var alone = queries.ToDictionary(q => q, Answer);
        Assume.That(alone["港口"], Does.Contain("+"), "the corpus has clusters");

        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            for (var i = 0; i < 300; i++)
            {
                var q = queries[(worker + i) % queries.Length];
                var answer = Answer(q);
                if (answer != alone[q]) mismatches.Add($"{q}: {answer}");
            }
        });
        Assert.That(mismatches, Is.Empty);
    }
}
