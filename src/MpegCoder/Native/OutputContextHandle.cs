using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;

namespace MpegCoder.Native;

/// <summary>
/// An output AVFormatContext from avformat_alloc_output_context2, with the AVIOContext avio_open2 gave
/// it (unless its muxer does its own I/O) and the GCHandle its interrupt callback's opaque pointer
/// refers to. Release closes the I/O first (which flushes what the muxer buffered), then frees the
/// context and its streams, then the GCHandle, so FFmpeg never calls back into a freed handle.
/// </summary>
internal sealed unsafe class OutputContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private GCHandle _interruptTarget;

    private OutputContextHandle() : base(ownsHandle: true) { }

    public AVFormatContext* Ptr => (AVFormatContext*)handle;

    /// <summary>Takes ownership of an allocated output context and of the GCHandle its interrupt callback uses.</summary>
    public static OutputContextHandle Own(AVFormatContext* allocated, GCHandle interruptTarget)
    {
        var owned = new OutputContextHandle { _interruptTarget = interruptTarget };
        owned.SetHandle((nint)allocated);
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        var context = (AVFormatContext*)handle;
        var pb = new AVFormatContextFields(context, FFmpegLoader.Layout).pb;
        if (*pb != null) ffmpeg.avio_closep(pb); // null for a muxer with AVFMT_NOFILE or before avio_open2
        ffmpeg.avformat_free_context(context);
        if (_interruptTarget.IsAllocated) _interruptTarget.Free();
        return true;
    }
}
