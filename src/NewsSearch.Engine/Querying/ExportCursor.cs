using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// A position in an export's order: the sort key of the last article sent (<see cref="Indexing.ArticleFields.OldestKey"/>:
/// the publication instant, <see cref="long.MaxValue"/> when undated) and its id. A position rather than an offset or a
/// Lucene doc number, so that it means the same in any later view of the index.
/// </summary>
internal readonly record struct ExportPosition(long Key, string Id);

/// <summary>
/// Export cursors: an <see cref="ExportPosition"/> bound to the query and date range it was issued for and
/// authenticated with the page-token key (HMAC-SHA256), so a client can neither forge a position nor carry one over to
/// another export. Layout before base64url: version (1 byte, never a page token's), key (8, big-endian), request
/// fingerprint (8), id (UTF-8), the first 16 bytes of the HMAC over all that. One instance serves one export: the
/// fingerprint of its request is computed once and the key prepared once, not once per item sent; dispose it with
/// the export.
/// </summary>
internal sealed class ExportCursors : IDisposable
{
    public const string Field = "cursor";
    private const byte Version = 0xE1;
    private const int HeaderLength = 1 + 8 + 8, MacLength = 16;
    // Ids are at most 512 characters, so at most 2,048 UTF-8 bytes; base64 of the whole is under 2,800 characters.
    private const int MaxCursorChars = 4096;

    private readonly PageTokens.Signer _signer;
    private readonly byte[] _fingerprint = new byte[8];

    /// <param name="signer">The page-token key's signer.</param>
    /// <param name="scope">What the cursors are bound to: the export's query and range, as given.</param>
    public ExportCursors(PageTokens signer, SearchRequest scope)
    {
        _signer = signer.NewSigner();
        PageTokens.Fingerprint(scope, _fingerprint);
    }

    public void Dispose() => _signer.Dispose();

    public string Encode(ExportPosition position)
    {
        var idBytes = Encoding.UTF8.GetByteCount(position.Id);
        var cursor = new byte[HeaderLength + idBytes + MacLength];
        cursor[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(cursor.AsSpan(1, 8), position.Key);
        _fingerprint.CopyTo(cursor.AsSpan(9, 8));
        Encoding.UTF8.GetBytes(position.Id, cursor.AsSpan(HeaderLength, idBytes));
        _signer.Mac(cursor.AsSpan(0, HeaderLength + idBytes), cursor.AsSpan(HeaderLength + idBytes));
        return Base64Url.EncodeToString(cursor);
    }

    /// <summary>The position a cursor carries, or null for no cursor.</summary>
    /// <exception cref="InvalidRequestException">The cursor was not issued by this service, or not for this query and range.</exception>
    public ExportPosition? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return null;
        const string notIssued = "cursor is not a cursor this service issued; pass an ExportItem.cursor unchanged, or none to start again";
        if (cursor.Length > MaxCursorChars || !Base64Url.IsValid(cursor.AsSpan(), out var length) || length < HeaderLength + 1 + MacLength)
            throw new InvalidRequestException(Field, notIssued);
        var bytes = Base64Url.DecodeFromChars(cursor);
        var signed = bytes.AsSpan(0, bytes.Length - MacLength);
        Span<byte> expected = stackalloc byte[MacLength];
        _signer.Mac(signed, expected);
        if (bytes[0] != Version || !CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(signed.Length)))
            throw new InvalidRequestException(Field, notIssued);
        if (!_fingerprint.AsSpan().SequenceEqual(bytes.AsSpan(9, 8)))
            throw new InvalidRequestException(Field, "cursor belongs to an export of a different query or date range; start again without a cursor");
        return new ExportPosition(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1, 8)), Encoding.UTF8.GetString(signed[HeaderLength..]));
    }
}
