using System.Runtime.InteropServices;

namespace MpegCoder.Interop;

// Declarations only: the FFmpeg functions StreamRecorder calls to copy packets without decoding them
// (stream copy): references to a packet's data, and the codec parameters the output stream takes.
#pragma warning disable CS8981 // FFmpeg.AutoGen's lower-case class name, so calls read like the C API
internal static unsafe partial class ffmpeg
{
    /// <summary>A packet with a fresh payload of <paramref name="size"/> bytes (the recorder's tests make packets with it).</summary>
    [DllImport(AVCodecLib)] public static extern int av_new_packet(AVPacket* pkt, int size);
    [DllImport(AVCodecLib)] public static extern int av_packet_ref(AVPacket* dst, AVPacket* src);
    [DllImport(AVCodecLib)] public static extern void av_packet_move_ref(AVPacket* dst, AVPacket* src);
    [DllImport(AVCodecLib)] public static extern AVCodecParameters* avcodec_parameters_alloc();
    [DllImport(AVCodecLib)] public static extern void avcodec_parameters_free(AVCodecParameters** par);
    [DllImport(AVCodecLib)] public static extern int avcodec_parameters_copy(AVCodecParameters* dst, AVCodecParameters* src);
}
