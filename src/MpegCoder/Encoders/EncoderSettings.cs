using MpegCoder.Recording;
using MpegCoder.Streaming;
namespace MpegCoder.Encoders;

/// <summary>
/// Everything an encoding session is opened with: the encoder's settings (the original's parameters,
/// in FFmpeg's units) and where the packets go.
/// </summary>
/// <param name="CodecName">An encoder ("libx264") or a codec ("h264": FFmpeg's preferred encoder of it).</param>
/// <param name="Width">Encoded width.</param>
/// <param name="Height">Encoded height.</param>
/// <param name="SourceWidth">Width of the RGB24 frames given to the encoder (scaled to <paramref name="Width"/>).</param>
/// <param name="SourceHeight">Height of the RGB24 frames given to the encoder.</param>
/// <param name="FrameRate">Frames per second as (num, den); the time base is its inverse.</param>
/// <param name="BitRate">Bits per second; 0 leaves the encoder's own rate control (libx264: CRF 23).</param>
/// <param name="GopSize">Frames from one keyframe to the next at most ("g").</param>
/// <param name="MaxBFrames">B-frames in a row at most ("bf").</param>
/// <param name="Threads">Encoder threads; 0 = FFmpeg's choice.</param>
/// <param name="LowLatency">A live push: encoders with a "tune" option get "zerolatency" (no lookahead, no
/// frames held back), so each frame leaves when it is served rather than a second and a half later.</param>
internal sealed record EncoderSettings(
    string CodecName, int Width, int Height, int SourceWidth, int SourceHeight,
    (int num, int den) FrameRate, long BitRate, int GopSize, int MaxBFrames, int Threads, bool LowLatency = false)
{
    /// <summary>Bytes of one source frame (SourceHeight x SourceWidth x 3).</summary>
    public int SourceFrameBytes => SourceWidth * SourceHeight * 3;

    /// <summary>Throws for values no encoder can take, naming the original's parameter.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(CodecName)) throw new ArgumentException("No codec: set codecName (e.g. \"libx264\").", "codecName");
        if (Width <= 0 || Height <= 0) throw new ArgumentOutOfRangeException(Width <= 0 ? "width" : "height", $"The encoded size {Width}x{Height} must be positive.");
        if (SourceWidth <= 0 || SourceHeight <= 0) throw new ArgumentOutOfRangeException(SourceWidth <= 0 ? "widthSrc" : "heightSrc", $"The source size {SourceWidth}x{SourceHeight} must be positive.");
        if (FrameRate.num <= 0 || FrameRate.den <= 0) throw new ArgumentOutOfRangeException("frameRate", $"The frame rate {FrameRate.num}/{FrameRate.den} must be positive.");
        if (BitRate < 0) throw new ArgumentOutOfRangeException("bitRate", "The bit rate must not be negative.");
        if (GopSize < 0) throw new ArgumentOutOfRangeException("GOPSize", "The GOP size must not be negative.");
        if (MaxBFrames < 0) throw new ArgumentOutOfRangeException("maxBframe", "maxBframe must not be negative.");
        if (Threads < 0) throw new ArgumentOutOfRangeException("nthread", "nthread must not be negative.");
    }
}
