using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using MpegCoder.Interop;
using MpegCoder.Native;

namespace MpegCoder.Encoders;

/// <summary>
/// Opens an encoder with the first of its choices it accepts. Size, pixel format and time base go through
/// AVOptions by name, then the choice's own options; every refusal is kept and, when no choice opens,
/// reported as one <see cref="EncoderException.NotOpened"/>.
/// </summary>
internal static unsafe class CodecOpener
{
    /// <summary>The encoder of <see cref="EncoderRequest.CodecName"/>, opened, and the choice it took.</summary>
    /// <exception cref="EncoderException">No such encoder, or no choice it accepts.</exception>
    public static (CodecContextHandle Context, EncoderChoice Choice, string Name) Open(EncoderRequest request, IReadOnlyList<EncoderChoice> choices)
    {
        AVCodec* codec = EncoderCatalog.Find(request.CodecName);
        if (codec == null) throw new EncoderException(EncoderCatalog.Unknown(request.CodecName));
        string name = EncoderCatalog.Name(codec);

        var refusals = new List<string>();
        // FFmpeg's lines about a refused choice go into the failure message, not to the log: a setup
        // that opens with its second choice says nothing.
        var log = new FFmpegLogCapture { Logger = NullLogger.Instance };
        using var quiet = FFmpegLog.Capture(log);
        foreach (var choice in choices)
        {
            log.Reset();
            var context = CodecContextHandle.Allocate(codec);
            bool opened = false;
            string refused;
            try
            {
                Configure(context.Ptr, request, choice);
                int ret = ffmpeg.avcodec_open2(context.Ptr, codec, null);
                opened = ret >= 0;
                if (opened) return (context, choice, name);
                refused = log.Text() ?? FFmpegError.Text(ret);
            }
            catch (FFmpegOptionException e)
            {
                refused = e.Message;
            }
            finally
            {
                if (!opened) context.Dispose();
            }
            refusals.Add($"{choice.Label}: {refused}");
        }
        throw EncoderException.NotOpened(name, request.Setup, string.Join("; ", refusals.Distinct()));
    }

    private static void Configure(AVCodecContext* context, EncoderRequest request, EncoderChoice choice)
    {
        AVOptions.Set(context, "video_size", string.Create(CultureInfo.InvariantCulture, $"{request.Width}x{request.Height}"));
        AVOptions.Set(context, "pixel_format", choice.PixelFormat);
        AVOptions.Set(context, "time_base", request.TimeBase);
        choice.Options?.Invoke(context);
    }
}
