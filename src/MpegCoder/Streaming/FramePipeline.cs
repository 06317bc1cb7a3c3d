using System.Diagnostics;
using MpegCoder.Decoding;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Lifecycle;
using MpegCoder.Native;
using MpegCoder.Recording;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Streaming;

/// <summary>
/// The writer thread's work for one connection, one packet at a time, as a straight line: read a
/// packet, offer it to the packet taps (recorders), send it to the decoder, take every frame out, drop what is not wanted, scale what is kept
/// into the next ring slot, wake the readers.
/// </summary>
/// <remarks>
/// This is the hot path. Per frame it allocates nothing and copies nothing: the one write of the
/// pixels is sws_scale's, straight into a pinned ring slot, under that slot's lock only. Frames the
/// selector drops, corrupt frames and frames before the first keyframe are never scaled.
/// The scaler, the ring, the counters and the signal belong to the stream (its <see cref="FrameOutput"/>)
/// and outlive a reconnection; the packet and frame, the selector (timestamps restart) and the keyframe
/// gate belong to the connection.
/// In a lossless ring the writer waits for room before it stores a frame. A stop request ends that wait
/// at once; the frame in hand is kept (<c>_holding</c>), and so is the rest of the packet's output
/// (<c>_receiving</c>), so the next <see cref="PumpOnce"/> after a restart stores them first: nothing is lost.
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
    private readonly StreamInterrupt _interrupt;
    private readonly PacketTaps _taps;
    private readonly PacketHandle _packet = PacketHandle.Allocate();
    private readonly FrameHandle _frame = FrameHandle.Allocate();
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;
    private readonly Int128 _ticksPerPtsNumerator;   // PresentationTime = pts * num / den (in TimeSpan ticks)
    private readonly Int128 _ticksPerPtsDenominator;
    private bool _seenKeyFrame;
    private bool _receiving;   // the decoder may still hold frames of the last packet sent
    private bool _holding;     // _frame is a kept frame not stored yet (a stop came while waiting for room)
    private bool _drainSent;

    public FramePipeline(StreamSource source, VideoDecoder decoder, FrameRateSelector selector, FrameOutput output, StreamInterrupt interrupt)
    {
        _source = source;
        _decoder = decoder;
        _selector = selector;
        _scaler = output.Scaler;
        _ring = output.Ring;
        _counters = output.Counters;
        _signal = output.Signal;
        _interrupt = interrupt;
        _taps = output.Taps;
        _ticksPerPtsNumerator = (Int128)source.TimeBase.num * TimeSpan.TicksPerSecond;
        _ticksPerPtsDenominator = source.TimeBase.den;
    }

    /// <summary>
    /// Reads one packet and handles the frames it yields. Returns 0 to go on (also when a stop request
    /// ended a wait for room), or the negative av_read_frame result (AVERROR_EOF at the end, AVERROR_EXIT
    /// when interrupted).
    /// </summary>
    public int PumpOnce()
    {
        if (_receiving && !ReceiveFrames()) return 0; // what a stop left in hand goes first
        int ret = _source.ReadPacket(_packet.Ptr);
        if (ret < 0) return ret;
        try
        {
            int stream = new AVPacketFields(_packet.Ptr, _layout).stream_index;
            if (stream != _source.StreamIndex)
            {
                // The audio goes to the recorders only, never to a decoder; any other stream's packet is released at once by the finally.
                if (stream == _source.AudioIndex) _taps.Offer(_packet.Ptr);
                return 0;
            }
            _taps.Offer(_packet.Ptr); // recorders take their reference to the same packet: one pull, two uses
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

    /// <summary>At the end of the stream: flush the decoder so its last frames are stored too. False when a stop interrupted it.</summary>
    public bool Drain()
    {
        if (_receiving) return ReceiveFrames();
        if (_drainSent) return true;
        _drainSent = true;
        return _decoder.Send(null) < 0 || ReceiveFrames();
    }

    /// <summary>Takes every frame the decoder has; false when a stop came while waiting for room (the rest waits in the decoder).</summary>
    private bool ReceiveFrames()
    {
        _receiving = true;
        AVFrame* frame = _frame.Ptr;
        if (_holding && !StoreHeld(frame)) return false;
        int ret;
        while ((ret = _decoder.Receive(frame)) == 0)
        {
            if (HandleFrame(frame) && !StoreHeld(frame)) return false;
        }
        _receiving = false;
        if (ret != AVERROR_EAGAIN && ret != AVERROR_EOF) DecodeFailed();
        return true;
    }

    /// <summary>Stores the kept frame in hand, waiting for room in a lossless ring; false (frame still held) when stopped.</summary>
    private bool StoreHeld(AVFrame* frame)
    {
        _holding = true;
        if (!_ring.WaitForRoom(_interrupt)) return false;
        _holding = false;
        try
        {
            Store(frame);
        }
        finally
        {
            ffmpeg.av_frame_unref(frame);
        }
        return true;
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

    /// <summary>Counts the frame and says whether it is to be stored; a frame not stored is released here.</summary>
    private bool HandleFrame(AVFrame* frame)
    {
        _counters.FramesDecoded++;
        bool keep = Classify(frame);
        if (!keep) ffmpeg.av_frame_unref(frame);
        return keep;
    }

    private bool Classify(AVFrame* frame)
    {
        var f = new AVFrameFields(frame, _layout);
        if ((f.flags & AV_FRAME_FLAG_CORRUPT) != 0 || f.decode_error_flags != 0)
        {
            DecodeFailed();
            return false;
        }
        if (!_seenKeyFrame)
        {
            if (!f.key_frame)
            {
                _counters.FramesBeforeKeyFrame++;
                return false;
            }
            _seenKeyFrame = true;
        }
        if (!_selector.Keep(f.best_effort_timestamp))
        {
            _counters.FramesDropped++;
            return false;
        }
        return true;
    }

    private void Store(AVFrame* frame)
    {
        var f = new AVFrameFields(frame, _layout);
        using var write = _ring.BeginWrite();
        bool converted = _scaler.Convert(f.data, f.linesize, f.width, f.height, f.format, write.Pointer);
        if (!converted)
        {
            // A picture sws_scale cannot convert (an unknown format, no size) is as unusable as a damaged one;
            // leaving the scope gives the slot back unpublished.
            _counters.FramesCorrupt++;
            return;
        }
        long pts = f.best_effort_timestamp;
        TimeSpan? time = pts == AV_NOPTS_VALUE ? null : TimeSpan.FromTicks((long)(pts * _ticksPerPtsNumerator / _ticksPerPtsDenominator));
        write.Commit(new FrameMetadata
        {
            Pts = pts,
            PresentationTime = time,
            ReceivedAt = DateTimeOffset.UtcNow,
            ReceivedTimestamp = Stopwatch.GetTimestamp(),
            IsKeyFrame = f.key_frame,
        });
        _signal.Notify();
    }

    public void Dispose()
    {
        _frame.Dispose();
        _packet.Dispose();
    }
}
