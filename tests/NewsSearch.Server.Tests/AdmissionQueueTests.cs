namespace NewsSearch.Server.Tests;

/// <summary>One lane's turns and their order, on a clock the test moves.</summary>
public class AdmissionQueueTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Ms;
        public override long GetTimestamp() => Ms;
        public override long TimestampFrequency => 1000;
    }

    private readonly ManualClock _clock = new();

    /// <summary>A queue of one turn, taken, with callers "a", "b", "c" waiting in that order; the order they get turns in.</summary>
    private async Task<(AdmissionQueue Queue, List<string> Served, Dictionary<string, Task<bool>> Calls)> OneTurnThreeWaiting()
    {
        var queue = new AdmissionQueue(permits: 1, queueLimit: 10, _clock);
        Assert.That(queue.TryEnter(), Is.True);
        var served = new List<string>();
        var calls = new Dictionary<string, Task<bool>>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            calls[name] = Enter(queue, name, served);
            _clock.Ms += 10;
        }
        await WaitFor(() => queue.Waiting == 3);
        return (queue, served, calls);
    }

    private static async Task<bool> Enter(AdmissionQueue queue, string name, List<string> served, CancellationToken cancel = default)
    {
        var entered = await queue.EnterAsync(cancel);
        lock (served) served.Add(name);
        return entered;
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.That(condition(), Is.True);
    }

    [Test]
    public async Task ATurnGivenBack_GoesToTheOldestWaiter_WhileTheQueueDrains()
    {
        var (queue, served, calls) = await OneTurnThreeWaiting();
        queue.Exit();
        await calls["a"];
        Assert.That(served, Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public async Task ATurnGivenBack_GoesToTheNewestWaiter_OnceTheOldestHasWaitedTooLong()
    {
        var (queue, served, calls) = await OneTurnThreeWaiting();
        _clock.Ms += (long)AdmissionQueue.NewestFirstAfter.TotalMilliseconds;
        queue.Exit();
        await calls["c"];
        queue.Exit();
        await calls["b"];
        Assert.That(served, Is.EqualTo(new[] { "c", "b" }));
    }

    [Test]
    public async Task AWaiterThatGivesUp_LeavesTheQueue_AndNoTurnIsLost()
    {
        var queue = new AdmissionQueue(permits: 1, queueLimit: 10, _clock);
        Assert.That(queue.TryEnter(), Is.True);
        using var cancel = new CancellationTokenSource();
        var call = queue.EnterAsync(cancel.Token).AsTask();
        await WaitFor(() => queue.Waiting == 1);
        cancel.Cancel();
        Assert.ThrowsAsync<TaskCanceledException>(async () => await call);
        Assert.That(queue.Waiting, Is.Zero);
        queue.Exit();
        Assert.Multiple(() =>
        {
            Assert.That(queue.Running, Is.Zero, "the turn went back to the pool, not to the caller that left");
            Assert.That(queue.TryEnter(), Is.True);
        });
    }

    [Test]
    public async Task ACallerBeyondTheQueueLimit_IsToldAtOnce()
    {
        var queue = new AdmissionQueue(permits: 1, queueLimit: 1, _clock);
        Assert.That(queue.TryEnter(), Is.True);
        var waiting = queue.EnterAsync(default).AsTask();
        Assert.That(await queue.EnterAsync(default), Is.False);
        queue.Exit();
        Assert.That(await waiting, Is.True);
    }

    [Test]
    public async Task ManyCallersEnteringAndLeavingAtOnce_NeverHoldMoreTurnsThanThereAre()
    {
        var queue = new AdmissionQueue(permits: 3, queueLimit: 1000, TimeProvider.System);
        var holding = 0;
        var most = 0;
        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(i % 7 == 0 ? 1 : 10_000));
            try
            {
                if (!await queue.EnterAsync(cancel.Token)) return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var now = Interlocked.Increment(ref holding);
            InterlockedMax(ref most, now);
            await Task.Yield();
            Interlocked.Decrement(ref holding);
            queue.Exit();
        }));
        Assert.Multiple(() =>
        {
            Assert.That(most, Is.InRange(1, 3));
            Assert.That(queue.Running, Is.Zero);
            Assert.That(queue.Waiting, Is.Zero);
        });
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
