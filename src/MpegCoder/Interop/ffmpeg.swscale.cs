using System.Runtime.InteropServices;

namespace MpegCoder.Interop;

// Declarations only: the libswscale functions MpegCoder calls, with FFmpeg's names and C signatures.
#pragma warning disable CS8981 // FFmpeg.AutoGen's lower-case class name, so calls read like the C API
internal static unsafe partial class ffmpeg
{
    private const string SwScale = "swscale";

    [DllImport(SwScale)] public static extern SwsContext* sws_getCachedContext(SwsContext* context, int srcW, int srcH, int srcFormat, int dstW, int dstH, int dstFormat, int flags, void* srcFilter, void* dstFilter, double* param);
    [DllImport(SwScale)] public static extern int sws_scale(SwsContext* c, byte** srcSlice, int* srcStride, int srcSliceY, int srcSliceH, byte** dst, int* dstStride);
    [DllImport(SwScale)] public static extern void sws_freeContext(SwsContext* swsContext);
}
