namespace NewsSearch.Repl.Input;

/// <summary>Where input lines come from.</summary>
internal interface ILineReader
{
    /// <summary>Shows <paramref name="prompt"/> and returns the next line, or null at end of input (EOF, Ctrl-D).</summary>
    string? ReadLine(string prompt);
}

/// <summary>
/// Plain lines from <see cref="Console.ReadLine"/> for piped or redirected input. The prompt and the line read are
/// echoed so that a transcript shows which line produced which answer.
/// </summary>
internal sealed class PlainLineReader(TextReader input, TextWriter output) : ILineReader
{
    public string? ReadLine(string prompt)
    {
        output.Write(prompt);
        var line = input.ReadLine();
        output.WriteLine(line ?? "");
        return line;
    }
}
