using MpegCoder.Decoding;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Lifecycle;
using MpegCoder.Native;
using MpegCoder.Recording;
using MpegCoder.Streaming;
using MpegCoder.Tests.Infrastructure;
using Xunit;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Tests.Recording;

/// <summary>
/// The recorder's hand-off queue and pre-event buffer with real FFmpeg packets: a full queue never makes
/// the writer wait, drops up to the next keyframe and counts; the buffer keeps whole GOPs reaching back its span.
/// </summary>
public unsafe class RecorderQueueTests
{
    private static readonly FFmpegLayout Layout = LoadLayout();

    private static FFmpegLayout LoadLayout()
    {
        FFmpegLoader.EnsureLoadedRelease();
        return FFmpegLoader.Layout;
    }

    [Fact]
    public void A_full_queue_drops_until_the_next_keyframe_and_counts_every_drop()
    {
        using var source = OpenSource(out var stream);
        using var recording = new RecordingSource(source, withAudio: false);
        using var queue = new PacketQueue(3);
        using var packet = PacketHandle.Allocate();
        using var taken = PacketHandle.Allocate();

        void Offer(long pts, bool key)
        {
            Stamp(packet.Ptr, pts, key);
            queue.Offer(packet.Ptr, recording);
        }
        List<long> TakeAll()
        {
            var list = new List<long>();
            while (queue.TryTake(taken.Ptr, out var s, out _))
            {
                Assert.Same(recording, s);
                list.Add(new AVPacketFields(taken.Ptr, Layout).pts);
                ffmpeg.av_packet_unref(taken.Ptr);
            }
            return list;
        }

        Offer(0, key: true);
        Offer(1, key: false);
        Offer(2, key: false);
        Offer(3, key: false);   // full: dropped
        Assert.Equal([0, 1, 2], TakeAll());
        Offer(4, key: false);   // room again, but frame 4 needs frame 3: dropped
        Offer(5, key: true);    // a keyframe ends the loss
        Offer(6, key: false);
        Assert.Equal([5, 6], TakeAll());
        Assert.Equal(7, queue.Received);
        Assert.Equal(2, queue.Dropped);
    }

    [Fact]
    public void The_pre_event_buffer_keeps_whole_gops_reaching_back_its_span_and_its_byte_limit()
    {
        using var packet = PacketHandle.Allocate();
        using var history = new PacketHistory(maxBytes: 1 << 20);
        history.Keep(100); // ticks
        // GOPs of 40 ticks: keyframes at 0, 40, 80, 120...; packets every 10 ticks.
        for (long pts = 0; pts <= 200; pts += 10)
        {
            Stamp(packet.Ptr, pts, key: pts % 40 == 0);
            history.Add(packet.Ptr, pts % 40 == 0, audio: false, arrival: pts);
        }
        // Newest 200: the buffer must reach back to 100 at least, from a keyframe: 80 (the GOP at 120 alone would not).
        var kept = new List<long>();
        while (history.TryTake(out var entry))
        {
            kept.Add(entry.Pts);
            history.Return(entry.Packet);
        }
        Assert.Equal(80, kept[0]);
        Assert.Equal(200, kept[^1]);
        Assert.Equal(13, kept.Count);

        // Before any keyframe nothing is kept; a buffer over its byte limit drops its oldest GOPs.
        using var small = new PacketHistory(maxBytes: 1);
        small.Keep(1000);
        Stamp(packet.Ptr, 0, key: false, size: 100);
        small.Add(packet.Ptr, key: false, audio: false, arrival: 0);
        Assert.Equal(0, small.Count);
        Stamp(packet.Ptr, 10, key: true, size: 100);
        small.Add(packet.Ptr, key: true, audio: false, arrival: 0);
        Assert.Equal(0, small.Count);
    }

    [Fact]
    public void Missing_and_backward_timestamps_become_a_clean_timeline()
    {
        using var packet = PacketHandle.Allocate();
        var clock = new PacketClock(frameTicks: 3600);
        (long pts, long dts, long duration) Fix(long pts, long dts)
        {
            Stamp(packet.Ptr, pts, key: false);
            var p = new AVPacketFields(packet.Ptr, Layout);
            p.dts = dts;
            p.duration = 0;
            clock.Fix(packet.Ptr);
            return (p.pts, p.dts, p.duration);
        }
        const long None = AV_NOPTS_VALUE;
        Assert.Equal((0, 0, 3600), Fix(None, None));              // nothing known: starts at 0, one frame long
        Assert.Equal((3600, 3600, 3600), Fix(None, None));        // and goes on a frame at a time
        Assert.Equal((9000, 9000, 3600), Fix(9000, None));        // RTP: a pts and no dts
        Assert.Equal((12600, 12600, 3600), Fix(None, 12600));     // a dts and no pts
        Assert.Equal((16200, 16200, 3600), Fix(0, 0));            // the clock went back: shifted on after the last
        Assert.Equal((19800, 19800, 3600), Fix(3600, 3600));      // and stays shifted
    }

    [Fact]
    public void An_audio_clock_learns_a_frames_length_from_the_packets()
    {
        using var packet = PacketHandle.Allocate();
        var clock = new PacketClock(frameTicks: 0); // audio: frames last what the codec makes them
        (long pts, long duration) Fix(long pts, long duration)
        {
            Stamp(packet.Ptr, pts, key: true);
            var p = new AVPacketFields(packet.Ptr, Layout);
            p.duration = duration;
            clock.Fix(packet.Ptr);
            return (p.pts, p.duration);
        }
        Assert.Equal((0, 0), Fix(0, 0));            // nothing to go by yet
        Assert.Equal((1024, 1024), Fix(1024, 0));   // the step from the packet before
        Assert.Equal((2048, 1024), Fix(2048, 1024)); // a stated duration is kept
        Assert.Equal((3072, 1024), Fix(3072, 0));   // and taken for the next one that lacks it
        Assert.Equal((4096, 1024), Fix(100, 0));    // the clock went back: shifted on a frame after the last
    }

    /// <summary>Gives <paramref name="packet"/> a fresh payload of <paramref name="size"/> bytes, a pts and dts, and the key flag.</summary>
    private static void Stamp(AVPacket* packet, long pts, bool key, int size = 16)
    {
        ffmpeg.av_packet_unref(packet);
        Assert.Equal(0, ffmpeg.av_new_packet(packet, size));
        var p = new AVPacketFields(packet, Layout);
        p.pts = pts;
        p.dts = pts;
        p.flags = key ? AV_PKT_FLAG_KEY : 0;
    }

    private static StreamSource OpenSource(out int streamIndex)
    {
        var source = StreamSource.Open(Clips.BarcodeClip(1), null, new StreamInterrupt(), TimeSpan.FromSeconds(10));
        streamIndex = source.StreamIndex;
        return source;
    }
}
