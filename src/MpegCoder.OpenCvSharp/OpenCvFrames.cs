using OpenCvSharp;

namespace MpegCoder.OpenCvSharp;

/// <summary>MpegCoder frames as OpenCvSharp <see cref="Mat"/>s, without copying their pixels.</summary>
public static class OpenCvFrames
{
    /// <summary>
    /// Opens a stream whose frames come in OpenCV's channel order: <see cref="FramePixelFormat.Rgb24"/>
    /// (the library's default) becomes <see cref="FramePixelFormat.Bgr24"/>; <c>Rgba</c> and <c>Gray8</c> stay.
    /// </summary>
    public static Task<VideoStream> OpenAsync(string address, StreamOptions? options = null, CancellationToken cancellationToken = default) =>
        VideoStream.OpenAsync(address, WithOpenCvOrder(options), cancellationToken);

    /// <summary>The options with <see cref="FramePixelFormat.Rgb24"/> replaced by <see cref="FramePixelFormat.Bgr24"/>.</summary>
    public static StreamOptions WithOpenCvOrder(StreamOptions? options)
    {
        options ??= new StreamOptions();
        return options.PixelFormat == FramePixelFormat.Rgb24 ? options with { PixelFormat = FramePixelFormat.Bgr24 } : options;
    }

    /// <summary>The <see cref="MatType"/> of a frame in <paramref name="format"/>: 8-bit, 3, 4 or 1 channels.</summary>
    public static MatType MatTypeOf(FramePixelFormat format) => format switch
    {
        FramePixelFormat.Rgb24 or FramePixelFormat.Bgr24 => MatType.CV_8UC3,
        FramePixelFormat.Rgba => MatType.CV_8UC4,
        FramePixelFormat.Gray8 => MatType.CV_8UC1,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
    };

    /// <summary>
    /// The frame as a <see cref="Mat"/> over the frame's own pixels (no copy). The view is valid until
    /// it or the frame is disposed; dispose the view first. The Mat's channel order is the frame's
    /// (<see cref="VideoFrame.PixelFormat"/>); open the stream with <see cref="OpenAsync"/> for BGR.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The frame was disposed.</exception>
    public static FrameMat AsMat(this VideoFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return FrameMat.Over(frame.Memory, frame.Height, frame.Width, frame.PixelFormat);
    }

    /// <summary>Frame <paramref name="index"/> of a batch as a <see cref="Mat"/> over the batch's pixels (no copy).</summary>
    public static FrameMat AsMat(this FrameBatch batch, int index)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, batch.Count);
        return FrameMat.Over(batch.Data.Slice(index * batch.FrameBytes, batch.FrameBytes), batch.Height, batch.Width, batch.PixelFormat);
    }
}
