using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace MpegCoder.Hosting;

/// <summary>
/// The hosted cameras: <see cref="Apply"/> turns a camera list into open cameras (adding, removing and
/// reopening changed ones by comparing with the list in force), <see cref="CloseAllAsync"/> closes them.
/// </summary>
/// <remarks>
/// Invariant: <c>_cameras</c> is replaced, never changed, under <c>_gate</c>, so readers take the
/// current array without locking. Cameras leaving it are closed in the background; their closes are
/// kept in <c>_closing</c> until done, so that <see cref="CloseAllAsync"/> waits for them too.
/// </remarks>
internal sealed class CameraRegistry : ICameraRegistry, IDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly CameraMetrics _metrics;

    public CameraRegistry(ILoggerFactory loggers, IMeterFactory? meters = null)
    {
        _loggers = loggers;
        _logger = loggers.CreateLogger("MpegCoder.Hosting.Cameras");
        _metrics = new CameraMetrics(this, meters);
        MpegCoderMetrics.Enable(); // the streams' meter: hosted cameras always report

    }

    private readonly object _gate = new();
    private readonly ILogger _logger;
    private readonly List<Task> _closing = [];
    private volatile HostedCamera[] _cameras = [];
    private bool _stopped;

    public IReadOnlyList<string> Names => Array.ConvertAll(_cameras, c => c.Name);

    public IReadOnlyList<CameraStatus> GetStatuses() => Array.ConvertAll(_cameras, c => c.Status());

    public CameraStatus? GetStatus(string name) => Find(name)?.Status();

    public VideoStream? GetStream(string name) => Find(name)?.Stream;

    public Task<VideoStream?> WaitForStreamAsync(string name, CancellationToken cancellationToken = default) =>
        Find(name) is { } camera ? camera.Opened.WaitAsync(cancellationToken) : Task.FromResult<VideoStream?>(null);

    public FrameBatch? ReadNewestFrame(string name)
    {
        var stream = GetStream(name);
        if (stream is null) return null;
        try
        {
            return stream.ExtractFrames(1);
        }
        catch (ObjectDisposedException)
        {
            return null; // removed by a configuration change between the two lines
        }
    }

    public bool TriggerRecording(string name) => Find(name)?.Recorder is { OnEvent: true } recorder && recorder.Trigger();

    public bool EndRecordingEvent(string name) => Find(name)?.Recorder is { OnEvent: true } recorder && recorder.EndEvent();

    public IReadOnlyList<RecordedFile> GetRecordedFiles(string name) => Find(name)?.Recorder?.Files ?? [];

    private HostedCamera? Find(string name) => Array.Find(_cameras, c => c.Name == name);

    /// <summary>
    /// Makes the open cameras those of <paramref name="options"/>: new names open, missing names close,
    /// a camera whose address or settings changed closes and opens again; others are left alone.
    /// Returns at once: opening and closing happen in the background.
    /// </summary>
    public void Apply(MpegCoderOptions options)
    {
        lock (_gate)
        {
            if (_stopped) return;
            var current = _cameras.ToDictionary(c => c.Name);
            var next = new List<HostedCamera>();
            var kept = new HashSet<string>();
            foreach (var camera in options.Cameras)
            {
                if (string.IsNullOrWhiteSpace(camera.Name))
                {
                    _logger.LogError("A camera without a Name is ignored (address {Address}).", MpegCoderGlobal.HideCredentials(camera.Address));
                    continue;
                }
                if (!kept.Add(camera.Name))
                {
                    _logger.LogError("A second camera named {Camera} is ignored: names must be unique.", camera.Name);
                    continue;
                }
                if (current.TryGetValue(camera.Name, out var existing) && existing.Signature == HostedCamera.SignatureOf(camera))
                {
                    next.Add(existing);
                    current.Remove(camera.Name);
                    continue;
                }
                next.Add(new HostedCamera(camera, _loggers.CreateLogger($"MpegCoder.Hosting.Camera.{camera.Name}")));
            }
            foreach (var gone in current.Values)
            {
                _logger.LogInformation("Camera {Camera} closes: {Reason}.", gone.Name, kept.Contains(gone.Name) ? "its settings changed" : "it was removed");
                Close(gone);
            }
            var before = _cameras;
            _cameras = [.. next];
            foreach (var camera in next)
                if (Array.IndexOf(before, camera) < 0) camera.Start();
        }
    }

    private void Close(HostedCamera camera)
    {
        var closing = camera.DisposeAsync().AsTask();
        _closing.Add(closing);
        closing.ContinueWith(_ => { lock (_gate) _closing.Remove(closing); }, TaskScheduler.Default);
    }

    /// <summary>Closes every camera, in parallel, until <paramref name="cancellationToken"/> (the host's shutdown timeout).</summary>
    public async Task CloseAllAsync(CancellationToken cancellationToken)
    {
        Task[] closing;
        lock (_gate)
        {
            _stopped = true;
            foreach (var camera in _cameras) Close(camera);
            _cameras = [];
            closing = [.. _closing];
        }
        try
        {
            await Task.WhenAll(closing).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("{Count} camera(s) were still closing when the host's shutdown timeout passed.", closing.Count(t => !t.IsCompleted));
        }
    }

    public void Dispose() => _metrics.Dispose();
}
