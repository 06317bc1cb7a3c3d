using System.Runtime.InteropServices;

namespace MpegCoder.Interop;

// Declarations only: the libavformat functions MpegCoder calls, with FFmpeg's names and C signatures.
#pragma warning disable CS8981 // FFmpeg.AutoGen's lower-case class name, so calls read like the C API
internal static unsafe partial class ffmpeg
{
    private const string AVFormat = "avformat";

    [DllImport(AVFormat)] public static extern AVFormatContext* avformat_alloc_context();
    [DllImport(AVFormat)] public static extern int avformat_open_input(AVFormatContext** ps, byte* url, AVInputFormat* fmt, AVDictionary** options);
    [DllImport(AVFormat)] public static extern int avformat_find_stream_info(AVFormatContext* ic, AVDictionary** options);
    [DllImport(AVFormat)] public static extern int av_find_best_stream(AVFormatContext* ic, int type, int wanted_stream_nb, int related_stream, AVCodec** decoder_ret, int flags);
    [DllImport(AVFormat)] public static extern int av_read_frame(AVFormatContext* s, AVPacket* pkt);
    [DllImport(AVFormat)] public static extern int av_seek_frame(AVFormatContext* s, int stream_index, long timestamp, int flags);
    [DllImport(AVFormat)] public static extern void avformat_close_input(AVFormatContext** s);
    [DllImport(AVFormat)] public static extern void av_dump_format(AVFormatContext* ic, int index, byte* url, int is_output);
    [DllImport(AVFormat)] public static extern AVRational av_guess_frame_rate(AVFormatContext* ctx, AVStream* stream, AVFrame* frame);
}
