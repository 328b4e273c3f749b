namespace NewsSearch.Repl.Input;

/// <summary>
/// Where text lands on a terminal that wraps at <c>columns</c> cells: a wide character that does not fit in what is
/// left of a row moves whole to the next row, as terminals do.
/// </summary>
internal static class TerminalLayout
{
    /// <summary>
    /// The row and column (from the start of <paramref name="text"/>, which starts at column 0) where the cursor
    /// stands in front of <c>text[index]</c>, or after the text when <paramref name="index"/> is its length.
    /// </summary>
    public static (int Row, int Column) Locate(string text, int index, int columns)
    {
        columns = Math.Max(columns, 2);
        int row = 0, column = 0;
        for (var i = 0; i < index; i++)
        {
            var w = DisplayWidth.At(text, i);
            if (w == 0) continue;
            if (column + w > columns) { row++; column = 0; }
            column += w;
        }
        var next = index < text.Length ? DisplayWidth.At(text, index) : 0;
        if (column >= columns || (next > 0 && column + next > columns)) { row++; column = 0; }
        return (row, column);
    }
}
