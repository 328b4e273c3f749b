using Lucene.Net.Codecs.Compressing;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace NewsSearch.Engine.Indexing;

/// <summary>
/// Stored fields' "compression" for <see cref="ArticleCodec"/>: the bytes are written as they are, and a document is
/// read alone, by seeking past the chunk's earlier documents instead of decoding them.
/// </summary>
internal sealed class StoredAsIs : CompressionMode
{
    public static readonly StoredAsIs Instance = new();

    private StoredAsIs() { }

    public override Compressor NewCompressor() => new Writer();

    public override Decompressor NewDecompressor() => new Reader();

    public override string ToString() => nameof(StoredAsIs);

    private sealed class Writer : Compressor
    {
        public override void Compress(byte[] bytes, int off, int len, DataOutput output) => output.WriteBytes(bytes, off, len);
    }

    /// <summary>Reads bytes [offset, offset + length) of a chunk of <c>originalLength</c> bytes that starts at the input's
    /// position, and leaves the input after them, as Lucene's decompressors do (a merge reads whole chunks one after
    /// another). Stateless, so one serves every clone.</summary>
    private sealed class Reader : Decompressor
    {
        public override void Decompress(DataInput input, int originalLength, int offset, int length, BytesRef bytes)
        {
            if (offset < 0 || length < 0 || (long)offset + length > originalLength)
                throw new CorruptIndexException($"stored document at [{offset}, {(long)offset + length}) lies outside its chunk of {originalLength} bytes");
            bytes.Offset = 0;
            bytes.Length = length;
            if (length == 0) return;
            if (input is IndexInput seekable) seekable.Seek(seekable.Position + offset);
            else input.SkipBytes(offset);
            if (bytes.Bytes.Length < length) bytes.Bytes = new byte[ArrayUtil.Oversize(length, 1)];
            input.ReadBytes(bytes.Bytes, 0, length);
        }

        public override object Clone() => this;
    }
}
