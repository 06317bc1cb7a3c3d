using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MpegCoder.Decoding;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder.Lifecycle;

/// <summary>
/// What FFmpeg's interrupt callback (AVIOInterruptCB) answers while a blocking open or read runs:
/// "give up" once a stop was requested or the current deadline has passed. FFmpeg polls it from
/// every protocol's I/O loop, so a dead server or a frozen network can never block a caller for
/// longer than the deadline, and Terminate/Clear return at once (the original's defects 1 and 2).
/// </summary>
internal sealed class StreamInterrupt
{
    /// <summary>
    /// How long a stop request lets a read finish by itself before it is interrupted. On a live stream a
    /// read returns within a frame interval, and a writer that stops between two packets leaves the
    /// connection intact, so that Start can resume it (an RTSP-over-TCP read cut in the middle of an
    /// interleaved packet would lose the framing). Only a read that is really blocked gets interrupted.
    /// </summary>
    private static readonly long StopGrace = Stopwatch.Frequency / 4; // 250 ms

    private volatile bool _stopRequested;
    private volatile bool _aborted;
    private long _stopRequestedAt;
    private long _deadline = long.MaxValue; // Stopwatch timestamp
    private long _cap = long.MaxValue; // the longest deadline Arm gives, in Stopwatch ticks (see Hurry)
    private long _armed = long.MaxValue; // the span the last Arm asked for, in Stopwatch ticks
    private volatile bool _timedOut;
    private volatile bool _cutShort;

    public bool StopRequested => _stopRequested;

    /// <summary>Whether the last interruption was a deadline passing, rather than a stop request.</summary>
    public bool TimedOut => _timedOut;

    /// <summary>
    /// Whether a stop request interrupted a blocking call since the last <see cref="ClearStop"/>. The call
    /// may have returned an error, or (av_read_frame flushing its parsers) a packet: either way the
    /// connection may be out of step.
    /// </summary>
    public bool CutShort => _cutShort;

    public void RequestStop()
    {
        Volatile.Write(ref _stopRequestedAt, Stopwatch.GetTimestamp());
        _stopRequested = true;
    }

    /// <summary>A stop with no grace: the call in progress and every later one give up at once (an output released without its trailer).</summary>
    public void Abort()
    {
        _aborted = true;
        RequestStop();
    }

    public void ClearStop()
    {
        _stopRequested = false;
        _aborted = false;
        _cutShort = false;
    }

    /// <summary>
    /// How long the current call may go without progress: what <see cref="Arm"/> gave, or less once
    /// <see cref="Hurry"/> capped it. A timed-out call's message names this, not the I/O timeout it was armed with.
    /// </summary>
    public TimeSpan Limit
    {
        get
        {
            long ticks = Math.Min(Volatile.Read(ref _armed), Volatile.Read(ref _cap));
            return ticks == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
        }
    }

    /// <summary>Gives the next blocking call until now + <paramref name="timeout"/>.</summary>
    public void Arm(TimeSpan timeout)
    {
        _timedOut = false;
        long ticks = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        Volatile.Write(ref _armed, ticks);
        ticks = Math.Min(ticks, Volatile.Read(ref _cap));
        Volatile.Write(ref _deadline, ticks == long.MaxValue ? long.MaxValue : Stopwatch.GetTimestamp() + ticks);
    }

    /// <summary>
    /// From now on no call may block longer than <paramref name="limit"/>: the call in progress and every later
    /// one. A worker that is finishing (a recorder writing its queue and its trailer) goes on while it makes
    /// progress, and gives up as soon as one call stalls that long. Any thread.
    /// </summary>
    public void Hurry(TimeSpan limit)
    {
        long ticks = (long)(limit.TotalSeconds * Stopwatch.Frequency);
        Volatile.Write(ref _cap, ticks);
        long hurried = Stopwatch.GetTimestamp() + ticks;
        long current;
        while ((current = Volatile.Read(ref _deadline)) > hurried && Interlocked.CompareExchange(ref _deadline, hurried, current) != current) { }
    }

    /// <summary>
    /// Whether a blocking call must give up now, recording why (<see cref="TimedOut"/>, <see cref="CutShort"/>).
    /// FFmpeg's callback asks it; so does <see cref="SftpConnectionWatch"/> for sftp reads, which never call back.
    /// </summary>
    public bool ShouldInterrupt()
    {
        long now = Stopwatch.GetTimestamp();
        if (_stopRequested && (_aborted || now - Volatile.Read(ref _stopRequestedAt) > StopGrace))
        {
            _cutShort = true;
            return true;
        }
        if (now <= Volatile.Read(ref _deadline)) return false;
        _timedOut = true;
        return true;
    }

    /// <summary>
    /// Records that a deadline ended the call even though the callback was not asked: a connection that
    /// <see cref="SftpConnectionWatch"/> shut down for a stall keeps failing, whatever the next call's deadline.
    /// </summary>
    public void MarkTimedOut() => _timedOut = true;

    /// <summary>The C callback; its opaque pointer is a GCHandle to a StreamInterrupt.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Callback(nint opaque)
    {
        var state = (StreamInterrupt?)GCHandle.FromIntPtr(opaque).Target;
        return state is not null && state.ShouldInterrupt() ? 1 : 0;
    }
}
