using System.Buffers;

namespace NewsSearch.Engine.Ingestion;

/// <summary>
/// Splits a stream into '\n'-terminated lines of raw bytes, so each line can be decoded (and rejected) on its own.
/// A returned line is valid until the next call.
/// </summary>
internal sealed class ByteLineReader(Stream stream) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _start, _end;
    private bool _eof;

    public bool TryReadLine(out ReadOnlyMemory<byte> line)
    {
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
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        var n = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) _eof = true;
        _end += n;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
