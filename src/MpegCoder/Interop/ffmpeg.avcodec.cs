using System.Runtime.InteropServices;

namespace MpegCoder.Interop;

// Declarations only: the libavcodec functions MpegCoder calls, with FFmpeg's names and C signatures.
#pragma warning disable CS8981 // FFmpeg.AutoGen's lower-case class name, so calls read like the C API
internal static unsafe partial class ffmpeg
{
    private const string AVCodecLib = "avcodec";

    [DllImport(AVCodecLib)] public static extern AVCodecContext* avcodec_alloc_context3(AVCodec* codec);
    [DllImport(AVCodecLib)] public static extern void avcodec_free_context(AVCodecContext** avctx);
    [DllImport(AVCodecLib)] public static extern int avcodec_parameters_to_context(AVCodecContext* codec, AVCodecParameters* par);
    [DllImport(AVCodecLib)] public static extern int avcodec_open2(AVCodecContext* avctx, AVCodec* codec, AVDictionary** options);
    [DllImport(AVCodecLib)] public static extern int avcodec_send_packet(AVCodecContext* avctx, AVPacket* avpkt);
    [DllImport(AVCodecLib)] public static extern int avcodec_receive_frame(AVCodecContext* avctx, AVFrame* frame);
    [DllImport(AVCodecLib)] public static extern void avcodec_flush_buffers(AVCodecContext* avctx);
    [DllImport(AVCodecLib)] public static extern byte* avcodec_get_name(int id);
    [DllImport(AVCodecLib)] public static extern AVPacket* av_packet_alloc();
    [DllImport(AVCodecLib)] public static extern void av_packet_free(AVPacket** pkt);
    [DllImport(AVCodecLib)] public static extern void av_packet_unref(AVPacket* pkt);
}
