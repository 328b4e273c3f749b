using System.IO.Compression;
using System.Text.Json;
using Lucene.Net.Analysis.Cn.Smart.Hhmm;
using NewsSearch.Engine.Analysis;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Analysis;

/// <summary>The engine's segmenter must cut every run of Chinese text exactly where SmartCn's own segmenter does.</summary>
public class HhmmSegmenterTests
{
    [Test]
    public void SegmentsTheExamplePageAndTrickyRunsExactlyAsSmartCnDoes()
    {
        var texts = new List<string>
        {
            File.ReadAllText(RepoPaths.ExamplePage),
            "中华人民共和国成立了", "黄仁勋说英伟达的芯片", "研究生命起源", "南京市长江大桥", "我", "的的的的的", "始末", "乒乓球拍卖完了",
        };
        var (runs, mismatches) = Compare(texts);
        Assert.That(runs, Is.GreaterThan(50));
        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    [Category("Corpus")]
    public void SegmentsEveryRunOfTheCctvCorpusExactlyAsSmartCnDoes()
    {
        var corpus = RepoPaths.RequireCorpusFile("cctv-news.jsonl.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(corpus), CompressionMode.Decompress));
        var texts = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            texts.Add(doc.RootElement.GetProperty("title").GetString() + "\n" + doc.RootElement.GetProperty("body").GetString());
        }
        var (runs, mismatches) = Compare(texts);
        Assert.That(runs, Is.GreaterThan(100_000));
        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public void LeavesRunsWithCharactersSmartCnDoesNotCallHanziToSmartCn()
    {
        var words = new List<(int, int)>();
        Assert.Multiple(() =>
        {
            Assert.That(HhmmSegmenter.Shared.TrySegment("鿰中国", words), Is.False); // U+9FF0, beyond SmartCn's Hanzi range
            Assert.That(HhmmSegmenter.Shared.TrySegment("〇中国", words), Is.False);
            Assert.That(HhmmSegmenter.Shared.TrySegment("", words), Is.False);
            Assert.That(words, Is.Empty);
        });
    }

    [Test]
    public void PartsOfALongWord_AreTheDictionaryWordsInsideIt_NotTheWordItselfNorSingleCharacters()
    {
        var parts = HhmmSegmenter.Shared.PartsOf("犯罪嫌疑人");
        Assert.Multiple(() =>
        {
            Assert.That(parts, Is.SupersetOf(new[] { "犯罪", "嫌疑", "嫌疑人" }));
            Assert.That(parts, Does.Not.Contain("犯罪嫌疑人"));
            Assert.That(parts.Where(p => p.Length < 2), Is.Empty);
            Assert.That(parts, Is.Unique);
            Assert.That(HhmmSegmenter.Shared.PartsOf("G20峰会"), Is.Empty);
        });
    }

    /// <summary>Segments every distinct Hanzi run of <paramref name="texts"/> both ways; returns the runs and the first differences.</summary>
    private static (int Runs, List<string> Mismatches) Compare(IEnumerable<string> texts)
    {
        var smartCn = new HHMMSegmenter();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var mismatches = new List<string>();
        var ours = new List<(int Start, int End)>();
        foreach (var text in texts)
        {
            var folded = ChineseNormalizer.Normalize(text);
            for (var i = 0; i < folded.Length;)
            {
                var end = i;
                while (end < folded.Length && folded[end] is >= '\u4E00' and <= '\u9FA5') end++;
                if (end == i) { i++; continue; }
                var run = folded[i..end];
                i = end;
                if (!seen.Add(run)) continue;

                var tokens = smartCn.Process(run);
                var expected = tokens.Skip(1).Take(tokens.Count - 2).Select(t => run[t.StartOffset..t.EndOffset]);
                ours.Clear();
                Assert.That(HhmmSegmenter.Shared.TrySegment(run, ours), Is.True, run);
                var actual = ours.Select(w => run[w.Start..w.End]);
                if (!actual.SequenceEqual(expected) && mismatches.Count < 20)
                    mismatches.Add($"{run}: SmartCn [{string.Join(" ", expected)}], ours [{string.Join(" ", actual)}]");
            }
        }
        return (seen.Count, mismatches);
    }
}
