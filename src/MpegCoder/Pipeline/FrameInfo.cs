namespace MpegCoder.Pipeline;

/// <summary>What the ring keeps beside each frame's pixels.</summary>
/// <param name="Sequence">Position in the stream of stored frames: 0 for the first frame stored, then +1 per frame.</param>
/// <param name="Pts">Presentation timestamp in the stream's time base, or long.MinValue when the stream gave none.</param>
/// <param name="ReceivedTimestamp">Stopwatch.GetTimestamp() when the writer stored the frame.</param>
/// <param name="IsKeyFrame">Whether the decoder marked the frame as a keyframe.</param>
internal readonly record struct FrameInfo(long Sequence, long Pts, long ReceivedTimestamp, bool IsKeyFrame);
