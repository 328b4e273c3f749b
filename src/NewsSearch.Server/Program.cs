using NewsSearch.Server;
using Serilog;

Log.Logger = new LoggerConfiguration().WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateBootstrapLogger();
try
{
    if (SnapshotCommand.Destination(args) is { } snapshot) return SnapshotCommand.Run(snapshot, SnapshotCommand.WithoutFlag(args));
    return ServerProgram.IsReindex(args)
        ? ReindexCommand.Run(ServerProgram.WithoutReindexFlag(args))
        : await ServerProgram.RunAsync(args);
}
catch (Exception e) when (StartupFailure.Describe(e, ServerProgram.ListeningUrls(args), ServerProgram.MetricsUrl(args)) is { } reasons)
{
    // Configuration and resources held elsewhere: one sentence each, the stack trace only at Debug.
    var log = Log.ForContext("SourceContext", "NewsSearch.Server");
    foreach (var reason in reasons) log.Fatal("Cannot start: {Reason}", reason);
    log.Debug(e, "Start-up failure in detail");
    return StartupFailure.ExitCode;
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
