using System.Diagnostics;
using MpegCoder.Decoding;
using MpegCoder.Recording;

namespace MpegCoder;

/// <summary>What is known about one stored frame besides its pixels.</summary>
/// <param name="Sequence">
/// The frame's number among the frames stored for this stream: 0, 1, 2, ... A gap between two frames a
/// reader gets means the frames in between were overwritten before it read them.
/// </param>
/// <param name="Pts">The presentation timestamp in the stream's time base, or <see cref="long.MinValue"/> when the stream gave none.</param>
/// <param name="PresentationTime">The presentation timestamp as time, or null when the stream gave none.</param>
/// <param name="ReceivedAt">Wall-clock time (UTC) when the writer stored the frame.</param>
/// <param name="ReceivedTimestamp">The same moment as a <see cref="Stopwatch.GetTimestamp"/> value, for measuring age.</param>
/// <param name="IsKeyFrame">Whether the decoder marked the frame as a keyframe.</param>
public readonly record struct FrameMetadata(
    long Sequence, long Pts, TimeSpan? PresentationTime, DateTimeOffset ReceivedAt, long ReceivedTimestamp, bool IsKeyFrame)
{
    /// <summary>How long ago the frame was stored.</summary>
    public TimeSpan Age => Stopwatch.GetElapsedTime(ReceivedTimestamp);
}
