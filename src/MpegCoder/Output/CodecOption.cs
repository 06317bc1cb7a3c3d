using MpegCoder.Interop;

namespace MpegCoder.Output;

/// <summary>
/// Sets a codec context's AVOptions by name: the names and meanings stay the same across FFmpeg
/// releases while the struct members behind them move. Each returns FFmpeg's result (negative: refused).
/// </summary>
internal static unsafe class CodecOption
{
    public static int Set(AVCodecContext* context, string name, string value)
    {
        fixed (byte* n = Text(name))
        fixed (byte* v = Text(value))
            return ffmpeg.av_opt_set(context, n, v, 0);
    }

    /// <summary>Sets an option of the encoder itself (libx264's "tune"), which lives in the context's private data.</summary>
    public static int SetPrivate(AVCodecContext* context, string name, string value)
    {
        const int AV_OPT_SEARCH_CHILDREN = 1;
        fixed (byte* n = Text(name))
        fixed (byte* v = Text(value))
            return ffmpeg.av_opt_set(context, n, v, AV_OPT_SEARCH_CHILDREN);
    }

    public static int SetInt(AVCodecContext* context, string name, long value)
    {
        fixed (byte* n = Text(name)) return ffmpeg.av_opt_set_int(context, n, value, 0);
    }

    public static int SetRational(AVCodecContext* context, string name, AVRational value)
    {
        fixed (byte* n = Text(name)) return ffmpeg.av_opt_set_q(context, n, value, 0);
    }

    private static byte[] Text(string text) => System.Text.Encoding.UTF8.GetBytes(text + "\0");
}
