using Microsoft.Extensions.Logging;
using MpegCoder.Interop;
using MpegCoder.Native;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Pipeline;

/// <summary>
/// One stream, from its setup to its end: the current <see cref="Connection"/>, the scaler and the ring
/// that outlive reconnections, and the writer thread. Both public faces (<see cref="MpegClient"/> and
/// <see cref="VideoStream"/>) drive this one engine.
/// </summary>
/// <remarks>
/// Threads:
/// <list type="bullet">
/// <item>Start, Stop and Dispose are called by the owner one at a time (the owner's lock).</item>
/// <item>While the writer runs, only it touches the connection's native objects. It replaces or drops the
///   connection under <c>_connectionLock</c>, which <see cref="DumpFormat"/> also takes, so nobody uses a
///   connection being freed. Stop joins the writer before anything else touches the connection.</item>
/// <item>Readers only touch <see cref="Ring"/>, <see cref="Signal"/> and the counters: managed memory that
///   stays valid after Dispose.</item>
/// </list>
/// The stream has ended (<see cref="Ended"/>) when the remote side closed it, it failed or stalled and there
/// is no reconnect policy, or the policy gave up. Then reads return null and Start returns false.
/// </remarks>
internal sealed class StreamSession : IDisposable
{
    private readonly StreamInterrupt _interrupt;
    private readonly FFmpegLogCapture _log;
    private readonly Scaler _scaler;
    private readonly ManualResetEventSlim _stopSignal = new(false);
    private readonly object _connectionLock = new();
    private readonly Random _jitter = new();
    private Connection? _connection;
    private Thread? _writer;
    private volatile string? _endReason;
    private volatile string? _lastError;
    private volatile StreamInfo _info;
    private StreamState _state = StreamState.Paused;
    private bool _disposed;

    private StreamSession(string url, StreamOptions settings, StreamInterrupt interrupt, FFmpegLogCapture log, Connection connection)
    {
        Url = url;
        Settings = settings;
        _interrupt = interrupt;
        _log = log;
        _connection = connection;
        _info = connection.Info;
        Width = settings.Width > 0 ? settings.Width : connection.Info.Width;
        Height = settings.Height > 0 ? settings.Height : connection.Info.Height;
        _scaler = new Scaler(Width, Height, settings.PixelFormat, settings.Scaling);
        Ring = new FrameRing(settings.EffectiveCacheSize, _scaler.FrameBytes);
        connection.Attach(_scaler, Ring, Counters, Signal, settings.FrameRate);
    }

    public string Url { get; }
    public StreamOptions Settings { get; }
    public FrameRing Ring { get; }
    public FrameSignal Signal { get; } = new();
    public StreamCounters Counters { get; } = new();
    /// <summary>Output frame size; fixed for the stream's life, whatever the source does.</summary>
    public int Width { get; }
    public int Height { get; }
    /// <summary>The source as the current (or last) connection found it.</summary>
    public StreamInfo Info => _info;
    public bool IsRunning => _writer is { IsAlive: true };
    /// <summary>Why the stream ended; null while it has not.</summary>
    public string? EndReason => _endReason;
    public bool Ended => _endReason is not null;
    public StreamState State => _state;
    public StreamStatistics Statistics => Counters.Snapshot(Ring.Published, _lastError);

    /// <summary>The current connection's pipeline, for tests that drive the hot path themselves.</summary>
    internal FramePipeline? CurrentPipeline => _connection?.Pipeline;

    /// <summary>Raised on the thread that makes the change: the caller's, or the writer's.</summary>
    public event EventHandler<StreamStateChangedEventArgs>? StateChanged;

    /// <summary>Connects and prepares everything; throws <see cref="StreamOpenException"/> with the reason.</summary>
    public static StreamSession Open(string url, StreamOptions settings, StreamInterrupt interrupt, FFmpegLogCapture log)
    {
        var connection = Connection.Open(url, settings, interrupt);
        try
        {
            if (settings.Width <= 0 && connection.Info.Width <= 0 || settings.Height <= 0 && connection.Info.Height <= 0)
                throw new StreamOpenException("the stream does not state its frame size; set the output width and height");
            return new StreamSession(url, settings, interrupt, log, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Starts the writer; false if the stream has already ended.</summary>
    public bool Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Ended) return false;
        if (_writer is not null) return true;
        _interrupt.ClearStop();
        _stopSignal.Reset();
        _writer = new Thread(RunWriter) { IsBackground = true, Name = "MpegCoder writer" };
        _writer.Start();
        return true;
    }

    /// <summary>Stops the writer and waits for it; the connection stays open. Interrupts a blocked read or a reconnection.</summary>
    public void Stop()
    {
        if (StopWriter() && !Ended) SetState(StreamState.Paused, null);
    }

    /// <summary>Stops and joins the writer; false if it was not running.</summary>
    private bool StopWriter()
    {
        var writer = _writer;
        if (writer is null) return false;
        _interrupt.RequestStop();
        _stopSignal.Set();
        writer.Join();
        _writer = null;
        _interrupt.ClearStop();
        return true;
    }

    /// <summary>Prints FFmpeg's description of the current connection (av_dump_format).</summary>
    public void DumpFormat(string shownUrl)
    {
        lock (_connectionLock) _connection?.Source.Dump(shownUrl);
    }

    private void RunWriter()
    {
        using var capture = FFmpegLog.Capture(_log);
        try
        {
            int attempt = 0;
            while (!_interrupt.StopRequested)
            {
                var connection = _connection;
                if (connection is null)
                {
                    if (!Reconnect(ref attempt)) return;
                    continue;
                }
                attempt = 0;
                SetState(StreamState.Streaming, null);
                string? reason = Pump(connection.Pipeline!);
                if (reason is null) return; // stopped: keep the connection, keep the frames
                _lastError = reason;
                if (Settings.Reconnect is null)
                {
                    End(reason);
                    return;
                }
                ReplaceConnection(null);
                SetState(StreamState.Reconnecting, reason);
            }
        }
        catch (Exception e)
        {
            End($"the writer failed: {e.Message}");
        }
    }

    /// <summary>Runs the pipeline until the stream ends (returns why) or a stop is requested (returns null).</summary>
    private string? Pump(FramePipeline pipeline)
    {
        while (true)
        {
            _interrupt.Arm(Settings.StallTimeout);
            int ret = pipeline.PumpOnce();
            if (_interrupt.StopRequested) return null; // between two packets: the connection stays usable
            if (ret >= 0) continue;
            pipeline.Drain();
            return ret == AVERROR_EOF ? "the stream ended (end of file, or the server closed it)"
                : _interrupt.TimedOut ? $"no data for {Settings.StallTimeout.TotalSeconds:0.###} s: the stream stalled"
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
                End($"gave up after {max} reconnect attempt(s); last error: {_lastError}");
                return false;
            }
            if (_stopSignal.Wait(policy.DelayBefore(attempt, _jitter))) return false;
            try
            {
                var connection = Connection.Open(Url, Settings, _interrupt);
                connection.Attach(_scaler, Ring, Counters, Signal, Settings.FrameRate);
                ReplaceConnection(connection);
                Interlocked.Increment(ref Counters.Reconnects);
                Log(LogLevel.Information, $"reconnected to {AddressRedaction.Redact(Url)} (attempt {attempt})");
                return true;
            }
            catch (StreamOpenException e)
            {
                if (_interrupt.StopRequested) return false;
                _lastError = AddressRedaction.RedactText(e.Message);
                Log(LogLevel.Warning, $"reconnect attempt {attempt} failed: {_lastError}");
            }
        }
    }

    private void ReplaceConnection(Connection? next)
    {
        Connection? previous;
        lock (_connectionLock)
        {
            previous = _connection;
            _connection = next;
            if (next is not null) _info = next.Info;
        }
        previous?.Dispose();
    }

    private void End(string reason)
    {
        _lastError = reason;
        _endReason = reason;
        SetState(StreamState.Closed, reason);
        Signal.Close();
        Log(LogLevel.Information, reason);
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
            Log(LogLevel.Error, $"a StateChanged handler threw: {e.Message}");
        }
    }

    private void Log(LogLevel level, string message)
    {
        if (Settings.Logger is { } logger) logger.Log(level, "MpegCoder: {Message}", message);
        else if (level >= LogLevel.Information) MpegCoderGlobal.Info($"MpegCoder: {message}");
    }

    public void Dispose()
    {
        if (_disposed) return;
        StopWriter();
        _disposed = true;
        if (!Ended)
        {
            _endReason = "closed";
            SetState(StreamState.Closed, "closed");
            Signal.Close();
        }
        ReplaceConnection(null);
        _scaler.Dispose();
        _stopSignal.Dispose();
    }
}
