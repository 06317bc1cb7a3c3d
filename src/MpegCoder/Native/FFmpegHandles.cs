using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using MpegCoder.Interop;

namespace MpegCoder.Native;

// Owned native objects. Each wraps one FFmpeg allocation and frees it exactly once: SafeHandle's
// ReleaseHandle runs once, whether through Dispose or, if the owner forgot, the finalizer.

/// <summary>An AVPacket from av_packet_alloc.</summary>
internal sealed unsafe class PacketHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private PacketHandle() : base(ownsHandle: true) { }

    public AVPacket* Ptr => (AVPacket*)handle;

    public static PacketHandle Allocate()
    {
        var owned = new PacketHandle();
        owned.SetHandle((nint)ffmpeg.av_packet_alloc());
        if (owned.IsInvalid) throw new OutOfMemoryException("av_packet_alloc failed.");
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        var p = (AVPacket*)handle;
        ffmpeg.av_packet_free(&p);
        return true;
    }
}

/// <summary>An AVFrame from av_frame_alloc.</summary>
internal sealed unsafe class FrameHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private FrameHandle() : base(ownsHandle: true) { }

    public AVFrame* Ptr => (AVFrame*)handle;

    public static FrameHandle Allocate()
    {
        var owned = new FrameHandle();
        owned.SetHandle((nint)ffmpeg.av_frame_alloc());
        if (owned.IsInvalid) throw new OutOfMemoryException("av_frame_alloc failed.");
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        var p = (AVFrame*)handle;
        ffmpeg.av_frame_free(&p);
        return true;
    }
}

/// <summary>An AVCodecContext from avcodec_alloc_context3.</summary>
internal sealed unsafe class CodecContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private CodecContextHandle() : base(ownsHandle: true) { }

    public AVCodecContext* Ptr => (AVCodecContext*)handle;

    public static CodecContextHandle Allocate(AVCodec* codec)
    {
        var owned = new CodecContextHandle();
        owned.SetHandle((nint)ffmpeg.avcodec_alloc_context3(codec));
        if (owned.IsInvalid) throw new OutOfMemoryException("avcodec_alloc_context3 failed.");
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        var p = (AVCodecContext*)handle;
        ffmpeg.avcodec_free_context(&p);
        return true;
    }
}

/// <summary>An AVCodecParameters from avcodec_parameters_alloc: a copy that outlives the stream it was taken from.</summary>
internal sealed unsafe class CodecParametersHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private CodecParametersHandle() : base(ownsHandle: true) { }

    public AVCodecParameters* Ptr => (AVCodecParameters*)handle;

    /// <summary>A copy of <paramref name="source"/> (extradata included); throws when FFmpeg cannot allocate it.</summary>
    public static CodecParametersHandle CopyOf(AVCodecParameters* source)
    {
        var owned = new CodecParametersHandle();
        owned.SetHandle((nint)ffmpeg.avcodec_parameters_alloc());
        if (owned.IsInvalid) throw new OutOfMemoryException("avcodec_parameters_alloc failed.");
        if (ffmpeg.avcodec_parameters_copy(owned.Ptr, source) < 0)
        {
            owned.Dispose();
            throw new OutOfMemoryException("avcodec_parameters_copy failed.");
        }
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        var p = (AVCodecParameters*)handle;
        ffmpeg.avcodec_parameters_free(&p);
        return true;
    }
}

/// <summary>
/// An input AVFormatContext opened by avformat_open_input, together with the GCHandle that its
/// interrupt callback's opaque pointer refers to. Closing the input comes first, so FFmpeg can
/// never call back into a freed handle.
/// </summary>
internal sealed unsafe class FormatContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private GCHandle _interruptTarget;

    private FormatContextHandle() : base(ownsHandle: true) { }

    public AVFormatContext* Ptr => (AVFormatContext*)handle;

    /// <summary>Takes ownership of an opened context and of the GCHandle its interrupt callback uses.</summary>
    public static FormatContextHandle Own(AVFormatContext* opened, GCHandle interruptTarget)
    {
        var owned = new FormatContextHandle { _interruptTarget = interruptTarget };
        owned.SetHandle((nint)opened);
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        var p = (AVFormatContext*)handle;
        ffmpeg.avformat_close_input(&p);
        if (_interruptTarget.IsAllocated) _interruptTarget.Free();
        return true;
    }
}
