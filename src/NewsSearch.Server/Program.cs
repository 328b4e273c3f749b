using NewsSearch.Server;
using Serilog;

Log.Logger = new LoggerConfiguration().WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateBootstrapLogger();
try
{
    return ServerProgram.IsReindex(args)
        ? ReindexCommand.Run(ServerProgram.WithoutReindexFlag(args))
        : await ServerProgram.RunAsync(args);
}
catch (Exception e) when (e is not HostAbortedException)
{
    Log.Fatal(e, "The service stopped because of an error it could not handle");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
