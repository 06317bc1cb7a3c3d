namespace MpegCoder.Streaming;

/// <summary>
/// Wakes readers waiting for the next stored frame, without costing the writer an allocation.
/// </summary>
/// <remarks>
/// Invariants: a waiter first takes <see cref="WaitAsync"/>'s task, then checks the ring, then awaits the
/// task; the writer first publishes a frame, then calls <see cref="Notify"/>. Both steps are ordered by
/// interlocked operations, so a frame published between a waiter's check and its await still completes
/// the task it holds: no wake-up is lost. The task source is made by the first waiter (the writer only
/// swaps it out and completes it), and its continuations run asynchronously, never on the writer thread.
/// After <see cref="Close"/> every wait completes at once.
/// </remarks>
internal sealed class FrameSignal
{
    private static readonly Task Completed = Task.CompletedTask;
    private TaskCompletionSource? _next;
    private volatile bool _closed;

    /// <summary>A task that completes at the next <see cref="Notify"/> or <see cref="Close"/>.</summary>
    public Task WaitAsync()
    {
        if (_closed) return Completed;
        var current = Volatile.Read(ref _next);
        if (current is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            current = Interlocked.CompareExchange(ref _next, created, null) ?? created;
        }
        // Close may have run between the check above and the publication: do not wait forever.
        return _closed ? Completed : current.Task;
    }

    /// <summary>Writer: a frame was published.</summary>
    public void Notify() => Interlocked.Exchange(ref _next, null)?.TrySetResult();

    /// <summary>The stream has ended: wake everyone, now and from now on.</summary>
    public void Close()
    {
        _closed = true;
        Notify();
    }
}
