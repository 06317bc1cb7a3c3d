using Microsoft.Extensions.Logging;

namespace MpegCoder.Samples.CameraFleet;

/// <summary>
/// A camera's <see cref="VideoStream"/>, opened in the background so that an activation never waits for
/// the network: a camera that cannot be reached yet is retried every <see cref="RetryDelay"/> until it
/// answers or the connection is disposed. Once open, the stream's own <see cref="ReconnectPolicy"/> keeps it up.
/// </summary>
public sealed class CameraConnection : IAsyncDisposable
{
    /// <summary>The wait between two failed opens.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _opening;
    private volatile VideoStream? _stream;
    private volatile string? _openError;

    private CameraConnection(CameraSettings camera, ILogger logger) => _opening = OpenUntilDoneAsync(camera, logger);

    /// <summary>Starts opening <paramref name="camera"/>.</summary>
    public static CameraConnection Start(CameraSettings camera, ILogger logger) => new(camera, logger);

    /// <summary>The open stream, or null while it is being opened.</summary>
    public VideoStream? Stream => _stream;

    /// <summary>Why the last open failed, or null.</summary>
    public string? OpenError => _openError;

    private async Task OpenUntilDoneAsync(CameraSettings camera, ILogger logger)
    {
        await Task.Yield(); // the caller (an activation) goes on at once
        var options = camera.ToStreamOptions(logger);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _stream = await VideoStream.OpenAsync(camera.Address, options, _stop.Token).ConfigureAwait(false);
                _openError = null;
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (StreamOpenException e)
            {
                _openError = e.Message;
                logger.LogWarning("Camera {Camera} did not open: {Reason}", camera.Name, e.Message);
            }
            try { await Task.Delay(RetryDelay, _stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Stops opening, or closes the open stream.</summary>
    public async ValueTask DisposeAsync()
    {
        // The opening task sets _stream at most once, before it completes; once it has completed (awaited
        // here) no stream can appear after the one disposed below. An open that the cancellation
        // interrupts disposes its half-made stream itself (VideoStream.OpenAsync).
        _stop.Cancel();
        await _opening.ConfigureAwait(false);
        if (_stream is { } stream)
            await stream.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
