using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MpegCoder.Interop;
using MpegCoder.Lifecycle;
using MpegCoder.Recording;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Streaming;

/// <summary>
/// One stream, from its setup to its end, behind one small API that both public faces
/// (<see cref="MpegClient"/> and <see cref="VideoStream"/>) are thin policies over: <see cref="Open"/>,
/// Start/Stop/Dispose, the writer thread, the stream's state, statistics and last error, and its parts:
/// <see cref="Reads"/> (every read and wait: <see cref="FrameReader"/>), the connection
/// (<see cref="ConnectionSlot"/>) and what the writer does without one (<see cref="Reconnection"/>).
/// </summary>
/// <remarks>
/// Threads:
/// <list type="bullet">
/// <item>Start, Stop and Dispose may be called from any thread, the writer's own (a <see cref="StateChanged"/>
///   handler) included, any number of times: <c>_lifecycle</c> orders them, and no one waits under it. A stop
///   waits for the writer through <see cref="StopRequest.Join"/>: never for itself, never past its deadline.
///   Whoever disposes while the writer still runs leaves the release of the native objects to the writer's
///   exit; otherwise Dispose releases them itself. Either way they are released exactly once.</item>
/// <item>While the writer runs, only it reads packets and decodes, and only it replaces or drops the
///   connection (see <see cref="ConnectionSlot"/> for the lock <see cref="DumpFormat"/> shares with it).
///   Stop joins the writer before anything else touches the connection.</item>
/// <item>Readers only touch the output's ring and signal and the counters (see <see cref="FrameReader"/>):
///   managed memory that stays valid after Dispose.</item>
/// </list>
/// The stream has ended (<see cref="Ended"/>) when the remote side closed it, it failed or stalled and there
/// is no reconnect policy, or the policy gave up. Then <see cref="FrameReader.Exhausted"/> tells the faces
/// when nothing is left to read, and Start returns false.
/// </remarks>
internal sealed class StreamSession : IDisposable, IWriterStatus
{
    private readonly StreamInterrupt _interrupt;
    private readonly StopRequest _stop;
    private readonly StreamLog _log;
    private readonly FrameOutput _output;
    private readonly ConnectionSlot _connections;
    private readonly Reconnection _reconnection;
    private readonly StateTransitions _states;
    private readonly object _lifecycle = new(); // _writer and _disposed change under it; nobody waits under it
    private Thread? _writer;
    private volatile bool _ended;
    private volatile bool _disposed;
    private int _released;

    private StreamSession(string url, StreamOptions settings, StreamInterrupt interrupt, StreamLog log, Connection connection, FrameOutput output)
    {
        Url = url;
        Settings = settings;
        _interrupt = interrupt;
        _stop = new StopRequest(interrupt);
        _log = log;
        _output = output;
        MetricTag = StreamMetrics.CameraTag(settings, url);
        _connections = new ConnectionSlot(connection, url, settings, interrupt, log, output, MetricTag);
        _states = new StateTransitions(this, log);
        _reconnection = new Reconnection(url, settings.Reconnect, _stop, log, _connections, _states, output.Counters);
        Reads = new FrameReader(output.Ring, output.Signal, settings, MetricTag, this);
        StreamMetrics.Add(this);
    }

    /// <summary>The <c>camera</c> tag of this stream's measurements (made once: recording it allocates nothing).</summary>
    public KeyValuePair<string, object?> MetricTag { get; }

    /// <summary>What the stream's recorders have done, those that ended included (the recording metrics).</summary>
    public RecordingTotals Recordings { get; } = new();

    /// <summary>Every read of the stream's frames, and the waits for them.</summary>
    public FrameReader Reads { get; }

    /// <summary>When the newest frame was stored (a Stopwatch timestamp), or 0 before the first.</summary>
    public long NewestTimestamp => _output.Ring.NewestTimestamp;

    public string Url { get; }
    /// <summary>The options the stream was opened with (an immutable value).</summary>
    public StreamOptions Settings { get; }
    /// <summary>Output frame size; fixed for the stream's life, whatever the source does.</summary>
    public int Width => _output.Width;
    public int Height => _output.Height;
    public int FrameBytes => _output.Ring.FrameBytes;
    /// <summary>Frames the ring holds: the most one read returns.</summary>
    public int Capacity => _output.Ring.Capacity;
    /// <summary>Frames stored so far.</summary>
    public long Stored => _output.Ring.Published;
    /// <summary>The source as the current (or last) connection found it.</summary>
    public StreamInfo Info => _connections.Info;
    public bool IsRunning => _writer is { IsAlive: true };
    /// <summary>Whether the caller is the writer thread (a <see cref="StateChanged"/> handler).</summary>
    public bool OnWriterThread => StopRequest.IsCurrent(_writer);
    public bool Ended => _ended;
    /// <summary>Why the stream ended; null while it has not.</summary>
    public string? EndReason => _ended ? _log.LastError ?? "closed" : null;
    /// <summary>The stream's one record of what went wrong last (see <see cref="StreamLog"/>).</summary>
    public string? LastError => _log.LastError;
    /// <summary>Where the stream's messages go (its logger, or standard error): a recorder's too.</summary>
    public StreamLog Log => _log;
    public StreamState State => _states.Current;
    public StreamStatistics Statistics => _output.Counters.Snapshot(_output.Ring.Published, _log.LastError);

    /// <summary>The current connection's pipeline, for tests that drive the hot path themselves.</summary>
    internal FramePipeline? CurrentPipeline => _connections.Current?.Pipeline;

    /// <summary>Raised on the thread that makes the change: the caller's, or the writer's.</summary>
    public event EventHandler<StreamStateChangedEventArgs>? StateChanged
    {
        add => _states.Changed += value;
        remove => _states.Changed -= value;
    }

    /// <summary>
    /// The one way to open a stream: loads FFmpeg, connects under <paramref name="interrupt"/> (bounded by
    /// the open timeout, cancelled by a stop request) with FFmpeg's lines captured into <paramref name="log"/>,
    /// and prepares the output. On failure records the described reason in <paramref name="log"/> and throws
    /// it as a <see cref="StreamOpenException"/> ("Cannot set up 'address': reason (FFmpeg: lines)").
    /// </summary>
    /// <exception cref="FFmpegNotFoundException">No supported FFmpeg is installed.</exception>
    public static StreamSession Open(string url, StreamOptions settings, StreamInterrupt interrupt, StreamLog log)
    {
        FFmpegLoader.EnsureLoadedRelease();
        FrameOutput? output = null;
        long started = Stopwatch.GetTimestamp();
        try
        {
            var session = SetupFailure.Open(url, log, () =>
            {
                var connection = Connection.Open(url, settings, interrupt, info => output = FrameOutput.For(settings, info, settings.WaitsForReaders(url, info)));
                return new StreamSession(url, settings, interrupt, log, connection, output!);
            });
            StreamMetrics.RecordOpen(started, succeeded: true, session.MetricTag);
            return session;
        }
        catch
        {
            output?.Dispose();
            StreamMetrics.RecordOpen(started, succeeded: false, StreamMetrics.CameraTag(settings, url));
            throw;
        }
    }

    /// <summary>
    /// Starts the writer; false if the stream has already ended. A writer still stopping is waited for
    /// (within <see cref="StopRequest.JoinTimeout"/>); one that cannot be (this is its thread, or it is busy in
    /// a handler) is told to carry on instead.
    /// </summary>
    public bool Start()
    {
        while (true)
        {
            Thread? stopping;
            lock (_lifecycle)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (Ended) return false;
                stopping = _writer;
                if (stopping is null)
                {
                    _stop.Reset();
                    _writer = new Thread(RunWriter) { IsBackground = true, Name = "MpegCoder writer" };
                    _writer.Start();
                    return true;
                }
                if (!_stop.IsRequested) return true;
            }
            if (StopRequest.Join(stopping)) continue; // it ended (and cleared _writer): start a new one
            lock (_lifecycle)
            {
                if (_disposed || _writer != stopping) continue;
                _stop.Reset(); // the writer has not seen the stop yet (it is in a handler): it goes on
                return true;
            }
        }
    }

    /// <summary>
    /// Stops the writer and waits for it (not when called on the writer itself, and not past
    /// <see cref="StopRequest.JoinTimeout"/>); the connection stays open. Interrupts a blocked read, a wait for
    /// room or a reconnection. Wakes readers waiting for the writer.
    /// </summary>
    public void Stop()
    {
        Thread? writer;
        lock (_lifecycle)
        {
            writer = _writer;
            if (writer is null || _disposed) return;
            _stop.Request();
        }
        _output.Ring.WakeWriter();
        StopRequest.Join(writer);
        _output.Signal.Notify();
        // Not when a Start on another thread has already begun a new writer meanwhile.
        var now = _writer;
        if (!Ended && !_disposed && (now is null || now == writer)) _states.Set(StreamState.Paused, null);
    }

    /// <summary>
    /// Prints FFmpeg's description of the current connection (av_dump_format). Safe while the writer runs:
    /// it waits for the demuxer between two packets (at most one read, bounded by the stall timeout).
    /// </summary>
    public void DumpFormat(string shownUrl) => _connections.Dump(shownUrl);

    private void RunWriter()
    {
        Debug.Assert(OnWriterThread, "the writer loop runs only on the thread Start made");
        using var capture = FFmpegLog.Capture(_log.FFmpeg);
        try
        {
            while (!_interrupt.StopRequested)
            {
                var connection = _connections.Current;
                if (connection is null)
                {
                    if (_reconnection.Restore(out string? end)) continue;
                    if (end is not null) End(end);
                    return;
                }
                _states.Set(StreamState.Streaming, null);
                string? reason = Pump(connection.Pipeline);
                if (reason is null) return; // stopped: keep the frames (and the connection unless a read was cut)
                if (_reconnection.Lost(reason)) continue;
                End(reason);
                return;
            }
        }
        catch (Exception e)
        {
            End($"the writer failed: {e.Message}");
        }
        finally
        {
            ExitWriter();
        }
    }

    /// <summary>The writer's last step: it is no longer the writer, and if the stream was disposed meanwhile, it releases it.</summary>
    private void ExitWriter()
    {
        bool release;
        lock (_lifecycle)
        {
            Debug.Assert(_writer == Thread.CurrentThread);
            _writer = null;
            release = _disposed;
        }
        _output.Signal.Notify();
        if (release) Release();
    }

    /// <summary>Runs the pipeline until the stream ends (returns why) or a stop is requested (returns null).</summary>
    private string? Pump(FramePipeline pipeline)
    {
        while (true)
        {
            _interrupt.Arm(Settings.StallTimeout);
            int ret = pipeline.PumpOnce();
            if (_interrupt.StopRequested)
            {
                // Between two packets the connection stays usable; a read the stop interrupted may have
                // left it mid-packet (RTSP interleaved over TCP), so that one is reopened at the next Start.
                if (_interrupt.CutShort) _reconnection.ReopenAtNextStart();
                return null;
            }
            // The deadline may pass and the read still return a packet (av_read_frame flushing its parsers when
            // interrupted): the stream has stalled all the same. Going on would give the next read a whole new
            // StallTimeout, ending a stalled stream only after twice its timeout.
            bool stalled = _interrupt.TimedOut;
            if (ret >= 0 && !stalled) continue;
            if (!pipeline.Drain()) return null; // stopped while waiting for room: Start goes on draining
            return ret == AVERROR_EOF ? (StreamOptions.IsFile(Url, Info) ? Reconnection.EndOfFile : "the stream ended (end of file, or the server closed it)")
                : stalled ? $"no data for {Settings.StallTimeout.TotalSeconds:0.###} s: the stream stalled"
                : $"reading the stream failed: {FFmpegError.Text(ret)}";
        }
    }

    /// <summary>Attaches a packet tap (a recorder) to the stream's packets; false once the stream is disposed.</summary>
    public bool AttachTap(IPacketTap tap) => !_disposed && _output.Taps.Attach(tap);

    public void DetachTap(IPacketTap tap) => _output.Taps.Detach(tap);

    /// <summary>Taps attached now, for tests.</summary>
    internal int TapCount => _output.Taps.Count;

    private void End(string reason)
    {
        _log.Error(reason, LogLevel.Information);
        _ended = true;
        _output.Taps.Disconnected(); // no more packets: recorders close their files
        _states.Set(StreamState.Closed, reason);
        _output.Signal.Close();
    }

    /// <summary>
    /// Stops the writer and releases everything. Any thread, any number of times. Waits for the writer as
    /// <see cref="Stop"/> does; a writer that cannot be waited for (this is its thread, or a handler keeps it
    /// busy past the deadline) releases everything itself as it ends.
    /// </summary>
    public void Dispose()
    {
        Thread? writer;
        lock (_lifecycle)
        {
            if (_disposed) return;
            _disposed = true;
            writer = _writer;
            if (writer is not null) _stop.Request(); // from here the writer's exit releases (it reads _disposed under the lock)
        }
        if (writer is null)
        {
            Release();
            return;
        }
        _output.Ring.WakeWriter();
        StopRequest.Join(writer);
    }

    /// <summary>Closes the stream and frees its native objects, once: by Dispose, or by the writer's exit after a Dispose.</summary>
    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        Debug.Assert(_disposed && _writer is null);
        if (!Ended)
        {
            _ended = true;
            _states.Set(StreamState.Closed, "closed");
            _output.Signal.Close();
        }
        _connections.Replace(null);
        _output.Taps.Close();
        StreamMetrics.Remove(this);
        _output.Dispose();
    }
}
