using System.Diagnostics;

namespace MpegCoder.Samples.StreamPlayer;

/// <summary>
/// The newest JPEG of a session and a signal for the MJPEG writers waiting for the next one, plus the
/// counters the page shows (frames received, fps over the last two seconds, the newest frame's age).
/// One writer (the pump), any number of readers. Frame numbers keep counting across reconnections.
/// </summary>
internal sealed class FrameFeed
{
    private static readonly TimeSpan FpsWindow = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private readonly Queue<long> _arrivals = new();
    private JpegFrame? _latest;
    private long _received;
    private long _number;
    private bool _closed;
    private TaskCompletionSource _next = NewSignal();

    public JpegFrame? Latest => Volatile.Read(ref _latest);

    /// <summary>Publishes a frame that arrived at <paramref name="arrived"/> (a Stopwatch timestamp) and wakes the writers.</summary>
    public void Publish(byte[] jpeg, long arrived)
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            Volatile.Write(ref _latest, new JpegFrame(jpeg, ++_number, arrived));
            _received++;
            _arrivals.Enqueue(arrived);
            woken = _next;
            _next = NewSignal();
        }
        woken.TrySetResult();
    }

    /// <summary>A new connection: the counters start again (the picture and the numbering go on).</summary>
    public void ResetCounters()
    {
        lock (_gate)
        {
            _received = 0;
            _arrivals.Clear();
        }
    }

    /// <summary>Waits for a frame newer than <paramref name="after"/>; null once the session is closed.</summary>
    public async Task<JpegFrame?> NextAsync(long after, CancellationToken cancel)
    {
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                if (_closed) return null;
                if (_latest is { } latest && latest.Number > after) return latest;
                signal = _next.Task;
            }
            await signal.WaitAsync(cancel);
        }
    }

    public (long Received, double Fps, TimeSpan? NewestAge) Statistics()
    {
        lock (_gate)
        {
            long now = Stopwatch.GetTimestamp();
            while (_arrivals.Count > 0 && Stopwatch.GetElapsedTime(_arrivals.Peek(), now) > FpsWindow)
                _arrivals.Dequeue();
            // Frames per second over the window: intervals between the arrivals still in it.
            double fps = 0;
            if (_arrivals.Count >= 2)
            {
                var span = Stopwatch.GetElapsedTime(_arrivals.Peek(), _arrivals.Last());
                if (span > TimeSpan.Zero) fps = (_arrivals.Count - 1) / span.TotalSeconds;
            }
            TimeSpan? age = _latest is { } latest && _received > 0 ? Stopwatch.GetElapsedTime(latest.ArrivedTimestamp, now) : null;
            return (_received, fps, age);
        }
    }

    /// <summary>The session is gone: every waiting writer ends its stream.</summary>
    public void Close()
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            _closed = true;
            woken = _next;
        }
        woken.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
