namespace NewsSearch.Repl.Input;

/// <summary>
/// Lines entered this session (memory only), walked with Up/Down. The line being typed when the walk starts is kept
/// as a draft and comes back when Down passes the newest entry.
/// </summary>
internal sealed class InputHistory
{
    private readonly List<string> _entries = [];
    private int _position; // == _entries.Count when not walking
    private string _draft = "";

    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Records a submitted line (blank lines and repeats of the newest entry are not kept) and ends any walk.</summary>
    public void Add(string line)
    {
        if (!string.IsNullOrWhiteSpace(line) && (_entries.Count == 0 || _entries[^1] != line)) _entries.Add(line);
        ResetWalk();
    }

    public void ResetWalk()
    {
        _position = _entries.Count;
        _draft = "";
    }

    /// <summary>The entry before the current one, or null at the oldest. <paramref name="current"/> is the line on screen.</summary>
    public string? Previous(string current)
    {
        if (_position == 0) return null;
        if (_position == _entries.Count) _draft = current;
        return _entries[--_position];
    }

    /// <summary>The entry after the current one, the draft after the newest, or null when not walking.</summary>
    public string? Next()
    {
        if (_position >= _entries.Count) return null;
        _position++;
        return _position == _entries.Count ? _draft : _entries[_position];
    }
}
