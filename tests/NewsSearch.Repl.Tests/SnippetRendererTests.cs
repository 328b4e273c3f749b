using NewsSearch.Repl.Rendering;

namespace NewsSearch.Repl.Tests;

public class SnippetRendererTests
{
    [Test]
    public void Render_Brackets_WrapsTheMarkedText()
    {
        Assert.That(SnippetRenderer.Render("中国<em>芯片</em>产业", HighlightStyle.Brackets), Is.EqualTo("中国[芯片]产业"));
    }

    [Test]
    public void Render_Ansi_WrapsTheMarkedTextInBoldColourAndReset()
    {
        Assert.That(SnippetRenderer.Render("中国<em>芯片</em>产业", HighlightStyle.Ansi),
            Is.EqualTo($"中国{Ansi.Highlight}芯片{Ansi.Reset}产业"));
    }

    [Test]
    public void Render_HtmlEntities_AreDecoded()
    {
        Assert.That(SnippetRenderer.Render("AT&amp;T &lt;b&gt; &quot;<em>H20</em>&quot; &#39;x&#39;", HighlightStyle.Brackets),
            Is.EqualTo("AT&T <b> \"[H20]\" 'x'"));
    }

    [Test]
    public void Render_EscapedEmTags_StayText()
    {
        Assert.That(SnippetRenderer.Render("&lt;em&gt;not a match&lt;/em&gt;", HighlightStyle.Brackets),
            Is.EqualTo("<em>not a match</em>"));
    }

    [Test]
    public void Render_AdjacentMarks_BecomeOneHighlight()
    {
        Assert.That(SnippetRenderer.Render("<em>芯</em><em>片</em>产业", HighlightStyle.Brackets), Is.EqualTo("[芯片]产业"));
    }

    [Test]
    public void Render_UnclosedMark_IsHighlightedToTheEnd()
    {
        Assert.That(SnippetRenderer.Render("…中国<em>芯片", HighlightStyle.Brackets), Is.EqualTo("…中国[芯片]"));
    }

    [Test]
    public void Render_StrayClosingTag_IsDropped()
    {
        Assert.That(SnippetRenderer.Render("芯片</em>产业", HighlightStyle.Brackets), Is.EqualTo("芯片产业"));
    }

    [Test]
    public void Render_EmptyMark_LeavesNoBrackets()
    {
        Assert.That(SnippetRenderer.Render("芯片<em></em>产业", HighlightStyle.Brackets), Is.EqualTo("芯片产业"));
    }

    [Test]
    public void Render_ControlCharacters_CannotReachTheTerminal()
    {
        Assert.That(SnippetRenderer.Render("a&#27;[31mb\nc\td", HighlightStyle.Brackets), Is.EqualTo("a[31mb c d"));
    }

    [Test]
    public void Render_TextWithoutMarks_IsUnchanged()
    {
        Assert.That(SnippetRenderer.Render("近日,全球首个机器人发布…", HighlightStyle.Ansi), Is.EqualTo("近日,全球首个机器人发布…"));
    }
}
