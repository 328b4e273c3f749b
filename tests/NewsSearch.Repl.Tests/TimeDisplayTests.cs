using Google.Protobuf.WellKnownTypes;
using NewsSearch.Repl.Rendering;

namespace NewsSearch.Repl.Tests;

public class TimeDisplayTests
{
    [Test]
    public void IndexingTime_SaysItsZone_AndTheUtcTimeTheServerLogShows()
    {
        var renderer = new ResultRenderer(HighlightStyle.Brackets, ResultRenderer.Shanghai());
        var shown = renderer.FormatInstant(Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 26, 1, 15, 0, TimeSpan.Zero)));
        Assert.That(shown, Is.EqualTo("2026-11-26 09:15:00 Asia/Shanghai (UTC+08:00) = 01:15:00 UTC"));
    }
}
