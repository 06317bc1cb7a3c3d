namespace MpegCoder.Hosting;

/// <summary>One hosted camera as it is now.</summary>
/// <remarks>
/// Built with an object initializer, so that a property added in a later version breaks no compiled caller;
/// compared by value.
/// </remarks>
public sealed record CameraStatus
{
    /// <summary>The camera's configured name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Its address, credentials hidden.</summary>
    public string Address { get; init; } = "";

    /// <summary>
    /// Where it is: <see cref="StreamState.Connecting"/> during the first open attempt,
    /// <see cref="StreamState.Reconnecting"/> while it retries (a first open that failed, or a stream that
    /// ended), <see cref="StreamState.Streaming"/> while frames flow, <see cref="StreamState.Closed"/> when it
    /// was given up (the reconnect policy's MaxAttempts, or a configuration that cannot work).
    /// </summary>
    public StreamState State { get; init; }

    /// <summary>When it entered <see cref="State"/> (UTC).</summary>
    public DateTimeOffset StateSince { get; init; }

    /// <summary>How old its newest frame is, or null before the first.</summary>
    public TimeSpan? NewestFrameAge { get; init; }

    /// <summary>Its stream's counters (zero before it first opened).</summary>
    public StreamStatistics Statistics { get; init; }

    /// <summary>Why it last failed to open or last ended, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>Whether it records: <see cref="CameraRecordingMode.Off"/> (not configured to), Continuous or OnEvent.</summary>
    public CameraRecordingMode Recording { get; init; }

    /// <summary>
    /// Why its recorder last failed (a folder that cannot be written, a full disk), until a new recorder has
    /// written a packet; null otherwise. A camera with a recording error is degraded in the health check.
    /// </summary>
    public string? RecordingError { get; init; }

    /// <summary>How many recent files <see cref="ICameraRegistry.GetRecordedFiles"/> lists.</summary>
    public int RecordedFiles { get; init; }

    /// <summary>Its recorders' counters since the camera was hosted, every restart included (zero when it does not record).</summary>
    public RecordingStatistics RecordingStatistics { get; init; }
}
