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

    /// <summary>
    /// Starts a recording event on a camera configured with <see cref="CameraRecordingMode.OnEvent"/> (a file
    /// holding its pre-event buffer, then what follows), or extends the running one. False for a name not
    /// configured, a camera that does not record on events, or one whose recorder is not running (its stream
    /// not open yet, a restart after a failure pending). The default implementation, for registries written
    /// before recording existed, records nothing and returns false.
    /// </summary>
    bool TriggerRecording(string name) => false;

    /// <summary>Ends a camera's running recording event now (its file is finished); false in the cases <see cref="TriggerRecording"/> returns false.</summary>
    bool EndRecordingEvent(string name) => false;

    /// <summary>
    /// A recording camera's recent finished files, oldest first (at most <see cref="CameraRecordingOptions.FilesKept"/>,
    /// those retention deleted taken off); empty for a name not configured or a camera that does not record
    /// (and from the default implementation).
    /// </summary>
    IReadOnlyList<RecordedFile> GetRecordedFiles(string name) => [];
}
