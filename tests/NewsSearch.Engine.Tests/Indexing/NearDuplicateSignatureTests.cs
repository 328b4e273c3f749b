using NewsSearch.Engine.Indexing;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Indexing;

/// <summary>Shingling and MinHash: what counts as the same text, and how well the estimate tracks the truth.</summary>
public class NearDuplicateSignatureTests
{
    private static NearDuplicateSignature Sign(string body, string title = "") =>
        NearDuplicateSignature.Of(title, body) ?? throw new AssertionException("no signature");

    private static double ExactJaccard(string a, string b)
    {
        var x = NearDuplicateSignature.ShingleHashes(a).ToHashSet();
        var y = NearDuplicateSignature.ShingleHashes(b);
        var common = y.Count(x.Contains);
        return (double)common / (x.Count + y.Length - common);
    }

    [Test]
    public void Shingles_IgnorePunctuationSpacingWidthAndCase()
    {
        Assert.That(NearDuplicateSignature.ShingleHashes("国产大型客机，C919 今天起飞。"),
            Is.EqualTo(NearDuplicateSignature.ShingleHashes("国产大型客机c919今天起飞")));
        Assert.That(NearDuplicateSignature.ShingleHashes("ＣＯＶＩＤ１９疫情防控"),
            Is.EqualTo(NearDuplicateSignature.ShingleHashes("covid19疫情防控")));
    }

    [Test]
    public void Shingles_OfTraditionalCharacters_AreThoseOfTheSimplifiedText()
    {
        Assert.That(NearDuplicateSignature.ShingleHashes("國產大型客機從上海虹橋機場起飛"),
            Is.EqualTo(NearDuplicateSignature.ShingleHashes("国产大型客机从上海虹桥机场起飞")));
    }

    [Test]
    public void Shingles_AreTheDistinctFiveCharacterRuns()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NearDuplicateSignature.ShingleHashes("一二三四五六"), Has.Length.EqualTo(2));
            Assert.That(NearDuplicateSignature.ShingleHashes("哈哈哈哈哈哈哈"), Has.Length.EqualTo(1));
            Assert.That(NearDuplicateSignature.ShingleHashes("一二三四"), Is.Empty);
        });
    }

    [Test]
    public void TheSameText_IsANearDuplicateOfItself_WithEstimatedJaccardOne()
    {
        var a = Sign(Reprints.Body);
        Assert.Multiple(() =>
        {
            Assert.That(a.Jaccard(Sign(Reprints.Body)), Is.EqualTo(1.0));
            Assert.That(a.IsNearDuplicateOf(Sign(Reprints.Body)), Is.True);
            Assert.That(a.Bands, Is.EqualTo(Sign(Reprints.Body).Bands));
        });
    }

    [Test]
    public void AReprintWithAnotherHeadlineDroppedAndMovedParagraphsANoteAndTraditionalCharacters_IsANearDuplicate()
    {
        var original = Sign(Reprints.Body, Reprints.Title);
        var reprint = Sign(Reprints.ReprintBody, Reprints.ReprintTitle);
        Assert.That(reprint.IsNearDuplicateOf(original), Is.True,
            $"Jaccard {reprint.Jaccard(original):F2}, containment {reprint.Containment(original, reprint.Jaccard(original)):F2}");
    }

    [Test]
    public void AnotherStoryOnTheSameTopic_IsNotANearDuplicate()
    {
        var original = Sign(Reprints.Body);
        var other = Sign(Reprints.OtherBody);
        Assert.Multiple(() =>
        {
            Assert.That(other.IsNearDuplicateOf(original), Is.False);
            Assert.That(other.Jaccard(original), Is.LessThan(0.1));
        });
    }

    [Test]
    public void ABriefQuotedInsideALongerFeature_IsNotANearDuplicate_ThoughAllOfItIsContained()
    {
        var feature = Sign(Reprints.Body + "\n" + Reprints.OtherBody);
        var brief = Sign(Reprints.Paragraphs[2]);
        var j = brief.Jaccard(feature);
        Assert.Multiple(() =>
        {
            Assert.That(brief.Containment(feature, j), Is.GreaterThan(0.8));
            Assert.That(brief.IsNearDuplicateOf(feature), Is.False);
        });
    }

    [Test]
    public void EstimatedJaccard_IsWithinATenthOfTheExactOne()
    {
        var pairs = new (string, string)[]
        {
            (Reprints.Body, Reprints.ReprintBody),
            (Reprints.Body, string.Join('\n', Reprints.Paragraphs.Take(3))),
            (Reprints.Body, string.Join('\n', Reprints.Paragraphs.Take(2))),
            (Reprints.Body, Reprints.OtherBody),
            (Reprints.Body + Reprints.OtherBody, Reprints.OtherBody),
        };
        Assert.Multiple(() =>
        {
            foreach (var (a, b) in pairs)
                Assert.That(Sign(a).Jaccard(Sign(b)), Is.EqualTo(ExactJaccard(a, b)).Within(0.1), b[..12]);
        });
    }

    [Test]
    public void ABodyTooShortToJudge_IsJudgedWithItsTitle_AndAVeryShortArticleHasNoSignature()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NearDuplicateSignature.Of("国产大飞机C919完成首次商业飞行", "今天首航。"), Is.Not.Null);
            Assert.That(NearDuplicateSignature.Of("首航", "今天首航。"), Is.Null);
        });
    }

    [Test]
    public void ASignatureReadBackFromStorage_ComparesAsTheOriginal()
    {
        var original = Sign(Reprints.Body);
        var stored = NearDuplicateSignature.FromBytes(original.ToBytes())!;
        var reprint = Sign(Reprints.ReprintBody);
        Assert.Multiple(() =>
        {
            Assert.That(stored.ShingleCount, Is.EqualTo(original.ShingleCount));
            Assert.That(reprint.Jaccard(stored), Is.EqualTo(reprint.Jaccard(original)));
            Assert.That(NearDuplicateSignature.FromBytes(new byte[3]), Is.Null);
        });
    }
}
