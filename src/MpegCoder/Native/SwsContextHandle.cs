using Microsoft.Win32.SafeHandles;
using MpegCoder.Interop;

namespace MpegCoder.Native;

/// <summary>
/// An owned SwsContext, freed exactly once like every owned native object (see FFmpegHandles.cs). Made
/// either for one fixed conversion (<see cref="TryCreate"/>, the encoders' side) or empty and then kept
/// in step with a stream whose geometry may change (<see cref="Follow"/>, <see cref="Scaler"/>'s side).
/// </summary>
internal sealed unsafe class SwsContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private SwsContextHandle() : base(ownsHandle: true) { }

    public SwsContext* Ptr => (SwsContext*)handle;

    /// <summary>
    /// A context for one conversion whose sizes and pixel formats never change, or null when swscale
    /// cannot make it (the caller says why in its own terms).
    /// </summary>
    public static SwsContextHandle? TryCreate(int srcWidth, int srcHeight, int srcFormat, int dstWidth, int dstHeight, int dstFormat, int flags)
    {
        var owned = new SwsContextHandle();
        owned.SetHandle((nint)ffmpeg.sws_getContext(srcWidth, srcHeight, srcFormat, dstWidth, dstHeight, dstFormat, flags, null, null, null));
        if (!owned.IsInvalid) return owned;
        owned.Dispose(); // nothing to free: an invalid handle is never released
        return null;
    }

    /// <summary>No context yet: the first <see cref="Follow"/> makes one.</summary>
    public static SwsContextHandle Empty() => new();

    /// <summary>
    /// The context for this conversion: the current one while nothing changed, else a new one
    /// (sws_getCachedContext frees the old context itself, also when it fails). Null when swscale
    /// cannot make it. Not thread-safe: one owner thread.
    /// </summary>
    public SwsContext* Follow(int srcWidth, int srcHeight, int srcFormat, int dstWidth, int dstHeight, int dstFormat, int flags)
    {
        var context = ffmpeg.sws_getCachedContext(Ptr, srcWidth, srcHeight, srcFormat, dstWidth, dstHeight, dstFormat, flags, null, null, null);
        SetHandle((nint)context);
        return context;
    }

    protected override bool ReleaseHandle()
    {
        ffmpeg.sws_freeContext((SwsContext*)handle);
        return true;
    }
}
