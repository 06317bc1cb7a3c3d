using MpegCoder.Decoding;
using MpegCoder.Recording;
using MpegCoder.Streaming;
namespace MpegCoder;

/// <summary>Counters of one stream since it was set up (they go on across reconnections).</summary>
/// <param name="FramesDecoded">Frames the decoder produced.</param>
/// <param name="FramesStored">Frames stored in the ring.</param>
/// <param name="FramesDropped">Frames the frame-rate selector dropped (never scaled).</param>
/// <param name="FramesCorrupt">Frames the decoder flagged as damaged, and packets it rejected; none is stored.</param>
/// <param name="FramesBeforeKeyFrame">Frames before the first keyframe, not stored (they would be grey garbage).</param>
/// <param name="Reconnects">Successful reconnections.</param>
/// <param name="LastError">Why the stream last ended or failed to reconnect, or null.</param>
public readonly record struct StreamStatistics(
    long FramesDecoded, long FramesStored, long FramesDropped, long FramesCorrupt, long FramesBeforeKeyFrame,
    int Reconnects, string? LastError);
