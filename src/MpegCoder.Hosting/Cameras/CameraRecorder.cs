using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MpegCoder.Hosting;

/// <summary>
/// A hosted camera's recording: one <see cref="StreamRecorder"/> on the camera's stream at a time. The
/// stream reconnects by itself and the recorder follows it (a file per connection), so a recorder only ends
/// when the stream is closed or writing failed. A failed recorder is logged, shown as the camera's
/// recording error, and replaced after <see cref="CameraRecordingOptions.RestartDelay"/>: a folder that
/// cannot be written costs one attempt per delay, never a busy loop.
/// </summary>
/// <remarks>
/// Threads: <see cref="RunAsync"/> is the only writer of <c>_current</c> and of the ended recorders' sum; the
/// recorder's thread writes the file list; both under <c>_gate</c>; readers take them at any time.
/// </remarks>
internal sealed class CameraRecorder : IAsyncDisposable
{
    private readonly string _camera;
    private readonly RecordingOptions _options;
    private readonly TimeSpan _restartDelay;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<RecordedFile> _files = [];
    private volatile StreamRecorder? _current;
    private volatile string? _error;
    private RecordingStatistics _ended; // the finished recorders' statistics, summed
    private Task _run = Task.CompletedTask;

    public CameraRecorder(string camera, RecordingOptions options, TimeSpan restartDelay, ILogger logger)
    {
        _camera = camera;
        _options = options;
        _restartDelay = restartDelay;
        _logger = logger;
    }

    public bool OnEvent => _options.WaitForTrigger;

    /// <summary>Why the last recorder failed, until a new one has written a packet; null otherwise.</summary>
    public string? Error
    {
        get
        {
            if (_error is not null && _current is { } current && current.Statistics.PacketsWritten > 0) _error = null;
            return _error;
        }
    }

    /// <summary>The newest finished files (at most <see cref="RecordingOptions.FilesKept"/>), oldest first, without those retention deleted.</summary>
    public IReadOnlyList<RecordedFile> Files
    {
        get { lock (_gate) return [.. _files]; }
    }

    public RecordingStatistics Statistics
    {
        get
        {
            lock (_gate) // Retire moves a recorder's counters into _ended and clears _current under it: never counted twice
            {
                return Sum(_ended, _current?.Statistics ?? default);
            }
        }
    }

    /// <summary>Starts recording <paramref name="stream"/> in the background; once.</summary>
    public void Start(VideoStream stream)
    {
        Debug.Assert(_run.IsCompleted, "a camera's recording starts once, on its one stream");
        _run = Task.Run(() => RunAsync(stream, _stop.Token));
    }

    /// <summary>Starts or extends an event; false while no recorder runs (the stream not open yet, a restart pending).</summary>
    public bool Trigger()
    {
        if (_current is not { } recorder) return false;
        recorder.Trigger();
        return true;
    }

    public bool EndEvent()
    {
        if (_current is not { } recorder) return false;
        recorder.EndEvent();
        return true;
    }

    private async Task RunAsync(VideoStream stream, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            StreamRecorder recorder;
            // A folder that cannot be made is the recorder's failure to report (and count in the metrics), with this reason added.
            string? folderError = CreateFolder(_options.Path);
            try
            {
                recorder = stream.StartRecording(_options);
            }
            catch (ObjectDisposedException)
            {
                return; // the camera is closing
            }
            catch (RecordingException e) when (stream.State == StreamState.Closed)
            {
                _logger.LogDebug("Camera {Camera}: no recording: {Error}", _camera, e.Message);
                return;
            }
            catch (RecordingException e)
            {
                if (!await FailedAsync(folderError is null ? e.Message : $"{e.Message} ({folderError})", stop).ConfigureAwait(false)) return;
                continue;
            }
            recorder.FileFinished += (_, file) => Finished(file);
            recorder.FileDeleted += (_, deleted) => Deleted(deleted.Path);
            _current = recorder;
            _logger.LogInformation("Camera {Camera} records to {Path}{Mode}.", _camera, _options.Path, _options.WaitForTrigger ? " on events" : "");
            string? failure = null;
            try
            {
                await recorder.Completion.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (RecordingException e)
            {
                failure = e.Message;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            if (stop.IsCancellationRequested) return; // DisposeAsync stops the recorder
            Retire(recorder);
            if (failure is null) return; // the stream was closed: the camera is going
            if (!await FailedAsync(failure, stop).ConfigureAwait(false)) return;
        }
    }

    /// <summary>
    /// Creates the folder of a file path (the format string's folder part, which holds no date), so a fresh
    /// install records without a setup step. Returns why it could not, or null.
    /// </summary>
    private static string? CreateFolder(string path)
    {
        if (path.Contains("://", StringComparison.Ordinal)) return null; // a push to a server
        string? folder = System.IO.Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(folder) || folder.Contains('{', StringComparison.Ordinal)) return null;
        try
        {
            Directory.CreateDirectory(folder);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>Reports a failure and waits the restart delay; false when stopped meanwhile.</summary>
    private async Task<bool> FailedAsync(string reason, CancellationToken stop)
    {
        _error = reason;
        _logger.LogError("Camera {Camera}: recording failed: {Error}. A new recorder starts in {Delay} s.", _camera, reason, _restartDelay.TotalSeconds);
        try
        {
            await Task.Delay(_restartDelay, stop).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Adds a finished recorder's counters to the totals and forgets it.</summary>
    private void Retire(StreamRecorder recorder)
    {
        var s = recorder.Statistics;
        lock (_gate)
        {
            _ended = Sum(_ended, s);
            _current = null;
        }
    }

    private static RecordingStatistics Sum(RecordingStatistics a, RecordingStatistics b) => new()
    {
        PacketsReceived = a.PacketsReceived + b.PacketsReceived,
        PacketsDropped = a.PacketsDropped + b.PacketsDropped,
        PacketsWritten = a.PacketsWritten + b.PacketsWritten,
        BytesWritten = a.BytesWritten + b.BytesWritten,
        FilesFinished = a.FilesFinished + b.FilesFinished,
    };

    private void Finished(RecordedFile file)
    {
        lock (_gate)
        {
            _files.Add(file);
            if (_files.Count > _options.FilesKept) _files.RemoveAt(0);
        }
    }

    private void Deleted(string path)
    {
        // The event names the full path; a file's Path is as the options wrote it (possibly relative).
        lock (_gate) _files.RemoveAll(f => string.Equals(System.IO.Path.GetFullPath(f.Path), path, StringComparison.Ordinal));
    }

    /// <summary>Stops the recorder (its file finished) and the restarts. Before the stream is closed, so the file ends cleanly.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _run.ConfigureAwait(false);
        if (_current is { } recorder)
        {
            await recorder.DisposeAsync().ConfigureAwait(false);
            Retire(recorder);
        }
        _stop.Dispose();
    }
}
