using System.Text;

namespace NewsSearch.Repl.Input;

/// <summary>
/// A small line editor over <see cref="Console.ReadKey(bool)"/> for an interactive terminal: Left/Right/Home/End move,
/// Backspace/Delete erase, Up/Down walk the history (kept in memory only), Enter submits. Also Ctrl-A/E (home/end),
/// Ctrl-U/K (erase to start/end), Ctrl-C (abandon the line), Ctrl-D (end of input on an empty line).
/// The line is redrawn with ANSI cursor movements, counting CJK characters as two cells, so it may wrap.
/// </summary>
internal sealed class LineEditor(TextWriter output) : ILineReader
{
    private readonly InputHistory _history = new();
    private readonly LineBuffer _buffer = new();
    private int _cursorRow; // rows between the prompt's first row and the cursor
    private string _prompt = "";

    public IReadOnlyList<string> History => _history.Entries;

    public string? ReadLine(string prompt)
    {
        _prompt = prompt;
        _buffer.Set("");
        _history.ResetWalk();
        _cursorRow = 0;
        var treatControlC = TrySetTreatControlCAsInput(true);
        try
        {
            Redraw();
            char? pendingHigh = null;
            var dirty = false;
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                var outcome = Handle(key, ref pendingHigh);
                if (outcome is Outcome.Submit or Outcome.Abandon or Outcome.EndOfInput)
                {
                    _buffer.MoveEnd();
                    Redraw();
                    if (outcome == Outcome.Abandon) output.Write("^C");
                    FinishLine();
                    if (outcome == Outcome.EndOfInput) return null;
                    if (outcome == Outcome.Abandon) return "";
                    var line = _buffer.Text;
                    _history.Add(line);
                    return line;
                }
                if (outcome == Outcome.Changed) dirty = true;
                // Pasted text arrives as many keys: draw once they are all in.
                if (dirty && !KeyWaiting())
                {
                    Redraw();
                    dirty = false;
                }
            }
        }
        finally
        {
            if (treatControlC is { } previous) TrySetTreatControlCAsInput(previous);
        }
    }

    private enum Outcome { None, Changed, Submit, Abandon, EndOfInput }

    private Outcome Handle(ConsoleKeyInfo key, ref char? pendingHigh)
    {
        var ctrl = (key.Modifiers & ConsoleModifiers.Control) != 0;
        var c = key.KeyChar;
        if (pendingHigh is { } high)
        {
            pendingHigh = null;
            if (char.IsLowSurrogate(c)) { _buffer.Insert(new string([high, c])); return Outcome.Changed; }
        }
        switch (key.Key)
        {
            case ConsoleKey.Enter: return Outcome.Submit;
            case ConsoleKey.Backspace: return Changed(_buffer.DeleteBackward());
            case ConsoleKey.Delete: return Changed(_buffer.DeleteForward());
            case ConsoleKey.LeftArrow: return Changed(_buffer.MoveLeft());
            case ConsoleKey.RightArrow: return Changed(_buffer.MoveRight());
            case ConsoleKey.Home: return Changed(_buffer.MoveHome());
            case ConsoleKey.End: return Changed(_buffer.MoveEnd());
            case ConsoleKey.UpArrow: return Recall(_history.Previous(_buffer.Text));
            case ConsoleKey.DownArrow: return Recall(_history.Next());
        }
        if (c == '\x03' || (ctrl && key.Key == ConsoleKey.C)) return Outcome.Abandon;
        if (c == '\x04' || (ctrl && key.Key == ConsoleKey.D))
            return _buffer.Length == 0 ? Outcome.EndOfInput : Changed(_buffer.DeleteForward());
        if (ctrl)
        {
            return key.Key switch
            {
                ConsoleKey.A => Changed(_buffer.MoveHome()),
                ConsoleKey.E => Changed(_buffer.MoveEnd()),
                ConsoleKey.B => Changed(_buffer.MoveLeft()),
                ConsoleKey.F => Changed(_buffer.MoveRight()),
                ConsoleKey.U => Changed(_buffer.DeleteToStart()),
                ConsoleKey.K => Changed(_buffer.DeleteToEnd()),
                ConsoleKey.P => Recall(_history.Previous(_buffer.Text)),
                ConsoleKey.N => Recall(_history.Next()),
                _ => Outcome.None,
            };
        }
        if (char.IsHighSurrogate(c)) { pendingHigh = c; return Outcome.None; }
        if (c == '\0' || char.IsControl(c) || char.IsLowSurrogate(c)) return Outcome.None;
        _buffer.Insert(c.ToString());
        return Outcome.Changed;
    }

    private static Outcome Changed(bool changed) => changed ? Outcome.Changed : Outcome.None;

    private Outcome Recall(string? entry)
    {
        if (entry is null) return Outcome.None;
        _buffer.Set(entry);
        return Outcome.Changed;
    }

    /// <summary>Rewrites prompt and line from the prompt's first row, then puts the cursor where it belongs.</summary>
    private void Redraw()
    {
        var columns = Columns();
        var full = _prompt + _buffer.Text;
        var sb = new StringBuilder(full.Length + 32);
        if (_cursorRow > 0) sb.Append("\e[").Append(_cursorRow).Append('A');
        sb.Append('\r').Append("\e[J").Append(full);
        var end = TerminalLayout.Locate(full, full.Length, columns);
        // The text ended exactly at the right margin: the terminal holds the cursor there, so move to the next row.
        if (end is { Column: 0, Row: > 0 }) sb.Append("\r\n");
        var target = TerminalLayout.Locate(full, _prompt.Length + _buffer.Cursor, columns);
        if (end.Row > target.Row) sb.Append("\e[").Append(end.Row - target.Row).Append('A');
        sb.Append('\r');
        if (target.Column > 0) sb.Append("\e[").Append(target.Column).Append('C');
        _cursorRow = target.Row;
        output.Write(sb.ToString());
        output.Flush();
    }

    /// <summary>Leaves the cursor at the start of the row below the line (the cursor is at the line's end).</summary>
    private void FinishLine()
    {
        var full = _prompt + _buffer.Text;
        var end = TerminalLayout.Locate(full, full.Length, Columns());
        output.Write(end is { Column: 0, Row: > 0 } ? "\r" : "\r\n");
        output.Flush();
    }

    private static int Columns()
    {
        try { return Console.WindowWidth > 0 ? Console.WindowWidth : 80; }
        catch (IOException) { return 80; }
    }

    private static bool KeyWaiting()
    {
        try { return Console.KeyAvailable; }
        catch (InvalidOperationException) { return false; }
    }

    private static bool? TrySetTreatControlCAsInput(bool value)
    {
        try
        {
            var previous = Console.TreatControlCAsInput;
            Console.TreatControlCAsInput = value;
            return previous;
        }
        catch (IOException) { return null; }
    }
}
