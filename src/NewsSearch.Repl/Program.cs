using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

var services = new ServiceCollection();
services.AddNewsSearchClient(o =>
{
    o.Addresses = [new Uri(options.Address)];
    o.DefaultDeadline = ReplSession.Deadline;
    o.ApiKey = Environment.GetEnvironmentVariable(ReplOptions.ApiKeyVariable);
});
await using var provider = services.BuildServiceProvider();
ArticleSearch.ArticleSearchClient client;
try
{
    client = provider.GetRequiredService<ArticleSearch.ArticleSearchClient>();
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine(string.Join('\n', e.Failures));
    return 2;
}
var renderer = new ResultRenderer(colour ? HighlightStyle.Ansi : HighlightStyle.Brackets, ResultRenderer.Shanghai());
var session = new ReplSession(client, options.Address, renderer, Console.Out);
// Ctrl-C while a call is in flight cancels the call, not the REPL (while typing, the line editor handles it).
Console.CancelKeyPress += (_, e) => e.Cancel = session.CancelCall();

ILineReader reader = interactive ? new LineEditor(Console.Out) : new PlainLineReader(Console.In, Console.Out);
await session.RunAsync(reader);
return 0;
