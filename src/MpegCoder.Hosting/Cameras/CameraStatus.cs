namespace MpegCoder.Hosting;

/// <summary>One hosted camera as it is now.</summary>
/// <param name="Name">The camera's configured name.</param>
/// <param name="Address">Its address, credentials hidden.</param>
/// <param name="State">
/// Where it is: <see cref="StreamState.Connecting"/> during the first open attempt,
/// <see cref="StreamState.Reconnecting"/> while it retries (a first open that failed, or a stream that
/// ended), <see cref="StreamState.Streaming"/> while frames flow, <see cref="StreamState.Closed"/> when it
/// was given up (the reconnect policy's MaxAttempts, or a configuration that cannot work).
/// </param>
/// <param name="StateSince">When it entered <paramref name="State"/> (UTC).</param>
/// <param name="NewestFrameAge">How old its newest frame is, or null before the first.</param>
/// <param name="Statistics">Its stream's counters (zero before it first opened).</param>
/// <param name="LastError">Why it last failed to open or last ended, or null.</param>
public sealed record CameraStatus(
    string Name, string Address, StreamState State, DateTimeOffset StateSince, TimeSpan? NewestFrameAge,
    StreamStatistics Statistics, string? LastError);
