using NewsSearch.Api.V1;
using NewsSearch.Repl.Rendering;

namespace NewsSearch.Repl.Tests;

public class TotalDisplayTests
{
    private static readonly ResultRenderer Renderer = new(HighlightStyle.Brackets, ResultRenderer.Shanghai());

    [Test]
    public void ATotalThatIsALowerBound_IsShownAsAtLeast()
    {
        var shown = Renderer.Search("高铁", new SearchResponse { TotalHits = 10_412, TotalHitsIsLowerBound = true }, 1, TimeSpan.FromMilliseconds(3));
        Assert.That(shown, Does.Contain("at least 10,412 hits for 高铁"));
    }

    [Test]
    public void AnExactTotal_IsShownAsItIs()
    {
        var shown = Renderer.Search("高铁", new SearchResponse { TotalHits = 12 }, 1, TimeSpan.FromMilliseconds(3));
        Assert.That(shown, Does.Contain("12 hits for 高铁").And.Not.Contain("at least"));
    }
}
