using System.Text;

namespace NewsSearch.Repl.Input;

/// <summary>The line being edited and the cursor in it (an index into the UTF-16 text, never inside a surrogate pair).</summary>
internal sealed class LineBuffer
{
    private readonly StringBuilder _text = new();

    public int Cursor { get; private set; }

    public string Text => _text.ToString();

    public int Length => _text.Length;

    public void Set(string text)
    {
        _text.Clear().Append(text);
        Cursor = _text.Length;
    }

    public void Insert(string text)
    {
        _text.Insert(Cursor, text);
        Cursor += text.Length;
    }

    /// <summary>Deletes the character before the cursor (Backspace).</summary>
    public bool DeleteBackward()
    {
        if (Cursor == 0) return false;
        var start = PreviousStop(Cursor);
        _text.Remove(start, Cursor - start);
        Cursor = start;
        return true;
    }

    /// <summary>Deletes the character under the cursor (Delete).</summary>
    public bool DeleteForward()
    {
        if (Cursor >= _text.Length) return false;
        _text.Remove(Cursor, NextStop(Cursor) - Cursor);
        return true;
    }

    public bool MoveLeft() => MoveTo(Cursor == 0 ? 0 : PreviousStop(Cursor));

    public bool MoveRight() => MoveTo(Cursor >= _text.Length ? _text.Length : NextStop(Cursor));

    public bool MoveHome() => MoveTo(0);

    public bool MoveEnd() => MoveTo(_text.Length);

    public bool DeleteToStart()
    {
        if (Cursor == 0) return false;
        _text.Remove(0, Cursor);
        Cursor = 0;
        return true;
    }

    public bool DeleteToEnd()
    {
        if (Cursor >= _text.Length) return false;
        _text.Remove(Cursor, _text.Length - Cursor);
        return true;
    }

    private bool MoveTo(int position)
    {
        if (position == Cursor) return false;
        Cursor = position;
        return true;
    }

    private int PreviousStop(int from) =>
        from >= 2 && char.IsLowSurrogate(_text[from - 1]) && char.IsHighSurrogate(_text[from - 2]) ? from - 2 : from - 1;

    private int NextStop(int from) =>
        from + 1 < _text.Length && char.IsHighSurrogate(_text[from]) && char.IsLowSurrogate(_text[from + 1]) ? from + 2 : from + 1;
}
