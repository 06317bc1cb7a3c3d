using System.Diagnostics;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Native;

namespace MpegCoder.Encoders;

/// <summary>
/// The frame an encoder encodes from: a buffer of its own in the encoder's size and pixel format, and the
/// swscale converter that fills it from one packed source picture (scaling it when the sizes differ). Only
/// the frame's data, linesize, size, format and pts come from the layout table. Not thread-safe: the
/// encoder's owner serialises the calls.
/// </summary>
internal sealed unsafe class EncoderFrame : IDisposable
{
    private readonly FrameHandle _frame;
    private readonly SwsContextHandle _converter;
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;
    private readonly string _encoder;
    private readonly int _height;
    private readonly int _sourceHeight;
    private readonly int _sourceStride;

    private EncoderFrame(string encoder, EncoderRequest request, FrameHandle frame, SwsContextHandle converter)
    {
        _encoder = encoder;
        _height = request.Height;
        _sourceHeight = request.SourceHeight;
        _sourceStride = request.SourceStride;
        _frame = frame;
        _converter = converter;
    }

    public AVFrame* Ptr => _frame.Ptr;

    /// <summary>Allocates the frame's buffer and the converter for an encoder that opened with <paramref name="pixelFormat"/>.</summary>
    /// <param name="encoder">The encoder's name, for the failure message.</param>
    /// <param name="request">The encoder's size and its source pictures.</param>
    /// <param name="pixelFormat">The pixel format the encoder opened with ("yuv420p").</param>
    /// <exception cref="EncoderException">The buffer or the conversion cannot be made (<see cref="EncoderException.NotOpened"/>).</exception>
    public static EncoderFrame Allocate(string encoder, EncoderRequest request, string pixelFormat)
    {
        int format;
        fixed (byte* name = CString.From(pixelFormat)) format = ffmpeg.av_get_pix_fmt(name);
        if (format < 0) throw EncoderException.NotOpened(encoder, request.Setup, $"this FFmpeg does not know the pixel format {pixelFormat}");

        var frame = FrameHandle.Allocate();
        try
        {
            var fields = new AVFrameFields(frame.Ptr, FFmpegLoader.Layout);
            fields.width = request.Width;
            fields.height = request.Height;
            fields.format = format;
            int ret = ffmpeg.av_frame_get_buffer(frame.Ptr, 0);
            if (ret < 0) throw EncoderException.NotOpened(encoder, request.Setup, $"{pixelFormat}: av_frame_get_buffer: {FFmpegError.Text(ret)}");
            var converter = SwsContextHandle.TryCreate(request.SourceWidth, request.SourceHeight, request.SourceFormat.ToAVPixelFormat(),
                request.Width, request.Height, format, request.ScaleFlags)
                ?? throw EncoderException.NotOpened(encoder, request.Setup,
                    $"swscale cannot convert {request.SourceWidth}x{request.SourceHeight} {request.SourceFormat} to {pixelFormat}");
            return new EncoderFrame(encoder, request, frame, converter);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Converts one packed source picture into the frame and stamps it <paramref name="pts"/>. Allocates nothing.
    /// </summary>
    /// <exception cref="EncoderException">The frame cannot be written or converted (<see cref="EncoderException.NotEncoded"/>).</exception>
    public void Fill(ReadOnlySpan<byte> pixels, long pts)
    {
        Debug.Assert(pixels.Length >= (long)_sourceStride * _sourceHeight, "the owner checks the picture's length");
        // The encoder may still hold a reference to the last frame's buffer (lookahead, B-frames);
        // make_writable gives the frame a buffer of its own then (and can move the planes, so they are read after it).
        int ret = ffmpeg.av_frame_make_writable(_frame.Ptr);
        if (ret < 0) throw EncoderException.NotEncoded(_encoder, $"av_frame_make_writable: {FFmpegError.Text(ret)}");
        var fields = new AVFrameFields(_frame.Ptr, _layout);
        fixed (byte* source = pixels)
        {
            byte** sourcePlanes = stackalloc byte*[4] { source, null, null, null };
            int* sourceStrides = stackalloc int[4] { _sourceStride, 0, 0, 0 };
            if (ffmpeg.sws_scale(_converter.Ptr, sourcePlanes, sourceStrides, 0, _sourceHeight, fields.data, fields.linesize) != _height)
                throw EncoderException.NotEncoded(_encoder, "sws_scale did not convert the whole picture");
        }
        fields.pts = pts;
    }

    public void Dispose()
    {
        _converter.Dispose();
        _frame.Dispose();
    }
}
