namespace NewsSearch.Engine.Analysis;

/// <summary>An immutable set of words the segmenter keeps whole.</summary>
public sealed class WordSet
{
    private readonly HashSet<string> _words;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _maxLength;

    public static readonly WordSet Empty = new([]);

    public WordSet(IEnumerable<string> words)
    {
        _words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in words)
        {
            var folded = ChineseNormalizer.Normalize(w.Trim());
            if (folded.Length < 2 || folded.StartsWith('#')) continue;
            _words.Add(folded);
            _maxLength = Math.Max(_maxLength, folded.Length);
        }
        _lookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _words.Count;

    public bool Contains(string word) => _words.Contains(word);

    /// <summary>Non-overlapping dictionary words in <paramref name="run"/>, longest match first, left to right.</summary>
    public List<(int Start, int End)> FindWords(ReadOnlySpan<char> run)
    {
        var found = new List<(int, int)>();
        var i = 0;
        while (i < run.Length)
        {
            var matched = 0;
            for (var len = Math.Min(_maxLength, run.Length - i); len >= 2; len--)
            {
                if (_lookup.Contains(run.Slice(i, len))) { matched = len; break; }
            }
            if (matched > 0) { found.Add((i, i + matched)); i += matched; }
            else i++;
        }
        return found;
    }
}

/// <summary>
/// The user dictionary: a plain-text file, one word per line ('#' starts a comment). <see cref="Current"/> is swapped
/// atomically when the file is reloaded, so analysis always sees one consistent word set.
/// </summary>
public sealed class UserDictionary
{
    private volatile WordSet _current = WordSet.Empty;
    private DateTime _loadedWriteTime;
    private long _loadedLength = -1;

    public UserDictionary(string? path = null)
    {
        Path = path;
        Reload();
    }

    /// <summary>Creates a dictionary holding <paramref name="words"/>, with no file behind it.</summary>
    public static UserDictionary Of(params string[] words) => new() { _current = new WordSet(words) };

    public string? Path { get; }

    public WordSet Current => _current;

    /// <summary>Reloads the file if it changed since the last load; returns true when the word set changed.</summary>
    public bool Reload()
    {
        if (Path is null) return false;
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            if (_current.Count == 0) return false;
            _current = WordSet.Empty;
            _loadedLength = -1;
            return true;
        }
        if (info.LastWriteTimeUtc == _loadedWriteTime && info.Length == _loadedLength) return false;
        _loadedWriteTime = info.LastWriteTimeUtc;
        _loadedLength = info.Length;
        _current = new WordSet(File.ReadAllLines(Path));
        return true;
    }
}
