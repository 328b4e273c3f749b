using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

namespace NewsSearch.Engine.Tests;

/// <summary>The request-limit options are checked at start, with a message naming the key.</summary>
public class SearchEngineOptionsTests
{
    private static List<ValidationResult> Problems(SearchEngineOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Test]
    public void Defaults_AreValid_WithAFiveSecondSearchLimitAndNoKey()
    {
        var options = new SearchEngineOptions();
        Assert.Multiple(() =>
        {
            Assert.That(Problems(options), Is.Empty);
            Assert.That(options.SearchTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(options.PageTokenKey, Is.Null);
        });
    }

    [TestCase("not base64!")]
    [TestCase("c2hvcnQ=")]
    public void PageTokenKey_NotBase64OfSixteenBytesOrMore_IsRefusedNamingTheKey(string key)
    {
        var problems = Problems(new SearchEngineOptions { PageTokenKey = key });
        Assert.That(problems.Select(p => p.ErrorMessage), Has.One.Contains("Search:PageTokenKey"));
    }

    [Test]
    public void PageTokenKey_ThirtyTwoRandomBytes_IsAccepted()
    {
        Assert.That(Problems(new SearchEngineOptions { PageTokenKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }), Is.Empty);
    }

    [TestCase("00:00:00.010")]
    [TestCase("01:00:00")]
    public void SearchTimeout_OutsideATenthOfASecondToTenMinutes_IsRefused(string timeout)
    {
        var problems = Problems(new SearchEngineOptions { SearchTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.That(problems.SelectMany(p => p.MemberNames), Has.One.EqualTo(nameof(SearchEngineOptions.SearchTimeout)));
    }

    [TestCase(0)]
    [TestCase(10_001)]
    public void MaxFacetBuckets_OutsideOneToTenThousand_IsRefused(int buckets)
    {
        var problems = Problems(new SearchEngineOptions { MaxFacetBuckets = buckets });
        Assert.That(problems.SelectMany(p => p.MemberNames), Has.One.EqualTo(nameof(SearchEngineOptions.MaxFacetBuckets)));
    }

    [TestCase(-1)]
    [TestCase(100_001)]
    public void PrefixFilterCacheSize_OutsideZeroToOneHundredThousand_IsRefused(int size)
    {
        var problems = Problems(new SearchEngineOptions { PrefixFilterCacheSize = size });
        Assert.That(problems.SelectMany(p => p.MemberNames), Has.One.EqualTo(nameof(SearchEngineOptions.PrefixFilterCacheSize)));
    }

    [Test]
    public void ResolvedAgainst_KeepsThePrefixFilterCacheSize()
    {
        Assert.That(new SearchEngineOptions { PrefixFilterCacheSize = 0 }.ResolvedAgainst("/srv/news").PrefixFilterCacheSize, Is.EqualTo(0));
    }

    [Test]
    public void ResolvedAgainst_KeepsTheFacetBucketLimit()
    {
        Assert.That(new SearchEngineOptions { MaxFacetBuckets = 42 }.ResolvedAgainst("/srv/news").MaxFacetBuckets, Is.EqualTo(42));
    }

    [Test]
    public void ResolvedAgainst_KeepsTheRequestLimits()
    {
        var options = new SearchEngineOptions { SearchTimeout = TimeSpan.FromSeconds(2), PageTokenKey = "a2V5" };
        var resolved = options.ResolvedAgainst("/srv/news");
        Assert.That((resolved.SearchTimeout, resolved.PageTokenKey), Is.EqualTo((options.SearchTimeout, options.PageTokenKey)));
    }
}
