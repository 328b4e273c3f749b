using NewsSearch.Engine.Querying;

namespace NewsSearch.Engine.Tests.Querying;

/// <summary>What a hit's marked title and snippet show of the query's words.</summary>
public class SnippetBuilderTests
{
    [Test]
    public void OverlappingWords_AreMarkedAsOneStretch()
    {
        var (snippet, title) = SnippetBuilder.Build([("中国人民", "我们中国人民很好")], ["中国", "国人", "人民"])[0];
        Assert.Multiple(() =>
        {
            Assert.That(title, Is.EqualTo("<em>中国人民</em>"));
            Assert.That(snippet, Is.EqualTo("我们<em>中国人民</em>很好"));
        });
    }

    [Test]
    public void TheCharactersSnippetsLookAt_AreTheLettersDigitsAndSurrogates_OfAllOfUnicodesFirstPlane()
    {
        var wrong = Enumerable.Range(0, char.MaxValue + 1).Select(i => (char)i)
            .Where(c => SnippetBuilder.Keeps(c) != (char.IsLetterOrDigit(c) || char.IsSurrogate(c)))
            .Select(c => $"U+{(int)c:X4}").Take(10).ToList();
        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void PunctuationAndSpaces_DoNotStopAWordFromBeingMarked()
    {
        var snippet = SnippetBuilder.Build([("", "中，国 人民。H20E")], ["中国人民", "h20"])[0].Snippet;
        Assert.That(snippet, Is.EqualTo("<em>中，国 人民</em>。<em>H20</em>E"));
    }

    [Test]
    public void EveryOccurrenceOfEveryWord_IsMarked_HoweverManyWordsThePageHas()
    {
        // Short texts over a few characters, so that words overlap, share first characters and repeat; checked
        // against the occurrences found one word at a time.
        const string alphabet = "中国人民大会堂";
        var random = new Random(20261127);
        for (var trial = 0; trial < 300; trial++)
        {
            var text = new string(Enumerable.Range(0, random.Next(1, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var words = Enumerable.Range(0, random.Next(1, 30))
                .Select(_ => new string(Enumerable.Range(0, random.Next(1, 4)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()))
                .ToList();
            var expected = new bool[text.Length];
            foreach (var word in words)
                for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
                    for (var i = at; i < at + word.Length; i++) expected[i] = true;

            var title = SnippetBuilder.Build([(text, "")], words)[0].Title;
            Assert.That(MarkedCharacters(title), Is.EqualTo(expected), $"text {text}, words {string.Join(" ", words)}: {title}");
        }
    }

    /// <summary>For each character of the unmarked text, whether it lies between a mark's open and close.</summary>
    private static bool[] MarkedCharacters(string marked)
    {
        var result = new List<bool>();
        var inside = false;
        for (var i = 0; i < marked.Length;)
        {
            if (marked.AsSpan(i).StartsWith(SnippetBuilder.Open)) { inside = true; i += SnippetBuilder.Open.Length; }
            else if (marked.AsSpan(i).StartsWith(SnippetBuilder.Close)) { inside = false; i += SnippetBuilder.Close.Length; }
            else { result.Add(inside); i++; }
        }
        return result.ToArray();
    }
}
