using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Net.Compression;
using Microsoft.Extensions.Options;

namespace NewsSearch.Server;

/// <summary>
/// Checks the gRPC framing of a <c>search.v1.ArticleSearch</c> request before grpc-dotnet reads it: every method takes
/// exactly one message, which must be whole, no larger than the service accepts, and, when marked compressed, named
/// and valid for its encoding. grpc-dotnet answers such errors itself, below any interceptor: UNKNOWN with an error
/// and stack trace in the log (a compressed flag of 2, a length of 0xFFFFFFFF, gzip or deflate data that is not) or
/// INTERNAL (a message cut short, a second message, a compressed one without <c>grpc-encoding</c>). Here they are
/// INVALID_ARGUMENT (RESOURCE_EXHAUSTED for a message over the size limit), with a reason a person can act on.
/// A request that passes is handed on unchanged (its one frame is read here, and read again from memory). Its
/// <c>grpc-timeout</c> is checked first (<see cref="TimeoutProblem"/>). A call refused here is timed into
/// <see cref="RpcDurations"/> like any other when it names one of the service's methods.
/// </summary>
internal sealed class RequestFraming(RequestDelegate next, IOptions<GrpcServiceOptions> grpc, RpcDurations durations)
{
    /// <summary>The service's methods by path: a refusal is recorded under its method only for these, so a client
    /// cannot add series by inventing paths.</summary>
    private static readonly HashSet<string> Methods =
        [.. NewsSearch.Api.V1.ArticleSearch.Descriptor.Methods.Select(m => $"{ServicePath}/{m.Name}")];

    private const string ServicePath = "/search.v1.ArticleSearch";
    private const int HeaderBytes = 5;

    /// <summary>Most a frame's buffer starts with; it doubles as bytes arrive, up to the announced length.</summary>
    private const int InitialBufferBytes = 64 * 1024;

    private readonly int _maxMessageBytes = grpc.Value.MaxReceiveMessageSize ?? 4 * 1024 * 1024;

    /// <summary>The encodings grpc-dotnet decompresses: those configured, or its defaults (gzip, deflate).</summary>
    private readonly ICompressionProvider[] _providers = grpc.Value.CompressionProviders.Count > 0
        ? [.. grpc.Value.CompressionProviders]
        : [new GzipCompressionProvider(CompressionLevel.Fastest), new DeflateCompressionProvider(CompressionLevel.Fastest)];

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments(ServicePath, StringComparison.Ordinal)
            || request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            await next(context);
            return;
        }
        var start = Stopwatch.GetTimestamp();
        if (TimeoutProblem(request.Headers["grpc-timeout"].ToString()) is { } late)
        {
            Refuse(context, start, late.Code, late.Message);
            return;
        }
        var (frame, problem) = await ReadFrame(request, context.RequestAborted);
        if (problem is { } p)
        {
            Refuse(context, start, p.Code, p.Message);
            return;
        }
        request.Body = frame!;
        await next(context);
    }

    private async Task<(MemoryStream? Frame, (StatusCode Code, string Message)? Problem)> ReadFrame(HttpRequest request, CancellationToken cancel)
    {
        var header = new byte[HeaderBytes];
        var got = await request.Body.ReadAtLeastAsync(header, HeaderBytes, throwOnEndOfStream: false, cancel);
        if (got < HeaderBytes)
            return (null, (StatusCode.InvalidArgument, got == 0
                ? "the request holds no message: every method takes one"
                : "the request ended inside its message's 5-byte gRPC header"));
        var compressed = header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (compressed > 1)
            return (null, (StatusCode.InvalidArgument, $"the message's compressed flag is {compressed}; gRPC allows 0 or 1"));
        if (length > _maxMessageBytes)
            return (null, (StatusCode.ResourceExhausted,
                $"the request message is {length.ToString("N0", CultureInfo.InvariantCulture)} bytes; at most {_maxMessageBytes.ToString("N0", CultureInfo.InvariantCulture)} are accepted"));
        var encoding = request.Headers["grpc-encoding"].ToString();
        if (compressed == 1 && (encoding.Length == 0 || encoding == "identity"))
            return (null, (StatusCode.InvalidArgument, "the message is marked compressed but the request names no grpc-encoding"));

        // Read into a buffer that grows as the bytes arrive, never sized from the header alone: a header announcing
        // 4 MiB and then nothing would otherwise hold 4 MiB per stream, before any API key is checked.
        var frameLength = HeaderBytes + (int)length;
        var frame = new byte[Math.Min(frameLength, HeaderBytes + InitialBufferBytes)];
        header.CopyTo(frame, 0);
        var filled = HeaderBytes;
        while (filled < frameLength)
        {
            if (filled == frame.Length) Array.Resize(ref frame, (int)Math.Min(2L * frame.Length, frameLength));
            var n = await request.Body.ReadAsync(frame.AsMemory(filled), cancel);
            if (n == 0)
                return (null, (StatusCode.InvalidArgument,
                    $"the request ended inside its message: {(filled - HeaderBytes).ToString("N0", CultureInfo.InvariantCulture)} of the {length.ToString("N0", CultureInfo.InvariantCulture)} bytes its header announces"));
            filled += n;
        }
        // The header is copied: its first byte can take the probe for a second message.
        if (await request.Body.ReadAsync(header.AsMemory(0, 1), cancel) > 0)
            return (null, (StatusCode.InvalidArgument, "the request holds more than one message; every method takes one"));
        if (compressed == 1 && _providers.FirstOrDefault(p => p.EncodingName == encoding) is { } provider
            && !Decompresses(provider, new MemoryStream(frame, HeaderBytes, (int)length, writable: false), _maxMessageBytes))
            return (null, (StatusCode.InvalidArgument, $"the message is marked {encoding} but is not valid {encoding} data"));
        // An encoding the service does not know: grpc-dotnet answers UNIMPLEMENTED, naming those it accepts.
        return (new MemoryStream(frame, 0, frameLength, writable: false), null);
    }

    /// <summary>True when <paramref name="data"/> decompresses with <paramref name="provider"/>; reading stops past
    /// <paramref name="limit"/> bytes (grpc-dotnet then refuses the message as too large).</summary>
    private static bool Decompresses(ICompressionProvider provider, Stream data, int limit)
    {
        try
        {
            using var stream = provider.CreateDecompressionStream(data);
            var buffer = new byte[16 * 1024];
            long total = 0;
            int n;
            while ((n = stream.Read(buffer)) > 0 && (total += n) <= limit) { }
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>
    /// Why a <c>grpc-timeout</c> header cannot be honoured, or null. grpc-dotnet reads a timeout shorter than its
    /// clock's tick (100 ns: <c>0n</c>, <c>1n</c>, <c>0S</c>) as no deadline at all, and an unreadable one is ignored, so
    /// such calls ran unbounded while their callers believed them bounded. A timeout of zero has passed before the call
    /// arrives: DEADLINE_EXCEEDED, as the gRPC protocol has it; an unreadable one is INVALID_ARGUMENT.
    /// </summary>
    internal static (StatusCode Code, string Message)? TimeoutProblem(string header)
    {
        if (header.Length == 0) return null;
        // The protocol: 1 to 8 ASCII digits, then a unit (Hours, Minutes, Seconds, milliseconds, micro-, nanoseconds).
        var digits = header.AsSpan(0, header.Length - 1);
        var ticksPerUnit = header[^1] switch
        {
            'H' => TimeSpan.TicksPerHour, 'M' => TimeSpan.TicksPerMinute, 'S' => TimeSpan.TicksPerSecond,
            'm' => TimeSpan.TicksPerMillisecond, 'u' => TimeSpan.TicksPerMicrosecond, 'n' => 0L,
            _ => -1L,
        };
        if (ticksPerUnit < 0 || digits.Length is < 1 or > 8 || digits.ContainsAnyExceptInRange('0', '9'))
            return (StatusCode.InvalidArgument,
                $"grpc-timeout '{Printable(header)}' is not a gRPC timeout: 1 to 8 digits and a unit (H, M, S, m, u or n)");
        var value = long.Parse(digits, CultureInfo.InvariantCulture);
        var ticks = ticksPerUnit == 0 ? value / 100 : value * ticksPerUnit;
        return ticks == 0 ? (StatusCode.DeadlineExceeded, $"the call's deadline (grpc-timeout {header}) had passed when it arrived") : null;
    }

    /// <summary>At most 32 characters of a header, control characters shown as '?', for a message.</summary>
    private static string Printable(string header) =>
        string.Concat(header.Take(32).Select(c => char.IsControl(c) ? '?' : c)) + (header.Length > 32 ? "…" : "");

    /// <summary>A trailers-only gRPC response: the status in the headers, no message.</summary>
    private void Refuse(HttpContext context, long start, StatusCode code, string message)
    {
        if (Methods.Contains(context.Request.Path.Value!)) durations.Record(context.Request.Path.Value!, start, code);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }
}
