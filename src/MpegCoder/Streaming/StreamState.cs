using MpegCoder.Streaming;
namespace MpegCoder;

/// <summary>Where a stream is in its life.</summary>
public enum StreamState
{
    /// <summary>Opening the connection and probing the stream: during the port's FFmpegSetup, and when Start resumes on a new connection after a stop that cut a read short.</summary>
    Connecting,
    /// <summary>Open; the writer is not running (before Start, or after Terminate).</summary>
    Paused,
    /// <summary>The writer is storing frames.</summary>
    Streaming,
    /// <summary>The stream ended and the reconnect policy is reopening it.</summary>
    Reconnecting,
    /// <summary>The stream has ended for good (remote close, error, stall, or no more reconnect attempts) or was closed.</summary>
    Closed,
}

/// <summary>A change of <see cref="StreamState"/>, with the reason when there is one.</summary>
/// <param name="previous">The state before.</param>
/// <param name="state">The state now.</param>
/// <param name="reason">Why, or null.</param>
public sealed class StreamStateChangedEventArgs(StreamState previous, StreamState state, string? reason) : EventArgs
{
    /// <summary>The state before.</summary>
    public StreamState Previous { get; } = previous;

    /// <summary>The state now.</summary>
    public StreamState State { get; } = state;

    /// <summary>Why, for <see cref="StreamState.Reconnecting"/> and <see cref="StreamState.Closed"/>; otherwise null.</summary>
    public string? Reason { get; } = reason;
}
