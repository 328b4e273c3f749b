using NewsSearch.Repl.Input;

namespace NewsSearch.Repl.Tests;

public class DisplayWidthTests
{
    [TestCase("abc", 3)]
    [TestCase("芯片", 4)]
    [TestCase("H20芯片", 7)]
    [TestCase("한국", 4)]
    [TestCase("ＡＢ", 4)]
    [TestCase("😀", 2)]
    [TestCase("", 0)]
    public void Of_Text_CountsWideCharactersAsTwoCells(string text, int expected)
    {
        Assert.That(DisplayWidth.Of(text), Is.EqualTo(expected));
    }
}

public class TerminalLayoutTests
{
    [Test]
    public void Locate_ShortLine_StaysOnTheFirstRow()
    {
        Assert.That(TerminalLayout.Locate("> 芯片", 4, 80), Is.EqualTo((0, 6)));
    }

    [Test]
    public void Locate_TextFillingTheRowExactly_PutsTheEndOnTheNextRow()
    {
        Assert.That(TerminalLayout.Locate("abcd", 4, 4), Is.EqualTo((1, 0)));
    }

    [Test]
    public void Locate_WideCharacterThatDoesNotFit_WrapsWhole()
    {
        // "abc" takes 3 of 4 cells; 芯 needs 2, so it starts the next row and the cursor in front of it is there too.
        Assert.Multiple(() =>
        {
            Assert.That(TerminalLayout.Locate("abc芯", 3, 4), Is.EqualTo((1, 0)));
            Assert.That(TerminalLayout.Locate("abc芯", 4, 4), Is.EqualTo((1, 2)));
        });
    }
}

public class LineBufferTests
{
    [Test]
    public void Insert_AfterMovingLeft_InsertsAtTheCursor()
    {
        var b = new LineBuffer();
        b.Insert("芯产");
        b.MoveLeft();
        b.Insert("片");
        Assert.That(b.Text, Is.EqualTo("芯片产"));
    }

    [Test]
    public void DeleteBackward_AfterASurrogatePair_RemovesThePairWhole()
    {
        var b = new LineBuffer();
        b.Insert("a😀");
        b.DeleteBackward();
        Assert.That(b.Text, Is.EqualTo("a"));
    }

    [Test]
    public void DeleteForward_AtHome_RemovesTheFirstCharacter()
    {
        var b = new LineBuffer();
        b.Insert("芯片");
        b.MoveHome();
        b.DeleteForward();
        Assert.That((b.Text, b.Cursor), Is.EqualTo(("片", 0)));
    }
}

public class InputHistoryTests
{
    [Test]
    public void Previous_WalksFromNewestToOldestAndStops()
    {
        var h = new InputHistory();
        h.Add("one");
        h.Add("two");
        Assert.That(new[] { h.Previous(""), h.Previous("two"), h.Previous("one") }, Is.EqualTo(new[] { "two", "one", null }));
    }

    [Test]
    public void Next_PastTheNewestEntry_BringsBackTheDraft()
    {
        var h = new InputHistory();
        h.Add("one");
        h.Previous("half-typed");
        Assert.That(h.Next(), Is.EqualTo("half-typed"));
    }

    [Test]
    public void Add_BlankOrRepeatedLine_IsNotKept()
    {
        var h = new InputHistory();
        h.Add("芯片");
        h.Add("芯片");
        h.Add("  ");
        Assert.That(h.Entries, Is.EqualTo(new[] { "芯片" }));
    }
}
