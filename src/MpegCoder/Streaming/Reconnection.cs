using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MpegCoder.Lifecycle;

namespace MpegCoder.Streaming;

/// <summary>
/// What the writer does without a connection: after a loss, reopens the stream per the
/// <see cref="ReconnectPolicy"/> (attempts counted from 1, the policy's delays with jitter between them, each
/// failure logged, until one succeeds or the attempts run out); after a stop that cut a read short, resumes
/// on a fresh connection. It moves the state to <see cref="StreamState.Connecting"/> and
/// <see cref="StreamState.Reconnecting"/>, and says why the stream must end when it cannot go on.
/// </summary>
/// <remarks>
/// Threads: the writer's, one writer at a time (a new one starts only after the last one ended), so the
/// attempts need no lock; <c>_reopenOnStart</c> passes from a writer to the next. A stop ends a delay at
/// once (<see cref="StopRequest.Wait"/>) and a reopen within the interrupt's grace.
/// </remarks>
internal sealed class Reconnection(string url, ReconnectPolicy? policy, StopRequest stop, StreamLog log, ConnectionSlot connections, StateTransitions states, StreamCounters counters)
{
    /// <summary>Why a file source ended: its last frame was read. The one loss that never reconnects.</summary>
    public const string EndOfFile = "the stream ended: end of file";

    private readonly Random _jitter = new();
    private volatile bool _reopenOnStart;

    /// <summary>
    /// Writer, stopped in the middle of a read: the demuxer may be out of step (RTSP interleaved over TCP cut
    /// mid-packet), so the connection is dropped and the next writer resumes on a fresh one.
    /// </summary>
    public void ReopenAtNextStart()
    {
        connections.Replace(null);
        _reopenOnStart = true;
    }

    /// <summary>
    /// Writer: the connection ended for <paramref name="reason"/>. With a policy, drops the connection and
    /// goes to <see cref="StreamState.Reconnecting"/> (true); without one, or at a file's end, the stream
    /// ends for that reason (false): reconnecting to a file would replay it from the start forever.
    /// </summary>
    public bool Lost(string reason)
    {
        if (policy is null || ReferenceEquals(reason, EndOfFile)) return false;
        log.Error(reason);
        connections.Replace(null);
        states.Set(StreamState.Reconnecting, reason);
        return true;
    }

    /// <summary>
    /// Writer, with no connection: opens a new one. True when there is one; false when a stop came first
    /// (<paramref name="end"/> null: the next Start goes on from here) or when the stream must end
    /// (<paramref name="end"/> says why).
    /// </summary>
    public bool Restore(out string? end)
    {
        Debug.Assert(connections.Current is null, "a connection is restored only once it is gone");
        end = null;
        if (_reopenOnStart)
        {
            // A stop cut a read short: the demuxer may be out of step, so resume on a fresh connection.
            _reopenOnStart = false;
            states.Set(StreamState.Connecting, null);
            if (connections.TryReopen(out string? why)) return true;
            if (stop.Interrupt.StopRequested)
            {
                _reopenOnStart = true;
                return false;
            }
            if (policy is null)
            {
                end = why!;
                return false;
            }
            states.Set(StreamState.Reconnecting, why);
        }
        return Retry(out end);
    }

    /// <summary>Waits and reopens per the policy; false when stopped or when the policy gives up (<paramref name="end"/> says so).</summary>
    private bool Retry(out string? end)
    {
        // Only a policy leaves the writer without a connection but for a cut read, which Restore reopened first.
        Debug.Assert(policy is not null, "no policy, yet the writer is to reconnect");
        var reconnect = policy!;
        end = null;
        // Attempts count from 1 after each loss, and again in a writer started after a stop: the writer comes
        // here only after streaming, or as a new writer that finds the connection gone.
        int attempt = 0;
        while (true)
        {
            attempt++;
            if (reconnect.MaxAttempts is { } max && attempt > max)
            {
                end = $"gave up after {max} reconnect attempt(s); last error: {log.LastError}";
                return false;
            }
            if (stop.Wait(reconnect.DelayBefore(attempt, _jitter))) return false;
            if (connections.TryReopen(out string? why))
            {
                Interlocked.Increment(ref counters.Reconnects);
                log.Write(LogLevel.Information, $"reconnected to {AddressRedaction.Redact(url)} (attempt {attempt})");
                return true;
            }
            if (stop.Interrupt.StopRequested) return false;
            log.Remember(why!);
            log.Write(LogLevel.Warning, $"reconnect attempt {attempt} failed: {why}");
        }
    }
}
