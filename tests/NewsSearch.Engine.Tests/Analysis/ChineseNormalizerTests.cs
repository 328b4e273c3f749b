using NewsSearch.Engine.Analysis;

namespace NewsSearch.Engine.Tests.Analysis;

/// <summary>The folding the index, queries and snippets share: what each character becomes, and nothing moves.</summary>
public class ChineseNormalizerTests
{
    /// <summary>The documented rules for one code unit outside the surrogates, written out independently.</summary>
    private static char Expected(char c)
    {
        if (c is >= 'A' and <= 'Z') return char.ToLowerInvariant(c);
        if (c is >= '\uFF01' and <= '\uFF5E') return Expected((char)(c - 0xFEE0));
        if (c == '\u3000') return ' ';
        return ChineseNormalizer.TraditionalTable.TryGetValue(c, out var s) && s <= char.MaxValue ? (char)s : c;
    }

    [Test]
    public void EveryCharacterOutsideTheSurrogates_FoldsByTheDocumentedRules()
    {
        var all = Enumerable.Range(0, char.MaxValue + 1).Select(i => (char)i).Where(c => !char.IsSurrogate(c)).ToArray();
        var folded = ChineseNormalizer.Normalize(new string(all));
        var wrong = all.Select((c, i) => (c, Got: folded[i])).Where(x => x.Got != Expected(x.c)).Take(5)
            .Select(x => $"U+{(int)x.c:X4} → U+{(int)x.Got:X4}, expected U+{(int)Expected(x.c):X4}").ToList();
        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void ReadersTextFolds_ToWhatTheIndexKeeps()
    {
        Assert.That(ChineseNormalizer.Normalize("臺灣ＡＢＣ１２３\u3000Covid新聞"), Is.EqualTo("台湾abc123 covid新闻"));
    }

    [Test]
    public void ASupplementaryTraditionalCharacter_FoldsAsAPair_AndLoneSurrogatesStayAsTheyAre()
    {
        var (traditional, simplified) = ChineseNormalizer.TraditionalTable.First(p => p.Key > char.MaxValue && p.Value > char.MaxValue);
        var text = "甲" + char.ConvertFromUtf32(traditional) + "乙\uD800丙\uDC00";
        var folded = ChineseNormalizer.Normalize(text);
        Assert.That(folded, Is.EqualTo("甲" + char.ConvertFromUtf32(simplified) + "乙\uD800丙\uDC00"));
    }
}
