using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Native;
using MpegCoder.Recording;
using MpegCoder.Streaming;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Encoders;

/// <summary>
/// One opened video encoder with the frame it encodes from and the RGB24 -> encoder pixel format
/// converter (which also scales the source size to the encoded size) that fills that frame. Settings
/// go through AVOptions by name; only the frame's data, linesize and pts come from the layout table.
/// Not thread-safe: its owner serialises the calls.
/// </summary>
internal sealed unsafe class VideoEncoder : IDisposable
{
    /// <summary>
    /// Pixel formats tried in this order until the encoder opens: 4:2:0 first, what players expect
    /// (libx264, libx265, mpeg4, mpeg2video, vp9, ffv1 take yuv420p; mjpeg takes only full-range yuvj420p
    /// without "strict"), then 4:4:4 and RGB for the encoders that take nothing else (libx264rgb, png, qtrle...).
    /// </summary>
    private static readonly string[] PixelFormats = ["yuv420p", "yuvj420p", "yuv444p", "rgb24", "bgr24", "gbrp", "bgr0", "rgb0"];

    private readonly CodecContextHandle _context;
    private readonly FrameHandle _frame;
    private readonly PacketHandle _packet;
    private readonly SwsContextHandle _converter;
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;
    private readonly int _sourceWidth;
    private readonly int _sourceHeight;

    /// <summary>The encoder's name ("libx264").</summary>
    public string Name { get; }

    /// <summary>The pixel format the encoder opened with ("yuv420p").</summary>
    public string PixelFormat { get; }

    /// <summary>The encoder's time base: one tick per frame, the inverse of the frame rate.</summary>
    public AVRational TimeBase { get; }

    public AVCodecContext* Context => _context.Ptr;

    /// <summary>The reusable packet that <see cref="Receive"/> fills.</summary>
    public AVPacket* Packet => _packet.Ptr;

    private VideoEncoder(EncoderSettings settings, string name, string pixelFormat, CodecContextHandle context,
        FrameHandle frame, PacketHandle packet, SwsContextHandle converter)
    {
        Name = name;
        PixelFormat = pixelFormat;
        TimeBase = new AVRational(settings.FrameRate.den, settings.FrameRate.num);
        _sourceWidth = settings.SourceWidth;
        _sourceHeight = settings.SourceHeight;
        _context = context;
        _frame = frame;
        _packet = packet;
        _converter = converter;
    }

    /// <summary>Finds and opens the encoder; everything allocated is released again when it throws.</summary>
    /// <param name="settings">The encoder's settings.</param>
    /// <param name="globalHeader">The container wants the codec's headers out of band (AVFMT_GLOBALHEADER).</param>
    /// <exception cref="EncoderException">Unknown codec, or no pixel format or setting the encoder accepts.</exception>
    public static VideoEncoder Open(EncoderSettings settings, bool globalHeader)
    {
        AVCodec* codec = EncoderCatalog.Find(settings.CodecName);
        if (codec == null) throw new EncoderException(EncoderCatalog.Unknown(settings.CodecName));
        string name = EncoderCatalog.Name(codec);

        CodecContextHandle? context = null;
        string? chosen = null;
        var reasons = new List<string>();
        // Encoders without B-frames (mjpeg, the intra-only codecs) refuse maxBframe > 0: they get none, as in the original.
        int[] bFrameChoices = settings.MaxBFrames > 0 ? [settings.MaxBFrames, 0] : [0];
        // The refusals of the combinations tried are kept for the error message, not printed: a setup that
        // succeeds on the second pixel format says nothing.
        var log = new FFmpegLogCapture { Logger = NullLogger.Instance };
        using var quiet = FFmpegLog.Capture(log);
        foreach (int bFrames in bFrameChoices)
        {
            foreach (string pixelFormat in PixelFormats)
            {
                context = CodecContextHandle.Allocate(codec);
                log.Reset();
                string? refused;
                try
                {
                    Configure(context.Ptr, settings with { MaxBFrames = bFrames }, pixelFormat, globalHeader);
                    int ret = ffmpeg.avcodec_open2(context.Ptr, codec, null);
                    if (ret >= 0) { chosen = pixelFormat; break; }
                    refused = log.Text() ?? FFmpegError.Text(ret);
                }
                catch (FFmpegOptionException e)
                {
                    refused = e.Message;
                }
                reasons.Add($"{pixelFormat}{(bFrames != settings.MaxBFrames ? " without B-frames" : "")}: {refused}");
                context.Dispose();
                context = null;
            }
            if (chosen is not null) break;
        }
        if (context is null || chosen is null)
            throw new EncoderException($"The encoder {name} does not open at {settings.Width}x{settings.Height}, " +
                $"{settings.FrameRate.num}/{settings.FrameRate.den} fps with any of the pixel formats tried ({string.Join("; ", reasons.Distinct())}).");

        var owned = new List<IDisposable> { context };
        try
        {
            int format = PixelFormatId(chosen);
            var frame = Track(owned, FrameHandle.Allocate());
            var f = new AVFrameFields(frame.Ptr, FFmpegLoader.Layout);
            f.width = settings.Width;
            f.height = settings.Height;
            f.format = format;
            Check(ffmpeg.av_frame_get_buffer(frame.Ptr, 0), "av_frame_get_buffer");
            var packet = Track(owned, PacketHandle.Allocate());
            var converter = Track(owned, SwsContextHandle.Create(settings.SourceWidth, settings.SourceHeight, AV_PIX_FMT_RGB24,
                settings.Width, settings.Height, format, SWS_BICUBIC));
            return new VideoEncoder(settings, name, chosen, context, frame, packet, converter);
        }
        catch
        {
            foreach (var d in owned) d.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The original's settings as AVOptions (<see cref="AVOptions"/> throws <see cref="FFmpegOptionException"/>
    /// for a value the encoder refuses). The frame rate is the inverse of the time base (one tick per frame):
    /// AVCodecContext.framerate has no AVOption, and encoders without it take their rate from the time base
    /// (libx264 does).
    /// </summary>
    private static void Configure(AVCodecContext* context, EncoderSettings s, string pixelFormat, bool globalHeader)
    {
        AVOptions.Set(context, "video_size", string.Create(CultureInfo.InvariantCulture, $"{s.Width}x{s.Height}"));
        AVOptions.Set(context, "pixel_format", pixelFormat);
        AVOptions.Set(context, "time_base", new AVRational(s.FrameRate.den, s.FrameRate.num));
        if (s.BitRate > 0) AVOptions.Set(context, "b", s.BitRate);
        AVOptions.Set(context, "g", s.GopSize);
        AVOptions.Set(context, "bf", s.MaxBFrames);
        AVOptions.Set(context, "threads", s.Threads);
        if (globalHeader) AVOptions.Set(context, "flags", "+global_header");
        if (s.LowLatency) TuneForLatency(context);
    }

    /// <summary>
    /// "tune" = "zerolatency" on encoders that have the option (libx264, libx265): it lives in the
    /// encoder's private options, a child of the context. An encoder without it streams as it is.
    /// </summary>
    private static void TuneForLatency(AVCodecContext* context)
    {
        const int AV_OPT_SEARCH_CHILDREN = 1;
        fixed (byte* name = CString.From("tune"))
        fixed (byte* value = CString.From("zerolatency"))
            ffmpeg.av_opt_set(context, name, value, AV_OPT_SEARCH_CHILDREN);
    }

    /// <summary>
    /// Converts one packed RGB24 source frame into the encoder's frame and sends it with the
    /// presentation time <paramref name="pts"/> (in <see cref="TimeBase"/> ticks). Allocates nothing.
    /// </summary>
    public void Send(ReadOnlySpan<byte> rgb24, long pts)
    {
        // The encoder may still hold a reference to the last frame's buffer (lookahead, B-frames);
        // make_writable gives the frame a buffer of its own then (and can move the planes, so they are read after it).
        Check(ffmpeg.av_frame_make_writable(_frame.Ptr), "av_frame_make_writable");
        var f = new AVFrameFields(_frame.Ptr, _layout);
        fixed (byte* source = rgb24)
        {
            byte** sourcePlanes = stackalloc byte*[4] { source, null, null, null };
            int* sourceStrides = stackalloc int[4] { _sourceWidth * 3, 0, 0, 0 };
            if (ffmpeg.sws_scale(_converter.Ptr, sourcePlanes, sourceStrides, 0, _sourceHeight,
                    f.data, f.linesize) <= 0)
                throw new EncoderException("sws_scale did not convert the frame.");
        }
        f.pts = pts;
        Check(ffmpeg.avcodec_send_frame(_context.Ptr, _frame.Ptr), "avcodec_send_frame");
    }

    /// <summary>Tells the encoder no more frames come, so that <see cref="Receive"/> returns what it holds back.</summary>
    public void SendEnd()
    {
        int ret = ffmpeg.avcodec_send_frame(_context.Ptr, null);
        if (ret < 0 && ret != AVERROR_EOF) Check(ret, "avcodec_send_frame (flush)");
    }

    /// <summary>
    /// Receives the next encoded packet into <see cref="Packet"/>: true when there is one (the caller
    /// unreferences it), false when the encoder needs more frames or has nothing more after the end.
    /// </summary>
    public bool Receive()
    {
        int ret = ffmpeg.avcodec_receive_packet(_context.Ptr, _packet.Ptr);
        if (ret == AVERROR_EAGAIN || ret == AVERROR_EOF) return false;
        Check(ret, "avcodec_receive_packet");
        return true;
    }

    /// <summary>The AVPixelFormat of a pixel format's name.</summary>
    private static int PixelFormatId(string name)
    {
        fixed (byte* p = CString.From(name))
        {
            int id = ffmpeg.av_get_pix_fmt(p);
            if (id < 0) throw new EncoderException($"This FFmpeg does not know the pixel format {name}.");
            return id;
        }
    }

    private static T Track<T>(List<IDisposable> owned, T item) where T : IDisposable
    {
        owned.Add(item);
        return item;
    }

    internal static void Check(int ret, string what)
    {
        if (ret < 0) throw new EncoderException($"{what} failed: {FFmpegError.Text(ret)}");
    }

    public void Dispose()
    {
        _converter.Dispose();
        _packet.Dispose();
        _frame.Dispose();
        _context.Dispose();
    }
}
