using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MpegCoder.Pipeline;

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
    private long _stopRequestedAt;
    private long _deadline = long.MaxValue; // Stopwatch timestamp
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

    public void ClearStop()
    {
        _stopRequested = false;
        _cutShort = false;
    }

    /// <summary>Gives the next blocking call until now + <paramref name="timeout"/>.</summary>
    public void Arm(TimeSpan timeout)
    {
        _timedOut = false;
        Volatile.Write(ref _deadline, timeout == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>
    /// Whether a blocking call must give up now, recording why (<see cref="TimedOut"/>, <see cref="CutShort"/>).
    /// FFmpeg's callback asks it; so does <see cref="SftpConnectionWatch"/> for sftp reads, which never call back.
    /// </summary>
    public bool ShouldInterrupt()
    {
        long now = Stopwatch.GetTimestamp();
        if (_stopRequested && now - Volatile.Read(ref _stopRequestedAt) > StopGrace)
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
