using System.Diagnostics;
using MpegCoder.Imaging;

namespace MpegCoder.Samples.StreamPlayer;

/// <summary>
/// One browser tab's player: its own <see cref="MpegClient"/>, driven by the page's buttons exactly as
/// the original's player drives its client (Connect = FFmpegSetup, Start, Stop = Terminate,
/// Disconnect = Clear), and a <see cref="FramePump"/> that turns new frames into JPEGs for the page.
/// </summary>
public sealed class PlayerSession : IDisposable
{
    private readonly MpegClient _client = new();
    private readonly FrameFeed _feed = new();
    private readonly object _commands = new();
    private FramePump? _pump;
    private string _state = "idle";
    private string? _message;
    private long _lastSeen = Stopwatch.GetTimestamp();

    public PlayerSession(string id) => Id = id;

    public string Id { get; }

    /// <summary>The newest encoded frame; null before the first one.</summary>
    public JpegFrame? Latest => _feed.Latest;

    /// <summary>The frames the MJPEG stream sends.</summary>
    internal FrameFeed Feed => _feed;

    /// <summary>Time since the page last asked for anything: tabs that vanished without saying so are reaped.</summary>
    public TimeSpan Idle => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastSeen));

    /// <summary>FFmpegSetup with the page's address and output settings (they apply from this connection on).</summary>
    public SessionStatus Connect(ConnectRequest request)
    {
        Touch();
        if (string.IsNullOrWhiteSpace(request.Address))
            return Fail("Enter a stream address first (for example rtsp://127.0.0.1:8554/video).");
        if (request.Width < 0 || request.Height < 0 || request.Fps < 0)
            return Fail("The output size and frame rate must be 0 (the source's) or positive.");
        lock (_commands)
        {
            StopPump();
            _client.Clear();
            _client.Options = _client.Options with
            {
                Width = request.Width,
                Height = request.Height,
                FrameRate = request.Fps > 0 ? (request.Fps, 1) : null,
                ReadSize = 1,
                CacheSize = 2,
            };
            _state = "connecting";
            if (!_client.FFmpegSetup(request.Address.Trim()))
            {
                _state = "failed";
                _message = _client.LastError ?? "The stream could not be opened.";
                return Status();
            }
            _state = "connected";
            _message = null;
            _pump = FramePump.Start(_client, _feed);
            return Status();
        }
    }

    /// <summary>Starts (or resumes) the client's writer: frames begin to flow.</summary>
    public SessionStatus Start() => Command(() =>
    {
        if (_pump is null) return Fail("Connect to a stream first.");
        if (!_client.Start())
        {
            _state = "ended";
            _message = _client.LastError ?? "The stream has ended; connect again.";
            return Status();
        }
        _state = "playing";
        _message = null;
        return Status();
    });

    /// <summary>Terminate: the writer stops, the connection and the last picture stay.</summary>
    public SessionStatus Stop() => Command(() =>
    {
        if (_pump is null) return Fail("Connect to a stream first.");
        _client.Terminate();
        _state = "stopped";
        _message = null;
        return Status();
    });

    /// <summary>Clear: releases the stream; the address and settings stay in the page.</summary>
    public SessionStatus Clear()
    {
        _client.Clear(); // first, outside the lock: it interrupts a Connect in progress
        return Command(() =>
        {
            StopPump();
            _client.Clear();
            _state = "idle";
            _message = null;
            return Status();
        });
    }

    /// <summary>What the page shows beside the picture.</summary>
    public SessionStatus Status()
    {
        Touch();
        var pump = _pump;
        string state = _state;
        string? message = _message;
        if (pump?.EndReason is { } reason && state is "connected" or "playing" or "stopped")
        {
            state = "ended";
            message = reason;
        }
        var stats = _feed.Statistics();
        return new SessionStatus(
            State: state,
            Message: message,
            Address: _client.GetParameter("videoAddress") as string,
            SourceWidth: pump is null ? null : _client.GetParameter("width") as int?,
            SourceHeight: pump is null ? null : _client.GetParameter("height") as int?,
            Codec: pump is null ? null : _client.GetParameter("codecName") as string,
            SourceFps: pump is null ? null : _client.GetParameter("srcFrameRate") as double?,
            OutputWidth: pump?.Width,
            OutputHeight: pump?.Height,
            FramesDecoded: pump is null ? 0 : _client.GetParameter("frameCount") as int? ?? 0,
            FramesReceived: stats.Received,
            MeasuredFps: Math.Round(stats.Fps, 1),
            NewestFrameAgeMs: stats.NewestAge is { } age ? Math.Round(age.TotalMilliseconds) : null);
    }

    private SessionStatus Command(Func<SessionStatus> action)
    {
        Touch();
        lock (_commands) return action();
    }

    private SessionStatus Fail(string message)
    {
        _message = message;
        return Status() with { Message = message };
    }

    private void StopPump()
    {
        _pump?.Dispose();
        _pump = null;
    }

    private void Touch() => Interlocked.Exchange(ref _lastSeen, Stopwatch.GetTimestamp());

    public void Dispose()
    {
        _client.Clear();
        lock (_commands)
        {
            StopPump();
            _client.Dispose();
        }
        _feed.Close();
    }
}
