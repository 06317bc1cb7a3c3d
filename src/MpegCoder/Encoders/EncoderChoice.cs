using MpegCoder.Interop;

namespace MpegCoder.Encoders;

/// <summary>
/// Sets an encoder's own options on a fresh codec context before it opens, through
/// <see cref="Native.AVOptions"/> (a refused value throws <see cref="Native.FFmpegOptionException"/>).
/// </summary>
internal unsafe delegate void CodecOptions(AVCodecContext* context);

/// <summary>One way of opening an encoder, tried in turn until one opens.</summary>
/// <param name="PixelFormat">The pixel format of the frames it encodes ("yuv420p").</param>
/// <param name="Label">What an open failure calls this way ("yuv420p without B-frames").</param>
/// <param name="Options">The options besides size, pixel format and time base; null for none.</param>
internal sealed record EncoderChoice(string PixelFormat, string Label, CodecOptions? Options);
