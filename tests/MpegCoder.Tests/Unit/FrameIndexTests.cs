using MpegCoder.Decoding;
using Xunit;
using Packet = MpegCoder.Decoding.FrameIndex.Packet;

namespace MpegCoder.Tests.Unit;

/// <summary>The frame index built from packets in decoding order, without FFmpeg.</summary>
public class FrameIndexTests
{
    // Decoding order of two open GOPs, timestamps in frame units: I0 P3 B1 B2 | I6 B4 B5 P9 B7 B8.
    // B4 and B5 are leading pictures of the second GOP: shown before I6, decoded after it.
    private static readonly Packet[] OpenGops =
    [
        new(0, -1, true), new(3, 0, false), new(1, 1, false), new(2, 2, false),
        new(6, 3, true), new(4, 4, false), new(5, 5, false), new(9, 6, false), new(7, 7, false), new(8, 8, false),
    ];

    [Fact]
    public void Frames_are_numbered_in_presentation_order()
    {
        var index = new FrameIndex(OpenGops);
        Assert.Equal(10, index.Count);
        for (int n = 0; n < 10; n++)
        {
            Assert.Equal(n, index.Pts(n));
            Assert.Equal(n, index.FrameOf(n));
        }
        Assert.Equal(-1, index.FrameOf(42));
        Assert.True(index.IsKeyFrame(0) && index.IsKeyFrame(6) && !index.IsKeyFrame(4));
    }

    [Fact]
    public void Leading_pictures_of_an_open_gop_seek_to_the_previous_keyframe()
    {
        var index = new FrameIndex(OpenGops);
        Assert.Equal(0, index.SeekTarget(5));  // B5 needs P3 of the first GOP
        Assert.Equal(0, index.SeekFrame(5));
        Assert.Equal(6, index.SeekTarget(6));  // the keyframe's own pts
        Assert.Equal(6, index.SeekFrame(8));
        Assert.Equal(-1, index.FallbackSeekTarget(8)); // one keyframe back, by its dts
        Assert.Equal(-1, index.FirstSeekTarget);
    }

    [Fact]
    public void Gops_split_the_frames_at_keyframes_in_presentation_order()
    {
        var index = new FrameIndex(OpenGops);
        Assert.Equal(2, index.GopCount);
        Assert.Equal((0L, 6L), index.Gop(0));
        Assert.Equal((6L, 4L), index.Gop(1));
        Assert.Equal(0, index.GopOf(5));
        Assert.Equal(1, index.GopOf(6));
        Assert.Equal(1, index.GopOf(9));
    }

    [Fact]
    public void A_time_finds_the_first_frame_shown_at_or_after_it()
    {
        // 25 fps in a 1/1000 time base starting at 1400 ms, with one frame 20 ms late.
        long[] pts = [1400, 1440, 1500, 1520, 1560];
        var index = new FrameIndex(pts.Select((p, i) => new Packet(p, p, i == 0)).ToArray());
        var tb = (1, 1000);
        Assert.Equal(0, index.FrameAtTime(0, tb));
        Assert.Equal(1, index.FrameAtTime(0.001, tb));
        Assert.Equal(1, index.FrameAtTime(0.04, tb));
        Assert.Equal(1, index.FrameAtTime(0.0400005, tb)); // within a microsecond: rounding, not a later time
        Assert.Equal(2, index.FrameAtTime(0.0401, tb));
        Assert.Equal(2, index.FrameAtTime(0.1, tb));
        Assert.Equal(5, index.FrameAtTime(0.17, tb));
        Assert.Equal(TimeSpan.FromMilliseconds(100), index.Time(2, tb));
    }

    [Fact]
    public void Repeated_timestamps_keep_decoding_order_and_are_told_apart_by_the_frame_before()
    {
        var index = new FrameIndex([new(0, 0, true), new(5, 1, false), new(5, 2, false), new(9, 3, false)]);
        Assert.Equal(1, index.FrameOf(5));
        Assert.Equal(2, index.FrameOf(5, after: 1));
        Assert.Equal(3, index.FrameOf(9, after: 2));
    }

    [Fact]
    public void A_stream_without_keyframes_seeks_to_its_first_packet()
    {
        var index = new FrameIndex([new(10, 8, false), new(11, 9, false)]);
        Assert.Equal(10, index.SeekTarget(1));
        Assert.Equal(1, index.GopCount);
        Assert.Equal((0L, 2L), index.Gop(0));
    }
}
