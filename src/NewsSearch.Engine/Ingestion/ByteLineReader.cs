namespace NewsSearch.Engine.Ingestion;

/// <summary>A file expanded past <see cref="IngestionLimits.MaxDecompressedBytes"/>.</summary>
internal sealed class DecompressedLimitException(long limit)
    : Exception($"the file expands past {limit:N0} bytes (Search:MaxDecompressedBytes); the rest of it is not read");

/// <summary>
/// Splits a stream into '\n'-terminated lines of raw bytes, so each line can be decoded (and rejected) on its own.
/// A returned line is valid until the next call. Memory is bounded: a line longer than the limit is passed over
/// without being held, and the whole stream may not yield more than a set number of bytes.
/// </summary>
internal sealed class ByteLineReader(Stream stream, int maxLineBytes, long maxTotalBytes, CancellationToken cancel = default)
{
    private byte[] _buffer = new byte[Math.Min(1 << 16, maxLineBytes + 1)];
    private int _start, _end;
    private bool _eof;
    private long _total;

    /// <summary>Reads the next line. <paramref name="tooLong"/> is set (and <paramref name="line"/> empty) for a line
    /// longer than the limit, which is skipped to its end.</summary>
    /// <exception cref="DecompressedLimitException">The stream yielded more than the total limit.</exception>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        tooLong = false;
        while (true)
        {
            var nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (nl >= 0)
            {
                line = _buffer.AsMemory(_start, nl - _start);
                _start = nl + 1;
                return true;
            }
            if (_eof)
            {
                if (_start == _end) { line = default; return false; }
                line = _buffer.AsMemory(_start, _end - _start);
                _start = _end;
                return true;
            }
            if (_end - _start > maxLineBytes)
            {
                SkipRestOfLine();
                line = default;
                tooLong = true;
                return true;
            }
            Fill();
        }
    }

    private void SkipRestOfLine()
    {
        _start = _end = 0;
        while (!_eof)
        {
            Fill();
            var nl = Array.IndexOf(_buffer, (byte)'\n', 0, _end);
            if (nl >= 0)
            {
                _start = nl + 1;
                return;
            }
            _start = _end = 0;
        }
    }

    private void Fill()
    {
        cancel.ThrowIfCancellationRequested();
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            // Grows only up to the longest line allowed (plus the byte that shows it is longer).
            var bigger = new byte[(int)Math.Min((long)_buffer.Length * 2, maxLineBytes + 1L)];
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            _buffer = bigger;
        }
        var n = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) _eof = true;
        _end += n;
        _total += n;
        if (_total > maxTotalBytes) throw new DecompressedLimitException(maxTotalBytes);
    }
}
