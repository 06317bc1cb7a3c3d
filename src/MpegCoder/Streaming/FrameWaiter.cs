namespace MpegCoder.Streaming;

/// <summary>
/// The readers' waits for the writer, blocking and asynchronous: until a condition on the ring holds (true),
/// the stream ends (false) or, for a blocking wait, a timeout passes (false). No polling: the writer wakes
/// the waiters through the <see cref="FrameSignal"/>.
/// </summary>
/// <remarks>
/// Invariant: each round takes the signal's task <em>before</em> it checks the condition, so a frame stored
/// (or an end) between the check and the wait completes the task already held: no wake-up is lost (see
/// <see cref="FrameSignal"/>). The condition is checked before the end, so what was ready when the stream
/// ended is still read.
/// </remarks>
internal sealed class FrameWaiter(FrameSignal signal, IWriterStatus writer)
{
    /// <summary>Waits until <paramref name="ready"/> holds (true) or the stream has ended (false).</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async ValueTask<bool> WaitUntilAsync(Func<bool> ready, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = signal.WaitAsync(); // take the task before checking: no lost wake-up
            if (ready()) return true;
            if (writer.Ended) return false;
            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The blocking form of <see cref="WaitUntilAsync"/>, up to <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/>: no limit).</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public bool WaitUntil(Func<bool> ready, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            var next = signal.WaitAsync(); // take the task before checking: no lost wake-up
            if (ready()) return true;
            if (writer.Ended) return false;
            long left = deadline - Environment.TickCount64;
            if (left <= 0) return false;
            next.Wait((int)Math.Min(left, int.MaxValue), cancellationToken);
        }
    }
}
