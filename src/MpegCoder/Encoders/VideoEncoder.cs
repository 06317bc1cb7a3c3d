using MpegCoder.Interop;
using MpegCoder.Native;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Encoders;

/// <summary>
/// The encoder of MpegEncoder and MpegServer: the original's settings as AVOptions, and the pixel formats
/// and B-frame counts tried until the encoder opens. What it opens is an <see cref="EncoderContext"/>
/// converting RGB24 frames of the source size (scaled to the encoded size).
/// </summary>
internal static unsafe class VideoEncoder
{
    /// <summary>
    /// Pixel formats tried in this order until the encoder opens: 4:2:0 first, what players expect
    /// (libx264, libx265, mpeg4, mpeg2video, vp9, ffv1 take yuv420p; mjpeg takes only full-range yuvj420p
    /// without "strict"), then 4:4:4 and RGB for the encoders that take nothing else (libx264rgb, png, qtrle...).
    /// </summary>
    private static readonly string[] PixelFormats = ["yuv420p", "yuvj420p", "yuv444p", "rgb24", "bgr24", "gbrp", "bgr0", "rgb0"];

    /// <summary>Finds and opens the encoder; everything allocated is released again when it throws.</summary>
    /// <param name="settings">The encoder's settings.</param>
    /// <param name="globalHeader">The container wants the codec's headers out of band (AVFMT_GLOBALHEADER).</param>
    /// <exception cref="EncoderException">Unknown codec, or no pixel format or setting the encoder accepts.</exception>
    public static EncoderContext Open(EncoderSettings settings, bool globalHeader)
    {
        // One tick per frame: the time base is the inverse of the frame rate. AVCodecContext.framerate has no
        // AVOption, and encoders without it take their rate from the time base (libx264 does).
        var request = new EncoderRequest(settings.CodecName, settings.Width, settings.Height,
            new AVRational(settings.FrameRate.den, settings.FrameRate.num),
            settings.SourceWidth, settings.SourceHeight, FramePixelFormat.Rgb24, SWS_BICUBIC,
            $", {settings.FrameRate.num}/{settings.FrameRate.den} fps");
        return EncoderContext.Open(request, Choices(settings, globalHeader));
    }

    /// <summary>
    /// Every pixel format with the B-frames asked for, then (when some were asked for) every one without:
    /// encoders without B-frames (mjpeg, the intra-only codecs) refuse maxBframe > 0 and get none, as in the original.
    /// </summary>
    private static List<EncoderChoice> Choices(EncoderSettings settings, bool globalHeader)
    {
        int[] bFrameChoices = settings.MaxBFrames > 0 ? [settings.MaxBFrames, 0] : [0];
        var choices = new List<EncoderChoice>();
        foreach (int bFrames in bFrameChoices)
        {
            var s = settings with { MaxBFrames = bFrames };
            string label = bFrames != settings.MaxBFrames ? " without B-frames" : "";
            foreach (string pixelFormat in PixelFormats)
                choices.Add(new EncoderChoice(pixelFormat, pixelFormat + label, context => Configure(context, s, globalHeader)));
        }
        return choices;
    }

    /// <summary>
    /// The original's settings as AVOptions (<see cref="AVOptions"/> throws <see cref="FFmpegOptionException"/>
    /// for a value the encoder refuses); the size, pixel format and time base are the request's.
    /// </summary>
    private static void Configure(AVCodecContext* context, EncoderSettings s, bool globalHeader)
    {
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
}
