using System.Runtime.InteropServices;
using System.Text;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Streaming;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Encoders;

/// <summary>The video encoders of the loaded FFmpeg: finding one by name, and listing them all for an error message.</summary>
internal static unsafe class EncoderCatalog
{
    /// <summary>
    /// The video encoder called <paramref name="name"/> ("libx264", "mpeg4"), or else FFmpeg's preferred
    /// encoder of the codec called <paramref name="name"/> ("h264" -> libx264, as the decoder side names it),
    /// or null when the loaded FFmpeg has neither.
    /// </summary>
    public static AVCodec* Find(string name)
    {
        byte[] text = CString.From(name);
        AVCodec* codec;
        fixed (byte* p = text)
        {
            codec = ffmpeg.avcodec_find_encoder_by_name(p);
            if (codec == null)
            {
                int* descriptor = ffmpeg.avcodec_descriptor_get_by_name(p); // AVCodecDescriptor: its first member is the id
                if (descriptor != null) codec = ffmpeg.avcodec_find_encoder(*descriptor);
            }
        }
        return codec != null && IsVideo(codec) ? codec : null;
    }

    /// <summary>The encoder's own name ("libx264").</summary>
    public static string Name(AVCodec* codec) =>
        CString.Read(new AVCodecFields(codec, FFmpegLoader.Layout).name) ?? "";

    /// <summary>Every video encoder of the loaded FFmpeg, by name, sorted.</summary>
    public static IReadOnlyList<string> VideoEncoders()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        void* opaque = null;
        AVCodec* codec;
        while ((codec = ffmpeg.av_codec_iterate(&opaque)) != null)
            if (ffmpeg.av_codec_is_encoder(codec) != 0 && IsVideo(codec)) names.Add(Name(codec));
        return [.. names];
    }

    /// <summary>The error text for a codec name the loaded FFmpeg has no video encoder for.</summary>
    public static string Unknown(string name)
    {
        var text = new StringBuilder();
        text.Append($"This FFmpeg has no video encoder called '{name}'. Its video encoders: ");
        text.AppendJoin(", ", VideoEncoders());
        text.Append('.');
        return text.ToString();
    }

    private static bool IsVideo(AVCodec* codec) =>
        new AVCodecFields(codec, FFmpegLoader.Layout).type == AVMEDIA_TYPE_VIDEO;
}
