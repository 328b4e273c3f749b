using NewsSearch.Engine.Analysis;
using NewsSearch.Engine.Querying;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Analysis;

public class UserDictionaryTests
{
    [Test]
    public void Segment_WithADictionaryWord_KeepsItWhole()
    {
        var tokens = new List<TextToken>();
        new TextSegmenter(UserDictionary.Of("黄仁勋")).Segment("黄仁勋本人在北京链博会上说", SegmentMode.Words, forQuery: false, tokens);
        Assert.That(tokens.Select(t => t.Term), Has.Member("黄仁勋"));
    }

    [Test]
    public void Segment_WithoutTheWord_SmartCnBreaksTheName()
    {
        var tokens = new List<TextToken>();
        new TextSegmenter(UserDictionary.Of()).Segment("黄仁勋本人在北京链博会上说", SegmentMode.Words, forQuery: false, tokens);
        Assert.That(tokens.Select(t => t.Term), Has.No.Member("黄仁勋"));
    }

    [Test]
    public void EditedDictionary_TakesEffectWithoutRestart_AndFindsArticlesIndexedBeforeTheEdit()
    {
        using var dictFolder = new TempFolder();
        var dictPath = dictFolder.Write("words.txt", "# user words\n");
        using var t = new TestEngine(o => o.UserDictionaryPath = dictPath);
        t.AddSeed("a.jsonl", Jsonl.Lines(
            Jsonl.Record("expo", "链博会开幕", "第三届链博会在北京开幕,展商数量创新高。"),
            Jsonl.Record("chain", "区块链博览", "区块链博物馆开馆,会员可免费参观。")));

        File.WriteAllText(dictPath, "# user words\n链博会\n");
        File.SetLastWriteTimeUtc(dictPath, DateTime.UtcNow.AddSeconds(2));
        t.Engine.SyncOnce();

        var tokens = new List<TextToken>();
        new TextSegmenter(t.Engine.Dictionary).Segment("第三届链博会在北京开幕", SegmentMode.Words, forQuery: false, tokens);
        var result = t.Engine.Search(new SearchRequest("链博会"));
        Assert.Multiple(() =>
        {
            Assert.That(tokens.Select(x => x.Term), Has.Member("链博会"), "the reloaded word is kept whole");
            Assert.That(result.Hits.Select(h => h.Id), Is.EqualTo(new[] { "expo" }), "found in an article indexed before the edit");
            Assert.That(result.Hits[0].Snippet, Does.Contain("<em>链博会</em>"));
        });
    }
}
