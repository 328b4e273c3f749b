namespace NewsSearch.Server;

/// <summary>
/// One lane of <see cref="SearchAdmission"/>: at most <see cref="Permits"/> holders at once, and at most
/// <see cref="QueueLimit"/> callers waiting for a turn. A freed turn goes to the oldest waiter while it has waited less
/// than <see cref="NewestFirstAfter"/>, and to the newest once the oldest has waited longer (adaptive LIFO).
/// </summary>
/// <remarks>
/// Neither fixed order does both jobs. Oldest first, a queue that stands (more arrives than the lane can run) makes
/// every answered call wait almost the whole queue wait (64 clients pasting on cctv: p50 1,013 ms). Newest first
/// answers most in the time a search takes (p50 64–76 ms), but a call that arrived in a lull and was then overtaken by
/// every later one still waits out the limit (p99 727–860 ms). Oldest first while the queue drains and newest first
/// once it stands: p50 75–77 ms, p99 145–255 ms, the same number answered per second; the oldest wait out their limit
/// and are turned away. (BENCHMARKS.md, "Overload".)
/// </remarks>
internal sealed class AdmissionQueue(int permits, int queueLimit, TimeProvider clock)
{
    /// <summary>How long the oldest waiter may have waited before turns go to the newest.</summary>
    public static readonly TimeSpan NewestFirstAfter = TimeSpan.FromMilliseconds(100);

    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiting = new();
    private int _free = permits;

    public int Permits { get; } = permits;
    public int QueueLimit { get; } = queueLimit;

    /// <summary>Turns held now.</summary>
    public int Running { get { lock (_lock) return Permits - _free; } }

    /// <summary>Callers waiting now.</summary>
    public int Waiting { get { lock (_lock) return _waiting.Count; } }

    private sealed class Waiter(long since) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public long Since { get; } = since;
        public LinkedListNode<Waiter>? Node;
    }

    /// <summary>Takes a turn if one is free and nobody waits for it; call <see cref="Exit"/> when done.</summary>
    public bool TryEnter()
    {
        lock (_lock) return TakeFreeTurn();
    }

    /// <summary>Takes a free turn if nobody waits for it. The caller holds <see cref="_lock"/>.</summary>
    private bool TakeFreeTurn()
    {
        if (_free == 0 || _waiting.Count > 0) return false;
        _free--;
        return true;
    }

    /// <summary>
    /// Waits for a turn: true once it is taken (call <see cref="Exit"/> when done), false at once when
    /// <see cref="QueueLimit"/> callers already wait.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired first; the caller holds no turn.</exception>
    public async ValueTask<bool> EnterAsync(CancellationToken cancel)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (TakeFreeTurn()) return true;
            if (_waiting.Count >= QueueLimit) return false;
            waiter = new Waiter(clock.GetTimestamp());
            waiter.Node = _waiting.AddLast(waiter);
        }
        using (cancel.UnsafeRegister(_ => Abandon(waiter), null))
        {
            await waiter.Task.ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Gives a turn back: to a waiter if there is one, else to the pool.</summary>
    public void Exit()
    {
        Waiter next;
        lock (_lock)
        {
            if (_waiting.First is not { } oldest)
            {
                _free++;
                return;
            }
            next = clock.GetElapsedTime(oldest.Value.Since) >= NewestFirstAfter ? _waiting.Last!.Value : oldest.Value;
            _waiting.Remove(next.Node!);
            next.Node = null;
        }
        next.SetResult(); // the turn passes to it without ever being free
    }

    /// <summary>A waiter's caller gave up: it leaves the queue, unless a turn was already handed to it.</summary>
    private void Abandon(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node is null) return; // granted: EnterAsync returns true, and the caller exits as usual
            _waiting.Remove(waiter.Node);
            waiter.Node = null;
        }
        waiter.SetCanceled();
    }
}
