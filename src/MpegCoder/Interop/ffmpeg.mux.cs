using System.Runtime.InteropServices;

namespace MpegCoder.Interop;

// Declarations only: the FFmpeg functions MpegEncoder and MpegServer call to find an encoder, open it,
// and mux its packets into a file or a stream, with FFmpeg's names and C signatures.
#pragma warning disable CS8981 // FFmpeg.AutoGen's lower-case class name, so calls read like the C API
internal static unsafe partial class ffmpeg
{
    [DllImport(AVCodecLib)] public static extern AVCodec* avcodec_find_encoder(int id);
    [DllImport(AVCodecLib)] public static extern AVCodec* av_codec_iterate(void** opaque);
    [DllImport(AVCodecLib)] public static extern int av_codec_is_encoder(AVCodec* codec);
    /// <summary>Returns an AVCodecDescriptor*, whose first member is the codec id (an int).</summary>
    [DllImport(AVCodecLib)] public static extern int* avcodec_descriptor_get_by_name(byte* name);
    [DllImport(AVCodecLib)] public static extern int avcodec_parameters_from_context(AVCodecParameters* par, AVCodecContext* codec);
    [DllImport(AVCodecLib)] public static extern void av_packet_rescale_ts(AVPacket* pkt, AVRational tb_src, AVRational tb_dst);

    [DllImport(AVFormat)] public static extern AVOutputFormat* av_guess_format(byte* short_name, byte* filename, byte* mime_type);
    [DllImport(AVFormat)] public static extern int avformat_alloc_output_context2(AVFormatContext** ctx, AVOutputFormat* oformat, byte* format_name, byte* filename);
    [DllImport(AVFormat)] public static extern void avformat_free_context(AVFormatContext* s);
    [DllImport(AVFormat)] public static extern AVStream* avformat_new_stream(AVFormatContext* s, AVCodec* c);
    [DllImport(AVFormat)] public static extern int avio_open2(AVIOContext** s, byte* url, int flags, AVIOInterruptCB* int_cb, AVDictionary** options);
    [DllImport(AVFormat)] public static extern int avio_closep(AVIOContext** s);
    [DllImport(AVFormat)] public static extern int avformat_write_header(AVFormatContext* s, AVDictionary** options);
    [DllImport(AVFormat)] public static extern int av_interleaved_write_frame(AVFormatContext* s, AVPacket* pkt);
    [DllImport(AVFormat)] public static extern int av_write_trailer(AVFormatContext* s);
}
