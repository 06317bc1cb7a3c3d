namespace MpegCoder.Interop;

/// <summary>FFmpeg's short name of a codec id ("h264", "aac", "pcm_mulaw"), for messages and for what a recorded file holds.</summary>
internal static unsafe class CodecNames
{
    public static string Of(int codecId) => CString.Read(ffmpeg.avcodec_get_name(codecId)) ?? "unknown";
}
