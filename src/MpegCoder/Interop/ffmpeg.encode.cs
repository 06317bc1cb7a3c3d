using System.Runtime.InteropServices;

namespace MpegCoder.Interop;

// Declarations only: the FFmpeg functions the encoding side (MpegCoder.Imaging) calls, with FFmpeg's
// names and C signatures. Encoder settings go through AVOptions by name ("video_size", "pixel_format",
// "time_base", "qmin", "qmax"), which do not move between releases.
#pragma warning disable CS8981 // FFmpeg.AutoGen's lower-case class name, so calls read like the C API
internal static unsafe partial class ffmpeg
{
    [DllImport(AVCodecLib)] public static extern AVCodec* avcodec_find_encoder_by_name(byte* name);
    [DllImport(AVCodecLib)] public static extern int avcodec_send_frame(AVCodecContext* avctx, AVFrame* frame);
    [DllImport(AVCodecLib)] public static extern int avcodec_receive_packet(AVCodecContext* avctx, AVPacket* avpkt);

    [DllImport(SwScale)] public static extern SwsContext* sws_getContext(int srcW, int srcH, int srcFormat, int dstW, int dstH, int dstFormat, int flags, void* srcFilter, void* dstFilter, double* param);

    [DllImport(AVUtil)] public static extern int av_get_pix_fmt(byte* name);
    [DllImport(AVUtil)] public static extern int av_frame_get_buffer(AVFrame* frame, int align);
    [DllImport(AVUtil)] public static extern int av_frame_make_writable(AVFrame* frame);
}
