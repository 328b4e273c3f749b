using System.Text;
using Grpc.Net.Client;
using NewsSearch.Api.V1;
using NewsSearch.Repl;
using NewsSearch.Repl.Input;
using NewsSearch.Repl.Rendering;

var (options, error) = ReplOptions.Parse(args, Environment.GetEnvironmentVariable(ReplOptions.AddressVariable));
if (options is null)
{
    Console.Error.WriteLine(error);
    return 2;
}
if (options.ShowUsage)
{
    Console.WriteLine(ReplOptions.Usage);
    return 0;
}

if (OperatingSystem.IsWindows()) Console.InputEncoding = Console.OutputEncoding = Encoding.UTF8;
var interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;
var colour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null or ""
    && Environment.GetEnvironmentVariable("TERM") != "dumb";

using var channel = GrpcChannel.ForAddress(options.Address);
var renderer = new ResultRenderer(colour ? HighlightStyle.Ansi : HighlightStyle.Brackets, ResultRenderer.Shanghai());
var session = new ReplSession(new ArticleSearch.ArticleSearchClient(channel), options.Address, renderer, Console.Out);
// Ctrl-C while a call is in flight cancels the call, not the REPL (while typing, the line editor handles it).
Console.CancelKeyPress += (_, e) => e.Cancel = session.CancelCall();

ILineReader reader = interactive ? new LineEditor(Console.Out) : new PlainLineReader(Console.In, Console.Out);
await session.RunAsync(reader);
return 0;
