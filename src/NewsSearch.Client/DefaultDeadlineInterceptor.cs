using Grpc.Core;

namespace NewsSearch.Client;

/// <summary>
/// Gives a call that names no deadline one <paramref name="deadline"/> from now, so a service that stops answering
/// fails the call instead of holding it forever. A deadline the caller gave, even <see cref="DateTime.MaxValue"/>, stays.
/// </summary>
internal sealed class DefaultDeadlineInterceptor(TimeSpan deadline, TimeProvider time) : CallOptionsInterceptor
{
    protected override CallOptions Adjust(CallOptions options)
    {
        if (options.Deadline is not null) return options;
        var now = time.GetUtcNow().UtcDateTime;
        // A very long default (a benchmark's) must not overflow DateTime.
        return options.WithDeadline(deadline >= DateTime.MaxValue - now ? DateTime.MaxValue : now + deadline);
    }
}
