using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MpegCoder.Hosting;

/// <summary>
/// One configured camera for its whole life in the host: opens its stream in the background, retrying
/// a failed first open with the reconnect policy's waits (after the first open the stream reconnects
/// by itself), and closes it on <see cref="DisposeAsync"/>.
/// </summary>
/// <remarks>
/// Threads: <see cref="RunAsync"/> is the only writer of <c>_stream</c>, <c>_state</c> and <c>_error</c>
/// before the stream opens; afterwards the stream itself owns its state. Readers (status, health, the
/// registry) read the volatile fields in any order: a status may be one state behind, never torn.
/// </remarks>
internal sealed class HostedCamera : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private readonly StreamOptions? _settings;
    private readonly CameraRecorder? _recorder;
    private volatile VideoStream? _stream;
    private volatile string? _error;
    private volatile StreamState _state = StreamState.Connecting; // before the stream exists
    private long _since = Stopwatch.GetTimestamp(); // when _state or the stream's state last changed
    private readonly DateTimeOffset _created = DateTimeOffset.UtcNow;
    private readonly TaskCompletionSource<VideoStream?> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _run = Task.CompletedTask;

    public HostedCamera(CameraOptions camera, ILogger logger)
    {
        Name = camera.Name;
        Address = camera.Address;
        Signature = SignatureOf(camera);
        _logger = logger;
        try
        {
            _settings = camera.Options.ToStreamOptions(camera.Name, logger);
            _settings.Validate();
            if (string.IsNullOrWhiteSpace(camera.Address)) throw new ArgumentException("the camera has no Address");
            var recording = camera.Recording ?? new CameraRecordingOptions();
            if (recording.ToRecordingOptions() is { } recordingOptions)
                _recorder = new CameraRecorder(camera.Name, recordingOptions, recording.RestartDelay, logger);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            _settings = null;
            _recorder = null;
            _error = $"invalid configuration: {e.Message}";
            _state = StreamState.Closed;
        }
        ShownAddress = MpegCoderGlobal.HideCredentials(camera.Address);
    }

    public string Name { get; }
    public string Address { get; }
    public string ShownAddress { get; }

    /// <summary>The address and every setting: a reloaded camera whose signature differs is reopened.</summary>
    public string Signature { get; }

    /// <summary>The <see cref="Signature"/> a camera with these options has.</summary>
    public static string SignatureOf(CameraOptions camera) => camera.Address + "\n" + camera.Options.Describe() + "\n" + (camera.Recording ?? new()).Describe();

    public VideoStream? Stream => _stream;

    /// <summary>The camera's recording, or null when it does not record.</summary>
    public CameraRecorder? Recorder => _recorder;

    /// <summary>Completes with the stream once it is open, or with null when the camera is given up or closed first.</summary>
    public Task<VideoStream?> Opened => _opened.Task;

    /// <summary>Starts opening in the background; returns at once.</summary>
    public void Start()
    {
        if (_settings is null)
        {
            _logger.LogError("Camera {Camera}: {Error}", Name, _error);
            _opened.TrySetResult(null);
            return;
        }
        // Whichever way the run ends without a stream (given up, failed, closed), waiters hear "none".
        _run = Task.Run(() => RunAsync(_settings, _stop.Token)).ContinueWith(_ => _opened.TrySetResult(_stream), TaskScheduler.Default);
    }

    private async Task RunAsync(StreamOptions settings, CancellationToken stop)
    {
        var policy = settings.Reconnect!;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var stream = await VideoStream.OpenAsync(Address, settings, stop).ConfigureAwait(false);
                stream.StateChanged += (_, _) => Volatile.Write(ref _since, Stopwatch.GetTimestamp());
                Volatile.Write(ref _since, Stopwatch.GetTimestamp());
                _stream = stream;
                _opened.TrySetResult(stream);
                _logger.LogInformation("Camera {Camera} opened: {Address}", Name, ShownAddress);
                _recorder?.Start(stream); // it follows the stream's reconnections by itself
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StreamOpenException or FFmpegNotFoundException)
            {
                _error = e.Message;
                _logger.LogWarning("Camera {Camera}: open attempt {Attempt} failed: {Error}", Name, attempt, e.Message);
                if (e is FFmpegNotFoundException || policy.MaxAttempts is { } max && attempt >= max)
                {
                    SetState(StreamState.Closed);
                    return;
                }
                SetState(StreamState.Reconnecting);
            }
            catch (Exception e)
            {
                // Anything else is a defect, not an outage: show it and stop retrying, never fault the task.
                _error = $"the camera failed: {e.Message}";
                _logger.LogError(e, "Camera {Camera} failed", Name);
                SetState(StreamState.Closed);
                return;
            }
            try
            {
                await Task.Delay(policy.DelayBefore(attempt), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void SetState(StreamState state)
    {
        if (_state == state) return;
        _state = state;
        Volatile.Write(ref _since, Stopwatch.GetTimestamp());
    }

    public CameraStatus Status()
    {
        var stream = _stream;
        var since = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(Volatile.Read(ref _since));
        var recording = _recorder is { } recorder
            ? new CameraStatus
            {
                Recording = recorder.OnEvent ? CameraRecordingMode.OnEvent : CameraRecordingMode.Continuous,
                RecordingError = recorder.Error,
                RecordedFiles = recorder.Files.Count,
                RecordingStatistics = recorder.Statistics,
            }
            : new CameraStatus();
        if (stream is null)
            return recording with
            {
                Name = Name,
                Address = ShownAddress,
                State = _state,
                StateSince = since < _created ? _created : since,
                LastError = _error,
            };
        var statistics = stream.Statistics;
        return recording with
        {
            Name = Name,
            Address = ShownAddress,
            State = stream.State,
            StateSince = since,
            NewestFrameAge = stream.NewestFrameAge,
            Statistics = statistics,
            LastError = statistics.LastError,
        };
    }

    /// <summary>
    /// Stops opening (interrupting an open in progress) and closes the stream. Any thread, any number of
    /// times (every call gets the one close); from a handler on the stream's writer thread it completes at
    /// once, because the stream's own DisposeAsync does (the writer releases the stream as it ends).
    /// </summary>
    public ValueTask DisposeAsync()
    {
        var closing = new Lazy<Task>(CloseAsync);
        return new(Interlocked.CompareExchange(ref _closing, closing, null) is { } first ? first.Value : closing.Value);
    }

    private Lazy<Task>? _closing;

    private async Task CloseAsync()
    {
        _stop.Cancel();
        await _run.ConfigureAwait(false);
        _opened.TrySetResult(null);
        if (_recorder is { } recorder) await recorder.DisposeAsync().ConfigureAwait(false);
        if (_stream is { } stream) await stream.DisposeAsync().ConfigureAwait(false);
    }
}
