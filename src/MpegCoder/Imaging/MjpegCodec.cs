using System.Globalization;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Native;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Imaging;

/// <summary>
/// FFmpeg's own JPEG encoder ("mjpeg") opened for one picture size and quality, with the frame it
/// encodes from and the converter from one packed pixel format to YUVJ420P that fills that frame. Settings go through
/// AVOptions by name (<see cref="AVOptions"/>), so only the frame's and packet's data members come
/// from the layout table. Not thread-safe: <see cref="JpegEncoder"/> serialises the calls.
/// </summary>
internal sealed unsafe class MjpegCodec : IDisposable
{
    private readonly CodecContextHandle _context;
    private readonly FrameHandle _frame;
    private readonly PacketHandle _packet;
    private readonly SwsContextHandle _converter;
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;

    public int Width { get; }
    public int Height { get; }
    public FramePixelFormat Format { get; }

    private MjpegCodec(int width, int height, FramePixelFormat format, CodecContextHandle context, FrameHandle frame, PacketHandle packet, SwsContextHandle converter)
    {
        Width = width;
        Height = height;
        Format = format;
        _context = context;
        _frame = frame;
        _packet = packet;
        _converter = converter;
    }

    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <param name="format">The layout of the pictures it will be given.</param>
    /// <param name="qscale">FFmpeg's quantiser scale (the CLI's -q:v): 2 is the best, 31 the smallest.</param>
    public static MjpegCodec Open(int width, int height, FramePixelFormat format, int qscale)
    {
        var layout = FFmpegLoader.Layout;
        AVCodec* codec;
        fixed (byte* name = "mjpeg\0"u8) codec = ffmpeg.avcodec_find_encoder_by_name(name);
        if (codec == null) throw new NotSupportedException("This FFmpeg has no mjpeg encoder.");
        int yuvj420p;
        fixed (byte* name = "yuvj420p\0"u8) yuvj420p = ffmpeg.av_get_pix_fmt(name);
        if (yuvj420p < 0) throw new NotSupportedException("This FFmpeg does not know the pixel format yuvj420p.");

        var disposables = new List<IDisposable>();
        try
        {
            var context = Track(disposables, CodecContextHandle.Allocate(codec));
            AVOptions.Set(context.Ptr, "video_size", string.Create(CultureInfo.InvariantCulture, $"{width}x{height}"));
            // Full-range YUV 4:2:0: what JPEG (JFIF) stores, and what the mjpeg encoder takes without "strict".
            AVOptions.Set(context.Ptr, "pixel_format", "yuvj420p");
            AVOptions.Set(context.Ptr, "time_base", "1/25"); // required by every video encoder; a still picture has no clock
            // qmin = qmax pins the quantiser: every picture gets the same quality whatever the rate control thinks.
            AVOptions.Set(context.Ptr, "qmin", qscale);
            AVOptions.Set(context.Ptr, "qmax", qscale);
            Check(ffmpeg.avcodec_open2(context.Ptr, codec, null), "avcodec_open2(mjpeg)");

            var frame = Track(disposables, FrameHandle.Allocate());
            var fields = new AVFrameFields(frame.Ptr, layout);
            fields.width = width;
            fields.height = height;
            fields.format = yuvj420p;
            Check(ffmpeg.av_frame_get_buffer(frame.Ptr, 0), "av_frame_get_buffer");

            var packet = Track(disposables, PacketHandle.Allocate());
            var converter = Track(disposables, SwsContextHandle.Create(width, height, format.ToAVPixelFormat(), width, height, yuvj420p, SWS_BILINEAR));
            return new MjpegCodec(width, height, format, context, frame, packet, converter);
        }
        catch
        {
            foreach (var d in disposables) d.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Encodes one packed picture of this codec's size and format and hands the JPEG bytes to
    /// <paramref name="take"/> while they are valid (they belong to FFmpeg's packet until it returns).
    /// </summary>
    public TResult Encode<TState, TResult>(ReadOnlySpan<byte> pixels, TState state, JpegBytesHandler<TState, TResult> take)
    {
        // The encoder may still hold a reference to the last picture's buffer; make_writable gives
        // the frame a buffer of its own if so (and can move the planes, so they are read after it).
        Check(ffmpeg.av_frame_make_writable(_frame.Ptr), "av_frame_make_writable");
        var frame = new AVFrameFields(_frame.Ptr, _layout);
        byte** planes = frame.data;
        int* strides = frame.linesize;
        fixed (byte* source = pixels)
        {
            byte** sourcePlanes = stackalloc byte*[4] { source, null, null, null };
            int* sourceStrides = stackalloc int[4] { Width * Format.BytesPerPixel(), 0, 0, 0 };
            if (ffmpeg.sws_scale(_converter.Ptr, sourcePlanes, sourceStrides, 0, Height, planes, strides) != Height)
                throw new InvalidOperationException("sws_scale did not convert the whole picture.");
        }
        Check(ffmpeg.avcodec_send_frame(_context.Ptr, _frame.Ptr), "avcodec_send_frame");
        Check(ffmpeg.avcodec_receive_packet(_context.Ptr, _packet.Ptr), "avcodec_receive_packet");
        try
        {
            var packet = new AVPacketFields(_packet.Ptr, _layout);
            return take(new ReadOnlySpan<byte>(packet.data, packet.size), state);
        }
        finally
        {
            ffmpeg.av_packet_unref(_packet.Ptr);
        }
    }

    private static T Track<T>(List<IDisposable> disposables, T item) where T : IDisposable
    {
        disposables.Add(item);
        return item;
    }

    private static void Check(int ret, string what)
    {
        if (ret < 0) throw new InvalidOperationException($"{what} failed: {FFmpegError.Text(ret)}");
    }

    public void Dispose()
    {
        _converter.Dispose();
        _packet.Dispose();
        _frame.Dispose();
        _context.Dispose();
    }
}

/// <summary>Receives the bytes of one encoded JPEG, valid only during the call.</summary>
internal delegate TResult JpegBytesHandler<TState, TResult>(ReadOnlySpan<byte> jpeg, TState state);
