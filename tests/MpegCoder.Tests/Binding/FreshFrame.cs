using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Native;

namespace MpegCoder.Tests.Binding;

/// <summary>
/// A check of a layout table against the loaded libraries themselves, without headers: av_frame_alloc
/// gives a frame with known defaults (no timestamp, no format, no size, no data, no flags), and
/// reading them through the table must find exactly those. A wrong AVFrame offset reads a neighbour
/// whose default differs. It is what proves a table whose headers cannot be probed (8.x).
/// </summary>
internal static unsafe class FreshFrame
{
    /// <summary>Each default read wrongly through <paramref name="layout"/>, one line each; empty when all are right.</summary>
    public static List<string> WrongDefaults(FFmpegLayout layout)
    {
        using var frame = FrameHandle.Allocate();
        byte* f = (byte*)frame.Ptr;
        var expected = new (string name, long read, long value)[]
        {
            (nameof(layout.AVFrame_best_effort_timestamp), *(long*)(f + layout.AVFrame_best_effort_timestamp), FFmpegConstants.AV_NOPTS_VALUE),
            (nameof(layout.AVFrame_pts), *(long*)(f + layout.AVFrame_pts), FFmpegConstants.AV_NOPTS_VALUE),
            (nameof(layout.AVFrame_format), *(int*)(f + layout.AVFrame_format), -1),
            (nameof(layout.AVFrame_width), *(int*)(f + layout.AVFrame_width), 0),
            (nameof(layout.AVFrame_height), *(int*)(f + layout.AVFrame_height), 0),
            (nameof(layout.AVFrame_data), (long)*(nint*)(f + layout.AVFrame_data), 0),
            (nameof(layout.AVFrame_linesize), *(int*)(f + layout.AVFrame_linesize), 0),
            (nameof(layout.AVFrame_flags), *(int*)(f + layout.AVFrame_flags), 0),
            (nameof(layout.AVFrame_decode_error_flags), *(int*)(f + layout.AVFrame_decode_error_flags), 0),
        };
        return expected.Where(e => e.read != e.value).Select(e => $"{e.name}: read {e.read}, a fresh frame has {e.value}").ToList();
    }
}
