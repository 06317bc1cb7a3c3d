using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Native;

namespace MpegCoder.Tests.Binding;

/// <summary>
/// A check of a layout table against the loaded libraries themselves, without headers: av_frame_alloc
/// gives a frame with known defaults (no timestamp, no format, no size, no data, no flags), and
/// reading them through the table must find exactly those. A wrong AVFrame offset reads a neighbour
/// whose default differs. It is what proves a table whose headers cannot be probed (8.x). The reads
/// go through <see cref="AVFrameFields"/>, the accessor the per-frame path uses.
/// </summary>
internal static unsafe class FreshFrame
{
    /// <summary>Each default read wrongly through <paramref name="layout"/>, one line each; empty when all are right.</summary>
    public static List<string> WrongDefaults(FFmpegLayout layout)
    {
        using var frame = FrameHandle.Allocate();
        var f = new AVFrameFields(frame.Ptr, layout);
        var expected = new (string name, long read, long value)[]
        {
            (nameof(layout.AVFrame_best_effort_timestamp), f.best_effort_timestamp, FFmpegConstants.AV_NOPTS_VALUE),
            (nameof(layout.AVFrame_pts), f.pts, FFmpegConstants.AV_NOPTS_VALUE),
            (nameof(layout.AVFrame_format), f.format, -1),
            (nameof(layout.AVFrame_width), f.width, 0),
            (nameof(layout.AVFrame_height), f.height, 0),
            (nameof(layout.AVFrame_data), (long)f.data[0], 0),
            (nameof(layout.AVFrame_linesize), f.linesize[0], 0),
            (nameof(layout.AVFrame_flags), f.flags, 0),
            (nameof(layout.AVFrame_decode_error_flags), f.decode_error_flags, 0),
        };
        return expected.Where(e => e.read != e.value).Select(e => $"{e.name}: read {e.read}, a fresh frame has {e.value}").ToList();
    }
}
