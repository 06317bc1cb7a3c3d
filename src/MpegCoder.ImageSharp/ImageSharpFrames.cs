using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MpegCoder.ImageSharp;

/// <summary>
/// MpegCoder frames as ImageSharp images. <c>AsImage</c> wraps the frame's own pixels (no copy) when the
/// pixel type matches the frame's format: <see cref="Rgb24"/> for <see cref="FramePixelFormat.Rgb24"/>,
/// <see cref="Bgr24"/> for <see cref="FramePixelFormat.Bgr24"/>, <see cref="Rgba32"/> for
/// <see cref="FramePixelFormat.Rgba"/>, <see cref="L8"/> for <see cref="FramePixelFormat.Gray8"/>.
/// <c>ToImage</c> copies, converting to any pixel type.
/// </summary>
public static class ImageSharpFrames
{
    /// <summary>
    /// The frame as an image over its own pixels (no copy), valid until the frame is disposed. Drawing on
    /// it changes the frame's pixels.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="TPixel"/> is not the frame's format.</exception>
    public static Image<TPixel> AsImage<TPixel>(this VideoFrame frame) where TPixel : unmanaged, IPixel<TPixel>
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Wrap<TPixel>(frame.Memory, frame.Width, frame.Height, frame.PixelFormat);
    }

    /// <summary>Frame <paramref name="index"/> of a batch as an image over the batch's pixels (no copy).</summary>
    public static Image<TPixel> AsImage<TPixel>(this FrameBatch batch, int index) where TPixel : unmanaged, IPixel<TPixel>
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, batch.Count);
        return Wrap<TPixel>(batch.Data.Slice(index * batch.FrameBytes, batch.FrameBytes), batch.Width, batch.Height, batch.PixelFormat);
    }

    /// <summary>A copy of the frame as an image of any pixel type (converted when it differs from the frame's).</summary>
    public static Image<TPixel> ToImage<TPixel>(this VideoFrame frame) where TPixel : unmanaged, IPixel<TPixel>
    {
        ArgumentNullException.ThrowIfNull(frame);
        return ToImage<TPixel>(frame.Pixels, frame.Width, frame.Height, frame.PixelFormat);
    }

    /// <summary>A copy of packed pixels (for example one frame of <c>MpegClient.ExtractFrame</c>) as an image of any pixel type.</summary>
    public static Image<TPixel> ToImage<TPixel>(ReadOnlySpan<byte> pixels, int width, int height, FramePixelFormat format)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        Image source = format switch
        {
            FramePixelFormat.Rgb24 => Image.LoadPixelData<Rgb24>(pixels, width, height),
            FramePixelFormat.Bgr24 => Image.LoadPixelData<Bgr24>(pixels, width, height),
            FramePixelFormat.Rgba => Image.LoadPixelData<Rgba32>(pixels, width, height),
            FramePixelFormat.Gray8 => Image.LoadPixelData<L8>(pixels, width, height),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
        };
        if (source is Image<TPixel> same)
            return same;
        using (source)
            return source.CloneAs<TPixel>();
    }

    /// <summary>The ImageSharp pixel type that holds <paramref name="format"/> without conversion.</summary>
    public static Type PixelTypeOf(FramePixelFormat format) => format switch
    {
        FramePixelFormat.Rgb24 => typeof(Rgb24),
        FramePixelFormat.Bgr24 => typeof(Bgr24),
        FramePixelFormat.Rgba => typeof(Rgba32),
        FramePixelFormat.Gray8 => typeof(L8),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
    };

    private static Image<TPixel> Wrap<TPixel>(ReadOnlyMemory<byte> pixels, int width, int height, FramePixelFormat format)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        if (PixelTypeOf(format) != typeof(TPixel))
            throw new ArgumentException($"A {format} frame wraps as Image<{PixelTypeOf(format).Name}>, not Image<{typeof(TPixel).Name}>; use ToImage to convert.");
        // ImageSharp wraps writable memory; the frame's buffer is a pooled array that nothing else writes.
        return Image.WrapMemory<TPixel>(MemoryMarshal.AsMemory(pixels), width, height);
    }
}
