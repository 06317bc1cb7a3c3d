using MpegCoder.Interop;
using MpegCoder.Streaming;

namespace MpegCoder;

/// <summary>The layout of the pixels of a stored frame. Rows are packed, without padding.</summary>
public enum FramePixelFormat
{
    /// <summary>3 bytes a pixel: red, green, blue (the default, and the original's format).</summary>
    Rgb24,
    /// <summary>3 bytes a pixel: blue, green, red (OpenCV's order).</summary>
    Bgr24,
    /// <summary>4 bytes a pixel: red, green, blue, alpha (always 255).</summary>
    Rgba,
    /// <summary>1 byte a pixel: luminance.</summary>
    Gray8,
}

/// <summary>FFmpeg's view of a <see cref="FramePixelFormat"/>.</summary>
internal static class FramePixelFormatExtensions
{
    public static int BytesPerPixel(this FramePixelFormat format) => format switch
    {
        FramePixelFormat.Rgb24 or FramePixelFormat.Bgr24 => 3,
        FramePixelFormat.Rgba => 4,
        FramePixelFormat.Gray8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The AVPixelFormat value; these four have kept their numbers in every FFmpeg release.</summary>
    public static int ToAVPixelFormat(this FramePixelFormat format) => format switch
    {
        FramePixelFormat.Rgb24 => FFmpegConstants.AV_PIX_FMT_RGB24,
        FramePixelFormat.Bgr24 => FFmpegConstants.AV_PIX_FMT_BGR24,
        FramePixelFormat.Rgba => FFmpegConstants.AV_PIX_FMT_RGBA,
        FramePixelFormat.Gray8 => FFmpegConstants.AV_PIX_FMT_GRAY8,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
