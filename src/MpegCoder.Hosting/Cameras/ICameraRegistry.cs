namespace MpegCoder.Hosting;

/// <summary>
/// The hosted cameras by name (registered by <see cref="MpegCoderServiceCollectionExtensions.AddMpegCoder(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>).
/// Every member is thread-safe and answers at once; names are case-sensitive.
/// </summary>
public interface ICameraRegistry
{
    /// <summary>The configured cameras' names, in configuration order.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Every camera's status, in configuration order.</summary>
    IReadOnlyList<CameraStatus> GetStatuses();

    /// <summary>One camera's status, or null for a name not configured.</summary>
    CameraStatus? GetStatus(string name);

    /// <summary>
    /// The camera's open stream, or null while it has not opened yet (or for a name not configured). The
    /// registry owns it: do not dispose it. A configuration change that removes or changes the camera
    /// disposes it (reads then keep returning its last frames), and the camera's new stream comes from a new call.
    /// </summary>
    VideoStream? GetStream(string name);

    /// <summary>
    /// Waits until the camera's stream is open and returns it (at once when it is), or null for a name
    /// not configured or a camera given up (closed) before it opened.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    Task<VideoStream?> WaitForStreamAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// The camera's newest frame with its metadata (a batch of one), a batch of none before its first
    /// frame, or null while it has no open stream. It takes nothing: a file camera's readers still get every frame.
    /// </summary>
    FrameBatch? ReadNewestFrame(string name);
}
