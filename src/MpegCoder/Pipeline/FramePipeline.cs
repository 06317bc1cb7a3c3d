using System.Diagnostics;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Native;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Pipeline;

/// <summary>
/// The writer thread's work for one connection, one packet at a time, as a straight line: read a
/// packet, send it to the decoder, take every frame out, drop what is not wanted, scale what is kept
/// into the next ring slot, wake the readers.
/// </summary>
/// <remarks>
/// This is the hot path. Per frame it allocates nothing and copies nothing: the one write of the
/// pixels is sws_scale's, straight into a pinned ring slot, under that slot's lock only. Frames the
/// selector drops, corrupt frames and frames before the first keyframe are never scaled.
/// The scaler, the ring, the counters and the signal belong to the stream and outlive a reconnection;
/// the packet and frame, the selector (timestamps restart) and the keyframe gate belong to the connection.
/// </remarks>
internal sealed unsafe class FramePipeline : IDisposable
{
    private readonly StreamSource _source;
    private readonly VideoDecoder _decoder;
    private readonly FrameRateSelector _selector;
    private readonly Scaler _scaler;
    private readonly FrameRing _ring;
    private readonly StreamCounters _counters;
    private readonly FrameSignal _signal;
    private readonly PacketHandle _packet = PacketHandle.Allocate();
    private readonly FrameHandle _frame = FrameHandle.Allocate();
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;
    private readonly Int128 _ticksPerPtsNumerator;   // PresentationTime = pts * num / den (in TimeSpan ticks)
    private readonly Int128 _ticksPerPtsDenominator;
    private bool _seenKeyFrame;

    public FramePipeline(StreamSource source, VideoDecoder decoder, FrameRateSelector selector, Scaler scaler,
        FrameRing ring, StreamCounters counters, FrameSignal signal)
    {
        _source = source;
        _decoder = decoder;
        _selector = selector;
        _scaler = scaler;
        _ring = ring;
        _counters = counters;
        _signal = signal;
        _ticksPerPtsNumerator = (Int128)source.TimeBase.num * TimeSpan.TicksPerSecond;
        _ticksPerPtsDenominator = source.TimeBase.den;
    }

    /// <summary>
    /// Reads one packet and handles the frames it yields. Returns 0 to go on, or the negative
    /// av_read_frame result (AVERROR_EOF at the end, AVERROR_EXIT when interrupted).
    /// </summary>
    public int PumpOnce()
    {
        int ret = _source.ReadPacket(_packet.Ptr);
        if (ret < 0) return ret;
        try
        {
            if (new AVPacketFields(_packet.Ptr, _layout).stream_index != _source.StreamIndex)
                return 0; // another stream's packet: released at once by the finally
            if (_decoder.Send(_packet.Ptr) < 0)
                DecodeFailed();
            else
                ReceiveFrames();
            return 0;
        }
        finally
        {
            ffmpeg.av_packet_unref(_packet.Ptr);
        }
    }

    /// <summary>At the end of the stream: flush the decoder so its last frames are stored too.</summary>
    public void Drain()
    {
        if (_decoder.Send(null) >= 0) ReceiveFrames();
    }

    private void ReceiveFrames()
    {
        AVFrame* frame = _frame.Ptr;
        int ret;
        while ((ret = _decoder.Receive(frame)) == 0)
        {
            try
            {
                HandleFrame(frame);
            }
            finally
            {
                ffmpeg.av_frame_unref(frame);
            }
        }
        if (ret != AVERROR_EAGAIN && ret != AVERROR_EOF) DecodeFailed();
    }

    /// <summary>
    /// Damaged data: later frames may refer to the broken one and would show smeared garbage, so
    /// nothing is stored until the next keyframe resets the picture.
    /// </summary>
    private void DecodeFailed()
    {
        _counters.FramesCorrupt++;
        _seenKeyFrame = false;
    }

    private void HandleFrame(AVFrame* frame)
    {
        _counters.FramesDecoded++;
        var f = new AVFrameFields(frame, _layout);
        if ((f.flags & AV_FRAME_FLAG_CORRUPT) != 0 || f.decode_error_flags != 0)
        {
            DecodeFailed();
            return;
        }
        bool keyFrame = f.key_frame;
        if (!_seenKeyFrame)
        {
            if (!keyFrame)
            {
                _counters.FramesBeforeKeyFrame++;
                return;
            }
            _seenKeyFrame = true;
        }
        long pts = f.best_effort_timestamp;
        if (!_selector.Keep(pts))
        {
            _counters.FramesDropped++;
            return;
        }

        byte* slot = _ring.BeginWrite();
        bool converted = _scaler.Convert(f.data, f.linesize, f.width, f.height, f.format, slot);
        if (!converted)
        {
            // A picture sws_scale cannot convert (an unknown format, no size) is as unusable as a damaged one.
            _ring.Abort();
            _counters.FramesCorrupt++;
            return;
        }
        TimeSpan? time = pts == AV_NOPTS_VALUE ? null : TimeSpan.FromTicks((long)(pts * _ticksPerPtsNumerator / _ticksPerPtsDenominator));
        _ring.Commit(new FrameMetadata(0, pts, time, DateTimeOffset.UtcNow, Stopwatch.GetTimestamp(), keyFrame));
        _signal.Notify();
    }

    public void Dispose()
    {
        _frame.Dispose();
        _packet.Dispose();
    }
}
