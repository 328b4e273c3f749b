using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Grpc.Core;
using NewsSearch.Api.V1;
using NewsSearch.Repl.Commands;
using NewsSearch.Repl.Input;
using NewsSearch.Repl.Rendering;

namespace NewsSearch.Repl;

/// <summary>Reads lines, interprets them and carries the commands out against the service, one call at a time.</summary>
internal sealed class ReplSession(ArticleSearch.ArticleSearchClient client, string address, ResultRenderer renderer, TextWriter output)
{
    public const string Prompt = "search> ";
    /// <summary>How long a call may take: the client's default deadline.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private LastSearch? _last;
    private CancellationTokenSource? _call;

    public ReplSettings Settings { get; private set; } = ReplSettings.Default;

    /// <summary>The search :next continues: its request, the rank its next page starts at, and the token for that page.</summary>
    private sealed record LastSearch(SearchRequest Request, int NextRank, string NextPageToken)
    {
        /// <summary>The rank of the page's first hit: what :explain counts from.</summary>
        public int FirstRank { get; init; } = 1;
    }

    public async Task RunAsync(ILineReader reader)
    {
        output.WriteLine($"News search at {address}. Type words to search, :help for commands, :quit to leave.");
        while (true)
        {
            var command = CommandInterpreter.Parse(reader.ReadLine(Prompt), Settings);
            if (!await ExecuteAsync(command)) return;
        }
    }

    /// <summary>Cancels the call in flight (Ctrl-C); false when there is none.</summary>
    public bool CancelCall()
    {
        var call = _call;
        if (call is null) return false;
        try { call.Cancel(); } catch (ObjectDisposedException) { return false; }
        return true;
    }

    /// <summary>Carries out <paramref name="command"/>; false when the REPL should end.</summary>
    public async Task<bool> ExecuteAsync(Command command)
    {
        switch (command)
        {
            case QuitCommand:
                return false;
            case NoCommand:
                break;
            case HelpCommand:
                output.Write(ResultRenderer.Help(Settings, address));
                break;
            case SettingsCommand s:
                Settings = s.Settings;
                output.WriteLine(s.Message);
                break;
            case InvalidCommand i:
                output.WriteLine(i.Message);
                break;
            case SearchCommand s:
                await CallAsync(o => SearchAsync(SearchRequests.For(s.Query, Settings), 1, o));
                break;
            case NextPageCommand:
                if (_last is null) output.WriteLine("No search yet: type some words first.");
                else if (_last.NextPageToken.Length == 0) output.WriteLine("No next page: the last search has no more hits.");
                else
                {
                    var request = _last.Request.Clone();
                    request.PageToken = _last.NextPageToken;
                    var rank = _last.NextRank;
                    await CallAsync(o => SearchAsync(request, rank, o));
                }
                break;
            case ExplainCommand x:
                await ExplainAsync(x.Rank);
                break;
            case GetArticleCommand g:
                await CallAsync(async o =>
                {
                    var watch = Stopwatch.StartNew();
                    var article = await client.GetArticleAsync(new GetArticleRequest { Id = g.Id }, o);
                    output.Write(renderer.Article(article, watch.Elapsed));
                });
                break;
            case StatsCommand:
                await CallAsync(async o =>
                {
                    var watch = Stopwatch.StartNew();
                    var stats = await client.GetStatsAsync(new GetStatsRequest(), o);
                    output.Write(renderer.Stats(stats, watch.Elapsed));
                });
                break;
        }
        return true;
    }

    private async Task SearchAsync(SearchRequest request, int firstRank, CallOptions options)
    {
        var watch = Stopwatch.StartNew();
        var response = await client.SearchAsync(request, options);
        var elapsed = watch.Elapsed;
        _last = new LastSearch(request, firstRank + response.Hits.Count, response.NextPageToken) { FirstRank = firstRank };
        output.Write(renderer.Search(request.Query, response, firstRank, elapsed));
    }

    /// <summary>Asks for the last page again with explain, and shows hit <paramref name="rank"/>'s explanation.</summary>
    private async Task ExplainAsync(int rank)
    {
        var last = _last;
        if (last is null)
        {
            output.WriteLine("No search yet: type some words first.");
            return;
        }
        if (rank < last.FirstRank || rank >= last.NextRank)
        {
            output.WriteLine(last.NextRank == last.FirstRank
                ? "The last page has no hits to explain."
                : $"No hit {rank} on the last page: choose {last.FirstRank}-{last.NextRank - 1}.");
            return;
        }
        var request = last.Request.Clone();
        request.Explain = true;
        await CallAsync(async o =>
        {
            var response = await client.SearchAsync(request, o);
            var i = rank - last.FirstRank;
            output.Write(i < response.Hits.Count
                ? renderer.Explanation(rank, response.Hits[i])
                : $"Hit {rank} is gone: the index changed since the search. Search again.\n");
        });
    }

    private async Task CallAsync(Func<CallOptions, Task> call)
    {
        using var cancel = new CancellationTokenSource();
        _call = cancel;
        try
        {
            // No deadline here: the client gives every call the default one (Deadline, set in Program.cs).
            await call(new CallOptions(cancellationToken: cancel.Token));
        }
        catch (RpcException e)
        {
            output.WriteLine(Describe(e, address));
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            output.WriteLine(NoService(address));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            output.WriteLine("Cancelled.");
        }
        finally
        {
            _call = null;
        }
    }

    public static string NoService(string address) =>
        $"No search service answers at {address}. Start one with: dotnet run --project src/NewsSearch.Server";

    /// <summary>A failed call in words a developer can act on.</summary>
    public static string Describe(RpcException e, string address)
    {
        var detail = string.IsNullOrWhiteSpace(e.Status.Detail) ? e.StatusCode.ToString() : e.Status.Detail;
        return e.StatusCode switch
        {
            StatusCode.Unavailable => NoService(address),
            _ when e.Status.DebugException is { } inner && IsConnectionFailure(inner) => NoService(address),
            StatusCode.InvalidArgument => $"Invalid request: {detail}",
            StatusCode.NotFound => $"Not found: {detail}",
            StatusCode.DeadlineExceeded =>
                $"No answer from {address} within {Deadline.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.",
            StatusCode.Cancelled => "Cancelled.",
            StatusCode.Unimplemented => $"Something answers at {address}, but not as a news search service: {detail}",
            _ => $"The service at {address} failed ({e.StatusCode}): {detail}",
        };
    }

    private static bool IsConnectionFailure(Exception e) => e switch
    {
        HttpRequestException or SocketException => true,
        { InnerException: { } inner } => IsConnectionFailure(inner),
        _ => false,
    };
}
