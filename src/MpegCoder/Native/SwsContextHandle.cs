using Microsoft.Win32.SafeHandles;
using MpegCoder.Interop;

namespace MpegCoder.Native;

/// <summary>
/// A SwsContext from sws_getContext for one fixed conversion (sizes and pixel formats never change
/// over its life, unlike the decoder side's <see cref="Scaler"/>, which follows the stream's geometry).
/// </summary>
internal sealed unsafe class SwsContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private SwsContextHandle() : base(ownsHandle: true) { }

    public SwsContext* Ptr => (SwsContext*)handle;

    public static SwsContextHandle Create(int srcWidth, int srcHeight, int srcFormat, int dstWidth, int dstHeight, int dstFormat, int flags)
    {
        var owned = new SwsContextHandle();
        owned.SetHandle((nint)ffmpeg.sws_getContext(srcWidth, srcHeight, srcFormat, dstWidth, dstHeight, dstFormat, flags, null, null, null));
        if (owned.IsInvalid)
            throw new NotSupportedException($"sws_getContext cannot convert {srcWidth}x{srcHeight} (format {srcFormat}) to {dstWidth}x{dstHeight} (format {dstFormat}).");
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        ffmpeg.sws_freeContext((SwsContext*)handle);
        return true;
    }
}
