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
/// the reads (<see cref="ReadNewest(int, Span{byte}, Span{FrameMetadata}, string)"/>, the port's
/// <see cref="Extract(int, Span{byte}, string)"/>, a cursor's <see cref="TryReadNext"/>), <see cref="WaitForFrame"/>,
/// Start/Stop/Dispose and the stream's state, statistics and last error.
/// </summary>
/// <remarks>
/// Threads:
/// <list type="bullet">
/// <item>Start, Stop and Dispose may be called from any thread, the writer's own (a <see cref="StateChanged"/>
///   handler) included, any number of times: <c>_lifecycle</c> orders them, and no one waits under it. A stop
///   waits for the writer through <see cref="StopRequest.Join"/>: never for itself, never past its deadline.
///   Whoever disposes while the writer still runs leaves the release of the native objects to the writer's
///   exit; otherwise Dispose releases them itself. Either way they are released exactly once.</item>
/// <item>While the writer runs, only it reads packets and decodes. It replaces or drops the connection
///   under <c>_connectionLock</c>, which <see cref="DumpFormat"/> also takes, so nobody uses a connection
///   being freed; the dump itself runs under the demuxer's own lock, between two of the writer's reads.
///   Stop joins the writer before anything else touches the connection.</item>
/// <item>Readers only touch the output's ring and signal and the counters: managed memory that stays
///   valid after Dispose.</item>
/// </list>
/// The stream has ended (<see cref="Ended"/>) when the remote side closed it, it failed or stalled and there
/// is no reconnect policy, or the policy gave up. Then <see cref="Exhausted"/> tells the faces when nothing
/// is left to read, and Start returns false.
/// </remarks>
internal sealed class StreamSession : IDisposable
{
    private readonly StreamInterrupt _interrupt;
    private readonly StopRequest _stop;
    private readonly StreamLog _log;
    private readonly FrameOutput _output;
    private readonly object _lifecycle = new(); // _writer and _disposed change under it; nobody waits under it
    private readonly object _connectionLock = new();
    private readonly Random _jitter = new();
    private Connection? _connection;
    private Thread? _writer;
    private volatile bool _ended;
    private volatile bool _reopenOnStart;
    private volatile StreamInfo _info;
    private StreamState _state = StreamState.Paused;
    private volatile bool _disposed;
    private int _released;
    private FrameRing.Cursor? _portCursor;
    private object? _portCursorLock;

    private StreamSession(string url, StreamOptions settings, StreamInterrupt interrupt, StreamLog log, Connection connection, FrameOutput output)
    {
        Url = url;
        Settings = settings;
        _interrupt = interrupt;
        _stop = new StopRequest(interrupt);
        _log = log;
        _connection = connection;
        _output = output;
        _info = connection.Info;
        output.Taps.Connected(connection.Source);
        MetricTag = StreamMetrics.CameraTag(settings, url);
        StreamMetrics.Add(this);
    }

    /// <summary>The <c>camera</c> tag of this stream's measurements (made once: recording it allocates nothing).</summary>
    public KeyValuePair<string, object?> MetricTag { get; }

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
    /// <summary>Whether the writer waits for readers to take frames instead of overwriting them.</summary>
    public bool Lossless => _output.Ring.Lossless;
    /// <summary>Frames stored so far.</summary>
    public long Stored => _output.Ring.Published;
    /// <summary>The source as the current (or last) connection found it.</summary>
    public StreamInfo Info => _info;
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
    /// <summary>Ended, and nothing left that the port's read would return: its reads answer "the end" from now on.</summary>
    public bool Exhausted => _ended && (!Lossless || PortCursor.Untaken == 0);
    public StreamState State => _state;
    public StreamStatistics Statistics => _output.Counters.Snapshot(_output.Ring.Published, _log.LastError);

    /// <summary>The current connection's pipeline, for tests that drive the hot path themselves.</summary>
    internal FramePipeline? CurrentPipeline => _connection?.Pipeline;

    /// <summary>Raised on the thread that makes the change: the caller's, or the writer's.</summary>
    public event EventHandler<StreamStateChangedEventArgs>? StateChanged;

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
        if (!Ended && !_disposed && (now is null || now == writer)) SetState(StreamState.Paused, null);
    }

    /// <summary>
    /// Prints FFmpeg's description of the current connection (av_dump_format). Safe while the writer runs:
    /// it waits for the demuxer between two packets (at most one read, bounded by the stall timeout).
    /// </summary>
    public void DumpFormat(string shownUrl)
    {
        lock (_connectionLock) _connection?.Source.Dump(shownUrl);
    }

    /// <summary>
    /// Resolves a read's frame count (0 = the ReadSize option) and checks it against the ring and the
    /// largest array; <paramref name="parameter"/> names the face's argument in the exception.
    /// </summary>
    public int Count(int count, string parameter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count, parameter);
        int n = count == 0 ? Settings.ReadSize : count;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, Capacity, parameter);
        StreamOptions.CheckArraySize(n, FrameBytes, parameter);
        return n;
    }

    /// <summary>
    /// The newest read: up to <paramref name="count"/> frames (0 = ReadSize), the newest stored, oldest first,
    /// into <paramref name="destination"/> and their metadata into <paramref name="metadata"/> (as many as it
    /// holds). Whatever the policy it takes nothing and moves nothing on: a file's writer still waits for its
    /// cursors. Returns how many frames were copied (fewer than asked only while fewer exist).
    /// </summary>
    /// <exception cref="ArgumentException">The destination is smaller than <paramref name="count"/> frames: the one rule for both faces.</exception>
    public int ReadNewest(int count, Span<byte> destination, Span<FrameMetadata> metadata, string parameter)
    {
        int n = CountFor(count, destination, parameter);
        int read = _output.Ring.CopyNewest(n, destination, metadata);
        StreamMetrics.RecordRead(NewestTimestamp, MetricTag);
        return read;
    }

    /// <summary>
    /// The allocating form of <see cref="ReadNewest(int, Span{byte}, Span{FrameMetadata}, string)"/>:
    /// <paramref name="allocate"/> gets the number of frames the read returns and gives the arrays to copy them into.
    /// </summary>
    public T ReadNewest<T>(int count, string parameter, Func<int, T> allocate) where T : IFrameTarget
    {
        int n = Count(count, parameter);
        var ring = _output.Ring;
        StreamMetrics.RecordRead(NewestTimestamp, MetricTag);
        // Frames available only grow (but for a write that failed, which a shorter copy shows as
        // trailing empty frames), so the k frames counted here are there to copy.
        int k = Math.Min(n, ring.Available);
        var target = allocate(k);
        ring.CopyNewest(k, target.Pixels, target.Metadata);
        return target;
    }

    /// <summary>
    /// The port's read (<see cref="MpegClient.ExtractFrame(int)"/>): a ring that overwrites gives its newest
    /// frames; a lossless ring gives the next frames of the port's one take cursor and takes them.
    /// </summary>
    public int Extract(int count, Span<byte> destination, string parameter)
    {
        if (!Lossless) return ReadNewest(count, destination, default, parameter);
        int n = CountFor(count, destination, parameter);
        int read = PortCursor.Take(n, destination, default);
        StreamMetrics.RecordRead(NewestTimestamp, MetricTag);
        return read;
    }

    /// <summary>The allocating form of <see cref="Extract(int, Span{byte}, string)"/> (see <see cref="ReadNewest{T}"/>).</summary>
    public T Extract<T>(int count, string parameter, Func<int, T> allocate) where T : IFrameTarget
    {
        if (!Lossless) return ReadNewest(count, parameter, allocate);
        int n = Count(count, parameter);
        var cursor = PortCursor;
        StreamMetrics.RecordRead(NewestTimestamp, MetricTag);
        return cursor.WithTakeLock(() =>
        {
            int k = Math.Min(n, cursor.Untaken); // only a take lowers it, and takes wait for this lock
            var target = allocate(k);
            cursor.Take(k, target.Pixels, target.Metadata);
            return target;
        });
    }

    /// <summary>The count of a read into <paramref name="destination"/>, checked against it.</summary>
    private int CountFor(int count, Span<byte> destination, string parameter)
    {
        int n = Count(count, parameter);
        if (destination.Length < (long)n * FrameBytes)
            throw new ArgumentException($"The destination holds {destination.Length} bytes; {n} frames need {(long)n * FrameBytes}.", nameof(destination));
        return n;
    }

    /// <summary>
    /// The port's take cursor on a lossless ring: one for every caller of the port, opened by its first read
    /// (until then the ring keeps the file's first frames for it, as for any first cursor).
    /// </summary>
    private FrameRing.Cursor PortCursor => LazyInitializer.EnsureInitialized(ref _portCursor, ref _portCursorLock, _output.Ring.OpenCursor);

    /// <summary>
    /// A reader's own place in the stream, for a face that yields every frame once (see
    /// <see cref="FrameRing.OpenCursor"/>): on a lossless ring the writer waits for it until it is disposed.
    /// </summary>
    public FrameRing.Cursor OpenCursor() => _output.Ring.OpenCursor();

    /// <summary>The next frame of <paramref name="cursor"/>, taken (see <see cref="FrameRing.Cursor.TryTakeNext"/>); false, at once, when none is ready.</summary>
    public bool TryReadNext(FrameRing.Cursor cursor, Span<byte> destination, out FrameMetadata metadata)
    {
        if (!cursor.TryTakeNext(destination, out metadata)) return false;
        StreamMetrics.RecordRead(NewestTimestamp, MetricTag);
        return true;
    }

    /// <summary>Waits, without polling, until <paramref name="cursor"/> has a frame (true) or the stream ended (false).</summary>
    public ValueTask<bool> WaitForNextAsync(FrameRing.Cursor cursor, CancellationToken cancellationToken) =>
        WaitUntilAsync(() => cursor.HasNext, cancellationToken);

    /// <summary>Copies the newest frames without consuming them, whatever the policy (tests, status).</summary>
    public int PeekNewest(int count, Span<byte> destination, Span<FrameMetadata> metadata) =>
        _output.Ring.CopyNewest(Math.Min(count, Capacity), destination, metadata);

    /// <summary>
    /// The one wait: until a frame newer than <paramref name="afterSequence"/> is stored (true), the stream
    /// ends (false) or <paramref name="timeout"/> passes (false). No polling: the writer wakes the waiter.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public bool WaitForFrame(long afterSequence, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntil(() => Stored - 1 > afterSequence, timeout, cancellationToken);

    /// <summary>The port on a lossless ring: waits until its take cursor has <paramref name="count"/> frames, the stream ends or the writer stops.</summary>
    public void WaitForBatch(int count, CancellationToken cancellationToken) =>
        WaitUntil(() => !Lossless || PortCursor.Untaken >= count || !IsRunning, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>The asynchronous form of <see cref="WaitForFrame"/>, without a timeout.</summary>
    public ValueTask<bool> WaitForFrameAsync(long afterSequence, CancellationToken cancellationToken) =>
        WaitUntilAsync(() => Stored - 1 > afterSequence, cancellationToken);

    private async ValueTask<bool> WaitUntilAsync(Func<bool> ready, CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = _output.Signal.WaitAsync(); // take the task before checking: no lost wake-up
            if (ready()) return true;
            if (Ended) return false;
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool WaitUntil(Func<bool> ready, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            var signal = _output.Signal.WaitAsync(); // take the task before checking: no lost wake-up
            if (ready()) return true;
            if (Ended) return false;
            long left = deadline - Environment.TickCount64;
            if (left <= 0) return false;
            signal.Wait((int)Math.Min(left, int.MaxValue), cancellationToken);
        }
    }

    private void RunWriter()
    {
        using var capture = FFmpegLog.Capture(_log.FFmpeg);
        try
        {
            int attempt = 0;
            while (!_interrupt.StopRequested)
            {
                var connection = _connection;
                if (connection is null)
                {
                    if (_reopenOnStart)
                    {
                        // A stop cut a read short: the demuxer may be out of step, so resume on a fresh connection.
                        _reopenOnStart = false;
                        SetState(StreamState.Connecting, null);
                        if (TryReopen(out string? why)) continue;
                        if (_interrupt.StopRequested) { _reopenOnStart = true; return; }
                        if (Settings.Reconnect is null)
                        {
                            End(why!);
                            return;
                        }
                        SetState(StreamState.Reconnecting, why);
                    }
                    if (!Reconnect(ref attempt)) return;
                    continue;
                }
                attempt = 0;
                SetState(StreamState.Streaming, null);
                string? reason = Pump(connection.Pipeline);
                if (reason is null) return; // stopped: keep the frames (and the connection unless a read was cut)
                // A file's end is the end, policy or not: reconnecting would replay it from the start forever.
                if (Settings.Reconnect is null || ReferenceEquals(reason, EndOfFile))
                {
                    End(reason);
                    return;
                }
                _log.Error(reason);
                ReplaceConnection(null);
                SetState(StreamState.Reconnecting, reason);
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

    /// <summary>Why a file source ended: its last frame was read.</summary>
    private const string EndOfFile = "the stream ended: end of file";

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
                if (_interrupt.CutShort)
                {
                    ReplaceConnection(null);
                    _reopenOnStart = true;
                }
                return null;
            }
            // The deadline may pass and the read still return a packet (av_read_frame flushing its parsers when
            // interrupted): the stream has stalled all the same. Going on would give the next read a whole new
            // StallTimeout, ending a stalled stream only after twice its timeout.
            bool stalled = _interrupt.TimedOut;
            if (ret >= 0 && !stalled) continue;
            if (!pipeline.Drain()) return null; // stopped while waiting for room: Start goes on draining
            return ret == AVERROR_EOF ? (StreamOptions.IsFile(Url, _info) ? EndOfFile : "the stream ended (end of file, or the server closed it)")
                : stalled ? $"no data for {Settings.StallTimeout.TotalSeconds:0.###} s: the stream stalled"
                : $"reading the stream failed: {FFmpegError.Text(ret)}";
        }
    }

    /// <summary>Waits and reopens per the policy; false when stopped or when the policy gives up (the stream then ends).</summary>
    private bool Reconnect(ref int attempt)
    {
        var policy = Settings.Reconnect!;
        while (true)
        {
            attempt++;
            if (policy.MaxAttempts is { } max && attempt > max)
            {
                End($"gave up after {max} reconnect attempt(s); last error: {_log.LastError}");
                return false;
            }
            if (_stop.Wait(policy.DelayBefore(attempt, _jitter))) return false;
            if (TryReopen(out string? why))
            {
                Interlocked.Increment(ref _output.Counters.Reconnects);
                _log.Write(LogLevel.Information, $"reconnected to {AddressRedaction.Redact(Url)} (attempt {attempt})");
                return true;
            }
            if (_interrupt.StopRequested) return false;
            _log.Remember(why!);
            _log.Write(LogLevel.Warning, $"reconnect attempt {attempt} failed: {why}");
        }
    }

    /// <summary>
    /// Opens the stream again into the same output, in the same single step as the first open. Whatever
    /// fails (the open, or anything the new connection's pipeline refuses), nothing stays open and the
    /// reason comes back.
    /// </summary>
    private bool TryReopen(out string? reason)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            using var _ = FFmpegLog.Capture(_log.FFmpeg);
            ReplaceConnection(Connection.Open(Url, Settings, _interrupt, _ => _output));
            StreamMetrics.RecordOpen(started, succeeded: true, MetricTag);
            reason = null;
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            StreamMetrics.RecordOpen(started, succeeded: false, MetricTag);
            reason = AddressRedaction.RedactText(e.Message);
            return false;
        }
    }

    /// <summary>
    /// Makes <paramref name="next"/> the current connection and frees the previous one. The packet taps
    /// hear of the change first, so a recorder never reads a freed source.
    /// </summary>
    private void ReplaceConnection(Connection? next)
    {
        Connection? previous;
        lock (_connectionLock)
        {
            previous = _connection;
            _connection = next;
            if (next is not null) _info = next.Info;
        }
        if (previous is not null) _output.Taps.Disconnected(previous.Source);
        if (next is not null) _output.Taps.Connected(next.Source);
        previous?.Dispose();
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
        SetState(StreamState.Closed, reason);
        _output.Signal.Close();
    }

    private void SetState(StreamState state, string? reason)
    {
        var previous = _state;
        if (previous == state) return;
        _state = state;
        try
        {
            StateChanged?.Invoke(this, new StreamStateChangedEventArgs(previous, state, reason));
        }
        catch (Exception e)
        {
            _log.Write(LogLevel.Error, $"a StateChanged handler threw: {e.Message}");
        }
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
            SetState(StreamState.Closed, "closed");
            _output.Signal.Close();
        }
        ReplaceConnection(null);
        _output.Taps.Close();
        StreamMetrics.Remove(this);
        _output.Dispose();
    }
}

/// <summary>The arrays an allocating read copies into (see <see cref="StreamSession.ReadNewest{T}"/>).</summary>
internal interface IFrameTarget
{
    Span<byte> Pixels { get; }
    Span<FrameMetadata> Metadata { get; }
}
