using System.Diagnostics;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder.Lifecycle;

/// <summary>
/// The one way every face stops its work: a stop request that cancels the managed waits (pacing, a
/// reconnect delay, a queue) through <see cref="Token"/> and makes FFmpeg's interrupt callback give up
/// (<see cref="Interrupt"/>), and a join of the worker thread that never waits for itself and never
/// waits past a deadline.
/// </summary>
/// <remarks>
/// <para>
/// The rule it implements: a stop (Dispose, Pause, Terminate, Clear, StopAsync) may come from any thread,
/// event handlers the library raises on its own worker threads included, any number of times, and returns
/// promptly. Called on the worker itself (a handler), it only asks: the worker sees the request when the
/// handler returns and ends by itself. Called elsewhere, it waits for the worker at most
/// <see cref="JoinTimeout"/>; a worker still busy then (a handler that blocks) is left to end by itself, and
/// the owner hands the release of its native objects to the worker's exit.
/// </para>
/// <para>
/// Threads: <see cref="Request"/>, <see cref="IsRequested"/>, <see cref="Token"/> and <see cref="Join"/> are
/// safe from any thread. <see cref="Reset"/> is the owner's, once no worker that saw the request still runs.
/// </para>
/// </remarks>
internal sealed class StopRequest
{
    /// <summary>
    /// How long a stop waits for a worker thread. Every blocking native call gives up within the stop's
    /// grace (<see cref="StreamInterrupt"/>), so a worker that has not ended by then is running the
    /// application's own code (a handler that blocks); waiting longer would hang the caller with it.
    /// </summary>
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(5);

    private CancellationTokenSource _cancel = new();

    /// <param name="interrupt">The interrupt the worker's FFmpeg calls use; null for a new one.</param>
    public StopRequest(StreamInterrupt? interrupt = null) => Interrupt = interrupt ?? new StreamInterrupt();

    /// <summary>What FFmpeg's interrupt callback answers for the worker's blocking calls.</summary>
    public StreamInterrupt Interrupt { get; }

    /// <summary>Cancelled by <see cref="Request"/>: managed waits of the worker take it.</summary>
    public CancellationToken Token => Volatile.Read(ref _cancel).Token;

    public bool IsRequested => Volatile.Read(ref _cancel).IsCancellationRequested;

    /// <summary>Asks the worker to stop: interrupts its blocking FFmpeg call (after the interrupt's grace) and cancels its waits. Any thread, any number of times.</summary>
    public void Request()
    {
        Interrupt.RequestStop();
        Volatile.Read(ref _cancel).Cancel();
    }

    /// <summary>Cancels the worker's waits only; its blocking FFmpeg call goes on (a close that still writes its trailer).</summary>
    public void CancelWaits() => Volatile.Read(ref _cancel).Cancel();

    /// <summary>
    /// Like <see cref="Request"/>, with no grace: the blocking call in progress and every later one give
    /// up at once. For outputs released without their trailer, where nothing is left to protect.
    /// </summary>
    public void Abort()
    {
        Interrupt.Abort();
        Volatile.Read(ref _cancel).Cancel();
    }

    /// <summary>
    /// Withdraws the request, for a worker started again (or one that has not yet seen it). The token is
    /// replaced, not reset, so a wait that took the old one still sees it cancelled.
    /// </summary>
    public void Reset()
    {
        Interrupt.ClearStop();
        if (Volatile.Read(ref _cancel).IsCancellationRequested) Volatile.Write(ref _cancel, new CancellationTokenSource());
    }

    /// <summary>
    /// Waits until the stop is requested (true) or <paramref name="timeout"/> passes (false): the worker's
    /// sleep that a stop cuts short.
    /// </summary>
    public bool Wait(TimeSpan timeout) => Token.WaitHandle.WaitOne(timeout);

    /// <summary>Whether the calling thread is <paramref name="worker"/>: a handler raised by the worker itself.</summary>
    public static bool IsCurrent(Thread? worker) => worker is not null && worker == Thread.CurrentThread;

    /// <summary>
    /// Waits for <paramref name="worker"/> to end, at most <paramref name="timeout"/> (default
    /// <see cref="JoinTimeout"/>). Returns true when it has ended (or there was none); false at once when
    /// called on the worker itself, and false when the deadline passed: the worker then still runs and
    /// must release what it uses when it ends.
    /// </summary>
    public static bool Join(Thread? worker, TimeSpan? timeout = null)
    {
        if (worker is null) return true;
        if (IsCurrent(worker)) return false;
        bool ended = worker.Join(timeout ?? JoinTimeout);
        Debug.Assert(ended || worker.IsAlive);
        return ended;
    }
}
