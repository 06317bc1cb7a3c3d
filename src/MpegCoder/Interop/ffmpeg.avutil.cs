using System.Runtime.InteropServices;

namespace MpegCoder.Interop;

// Declarations only: the libavutil functions MpegCoder calls, with FFmpeg's names and C signatures.
#pragma warning disable CS8981 // FFmpeg.AutoGen's lower-case class name, so calls read like the C API
internal static unsafe partial class ffmpeg
{
    private const string AVUtil = "avutil";

    [DllImport(AVUtil)] public static extern AVFrame* av_frame_alloc();
    [DllImport(AVUtil)] public static extern void av_frame_free(AVFrame** frame);
    [DllImport(AVUtil)] public static extern void av_frame_unref(AVFrame* frame);
    [DllImport(AVUtil)] public static extern int av_strerror(int errnum, byte* errbuf, nuint errbuf_size);
    [DllImport(AVUtil)] public static extern void av_log_set_level(int level);
    [DllImport(AVUtil)] public static extern void av_log_set_callback(delegate* unmanaged[Cdecl]<nint, int, byte*, nint, void> callback);
    [DllImport(AVUtil)] public static extern int av_log_format_line2(nint ptr, int level, byte* fmt, nint vl, byte* line, int line_size, int* print_prefix);
    [DllImport(AVUtil)] public static extern int av_dict_set(AVDictionary** pm, byte* key, byte* value, int flags);
    [DllImport(AVUtil)] public static extern AVDictionaryEntry* av_dict_get(AVDictionary* m, byte* key, AVDictionaryEntry* prev, int flags);
    [DllImport(AVUtil)] public static extern void av_dict_free(AVDictionary** m);
    [DllImport(AVUtil)] public static extern void* av_opt_find(void* obj, byte* name, byte* unit, int opt_flags, int search_flags);
    [DllImport(AVUtil)] public static extern int av_opt_set(void* obj, byte* name, byte* val, int search_flags);
    [DllImport(AVUtil)] public static extern int av_opt_set_int(void* obj, byte* name, long val, int search_flags);
    [DllImport(AVUtil)] public static extern int av_opt_get_int(void* obj, byte* name, int search_flags, long* out_val);
    [DllImport(AVUtil)] public static extern int av_opt_set_q(void* obj, byte* name, AVRational val, int search_flags);
}
