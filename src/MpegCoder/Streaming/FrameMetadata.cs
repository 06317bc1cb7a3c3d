using System.Diagnostics;

namespace MpegCoder;

/// <summary>What is known about one stored frame besides its pixels.</summary>
/// <remarks>
/// Built with an object initializer (<c>new FrameMetadata { Sequence = 0, Pts = 3600, ... }</c>), so that a
/// property added in a later version breaks no compiled caller; compared by value.
/// </remarks>
public readonly record struct FrameMetadata
{
    /// <summary>
    /// The frame's number among the frames stored for this stream: 0, 1, 2, ... A gap between two frames a
    /// reader gets means the frames in between were overwritten before it read them.
    /// </summary>
    public long Sequence { get; init; }

    /// <summary>The presentation timestamp in the stream's time base, or <see cref="long.MinValue"/> when the stream gave none.</summary>
    public long Pts { get; init; }

    /// <summary>The presentation timestamp as time, or null when the stream gave none.</summary>
    public TimeSpan? PresentationTime { get; init; }

    /// <summary>Wall-clock time (UTC) when the writer stored the frame.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The same moment as a <see cref="Stopwatch.GetTimestamp"/> value, for measuring age.</summary>
    public long ReceivedTimestamp { get; init; }

    /// <summary>Whether the decoder marked the frame as a keyframe.</summary>
    public bool IsKeyFrame { get; init; }

    /// <summary>How long ago the frame was stored.</summary>
    public TimeSpan Age => Stopwatch.GetElapsedTime(ReceivedTimestamp);
}
