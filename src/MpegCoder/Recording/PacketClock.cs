using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Recording;

/// <summary>
/// Fills in what a copied packet's timestamps lack, for one stream of one source, so that muxers get a
/// clean timeline: a missing dts or pts (RTP gives pts only, and not always), a missing duration (one
/// frame), and a dts that goes backwards (a timestamp wrap or a source that restarted its clock): the
/// timeline is then shifted to go on one frame after the last packet.
/// </summary>
internal sealed unsafe class PacketClock
{
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;
    private readonly long _frameTicks;
    private long _learnedStep;
    private long _lastDts = AV_NOPTS_VALUE;
    private long _shift;

    /// <param name="frameTicks">
    /// One frame's length in the stream's time base (a video's, from its frame rate); 0: learned from the
    /// packets (an audio stream, whose frames last what its codec makes them).
    /// </param>
    public PacketClock(long frameTicks) => _frameTicks = frameTicks;

    public void Fix(AVPacket* packet)
    {
        var p = new AVPacketFields(packet, _layout);
        if (_frameTicks == 0 && p.duration > 0) _learnedStep = p.duration;
        long step = _frameTicks > 0 ? _frameTicks : _learnedStep;
        long next = _lastDts == AV_NOPTS_VALUE ? 0 : _lastDts + Math.Max(1, step);
        if (p.dts == AV_NOPTS_VALUE) p.dts = p.pts != AV_NOPTS_VALUE ? p.pts : next - _shift;
        if (p.pts == AV_NOPTS_VALUE) p.pts = p.dts;
        p.dts += _shift;
        p.pts += _shift;
        if (_lastDts != AV_NOPTS_VALUE && p.dts <= _lastDts)
        {
            long back = next - p.dts;
            _shift += back;
            p.dts += back;
            p.pts += back;
        }
        // Without a stated duration an audio packet lasts what the step from the packet before took.
        if (_frameTicks == 0 && p.duration <= 0 && _lastDts != AV_NOPTS_VALUE) _learnedStep = p.dts - _lastDts;
        if (p.duration <= 0) p.duration = _frameTicks > 0 ? _frameTicks : _learnedStep;
        _lastDts = p.dts;
    }
}
