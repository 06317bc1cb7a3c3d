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
}
