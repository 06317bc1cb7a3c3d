using MpegCoder.Streaming;
namespace MpegCoder;

/// <summary>What FFmpeg found out about an opened stream's video.</summary>
/// <param name="CodecName">The codec, e.g. "h264".</param>
/// <param name="Width">Source width in pixels.</param>
/// <param name="Height">Source height in pixels.</param>
/// <param name="FrameRate">FFmpeg's best guess of the frame rate (num, den); (0, 1) when unknown.</param>
/// <param name="TimeBase">The unit of the stream's timestamps (num, den) in seconds.</param>
/// <param name="Duration">The length of a file; null for a live stream.</param>
/// <param name="FrameCount">Frames in the stream as the container states them, else estimated from the duration; 0 when unknown.</param>
/// <param name="BitRate">The video stream's bits per second as the container states them (not the whole container's, which counts audio too); 0 when unknown.</param>
/// <param name="DecoderThreads">Threads the decoder uses.</param>
/// <param name="GopSize">The decoder's gop size setting ("g"); rarely known for a decoder.</param>
/// <param name="MaxBFrames">The decoder's max B-frames setting ("bf").</param>
public sealed record StreamInfo(
    string CodecName, int Width, int Height, (int num, int den) FrameRate, (int num, int den) TimeBase,
    TimeSpan? Duration, long FrameCount, long BitRate, int DecoderThreads, int GopSize, int MaxBFrames)
{
    /// <summary>The frame rate as frames per second; 0 when unknown.</summary>
    public double FramesPerSecond => FrameRate.den == 0 ? 0 : (double)FrameRate.num / FrameRate.den;
}
