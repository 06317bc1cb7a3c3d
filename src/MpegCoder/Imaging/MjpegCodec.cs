using MpegCoder.Encoders;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Native;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Imaging;

/// <summary>
/// FFmpeg's own JPEG encoder ("mjpeg") opened for one picture size, pixel format and quality, as an
/// <see cref="EncoderContext"/> (the steps MpegEncoder's encoder takes too): one picture in, one JPEG out.
/// Not thread-safe: <see cref="JpegEncoder"/> serialises the calls.
/// </summary>
internal sealed unsafe class MjpegCodec : IDisposable
{
    /// <summary>Full-range YUV 4:2:0: what JPEG (JFIF) stores, and what the mjpeg encoder takes without "strict".</summary>
    private const string PixelFormat = "yuvj420p";

    private readonly EncoderContext _encoder;
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;

    public int Width { get; }
    public int Height { get; }
    public FramePixelFormat Format { get; }

    private MjpegCodec(int width, int height, FramePixelFormat format, EncoderContext encoder)
    {
        Width = width;
        Height = height;
        Format = format;
        _encoder = encoder;
    }

    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <param name="format">The layout of the pictures it will be given.</param>
    /// <param name="qscale">FFmpeg's quantiser scale (the CLI's -q:v): 2 is the best, 31 the smallest.</param>
    /// <exception cref="EncoderException">This FFmpeg has no mjpeg encoder, or it does not open for this picture.</exception>
    public static MjpegCodec Open(int width, int height, FramePixelFormat format, int qscale)
    {
        // A still picture has no clock, but every video encoder needs a time base.
        var request = new EncoderRequest("mjpeg", width, height, new AVRational(1, 25), width, height, format, SWS_BILINEAR,
            $", quality scale {qscale}");
        // qmin = qmax pins the quantiser: every picture gets the same quality whatever the rate control thinks.
        var encoder = EncoderContext.Open(request, [new EncoderChoice(PixelFormat, PixelFormat, context =>
        {
            AVOptions.Set(context, "qmin", qscale);
            AVOptions.Set(context, "qmax", qscale);
        })]);
        return new MjpegCodec(width, height, format, encoder);
    }

    /// <summary>
    /// Encodes one packed picture of this codec's size and format and hands the JPEG bytes to
    /// <paramref name="take"/> while they are valid (they belong to FFmpeg's packet until it returns).
    /// Allocates nothing of its own.
    /// </summary>
    /// <exception cref="EncoderException">The encoder did not encode the picture.</exception>
    public TResult Encode<TState, TResult>(ReadOnlySpan<byte> pixels, TState state, JpegBytesHandler<TState, TResult> take)
    {
        _encoder.Send(pixels, AV_NOPTS_VALUE);
        // mjpeg holds nothing back: each picture is its own packet at once.
        if (!_encoder.Receive()) throw EncoderException.NotEncoded(_encoder.Name, "no JPEG came out for the picture");
        try
        {
            var packet = new AVPacketFields(_encoder.Packet, _layout);
            return take(new ReadOnlySpan<byte>(packet.data, packet.size), state);
        }
        finally
        {
            ffmpeg.av_packet_unref(_encoder.Packet);
        }
    }

    public void Dispose() => _encoder.Dispose();
}

/// <summary>Receives the bytes of one encoded JPEG, valid only during the call.</summary>
internal delegate TResult JpegBytesHandler<TState, TResult>(ReadOnlySpan<byte> jpeg, TState state);
