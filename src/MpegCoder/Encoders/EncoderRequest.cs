using System.Globalization;
using MpegCoder.Interop;

namespace MpegCoder.Encoders;

/// <summary>
/// What an encoder is opened for: which encoder, the size and clock of what it encodes, and the packed
/// pictures it will be given (converted, and scaled when the sizes differ, into the encoder's frame).
/// </summary>
/// <param name="CodecName">An encoder ("libx264", "mjpeg") or a codec ("h264": FFmpeg's preferred encoder of it).</param>
/// <param name="Width">Encoded width.</param>
/// <param name="Height">Encoded height.</param>
/// <param name="TimeBase">The encoder's time base; every video encoder needs one, even for a still picture.</param>
/// <param name="SourceWidth">Width of the pictures given to the encoder.</param>
/// <param name="SourceHeight">Height of the pictures given to the encoder.</param>
/// <param name="SourceFormat">The layout of those pictures' pixels.</param>
/// <param name="ScaleFlags">swscale's algorithm for the conversion (SWS_BICUBIC...).</param>
/// <param name="Conditions">What else an open failure names after the size (", 25/1 fps"); "" for nothing.</param>
internal sealed record EncoderRequest(
    string CodecName, int Width, int Height, AVRational TimeBase,
    int SourceWidth, int SourceHeight, FramePixelFormat SourceFormat, int ScaleFlags, string Conditions = "")
{
    /// <summary>What the encoder is opened for, as an open failure says it: "640x480, 25/1 fps".</summary>
    public string Setup => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}{Conditions}");

    /// <summary>Bytes of one source picture: rows of SourceWidth pixels, no padding.</summary>
    public int SourceStride => SourceWidth * SourceFormat.BytesPerPixel();
}
