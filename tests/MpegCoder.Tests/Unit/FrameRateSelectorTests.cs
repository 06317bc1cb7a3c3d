using MpegCoder.Recording;
using MpegCoder.Streaming;
using Xunit;

namespace MpegCoder.Tests.Unit;

public class FrameRateSelectorTests
{
    private static List<int> Kept(FrameRateSelector selector, IEnumerable<long> timestamps) =>
        timestamps.Select((ts, i) => (ts, i)).Where(x => selector.Keep(x.ts)).Select(x => x.i).ToList();

    [Fact]
    public void A_25_fps_stream_at_5_fps_keeps_every_fifth_frame()
    {
        var selector = new FrameRateSelector((1, 90000), (5, 1), (25, 1));
        var kept = Kept(selector, Enumerable.Range(0, 100).Select(i => 123456L + i * 3600L));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 5), kept);
    }

    [Fact]
    public void Jittery_timestamps_still_give_every_fifth_frame()
    {
        // RTP timestamps relayed by a server wobble by a tick or two around 3600 a frame.
        var random = new Random(5);
        var selector = new FrameRateSelector((1, 90000), (5, 1), (25, 1));
        var kept = Kept(selector, Enumerable.Range(0, 500).Select(i => 777L + i * 3600L + random.Next(-3, 4)));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 5), kept);
    }

    [Fact]
    public void Without_a_target_every_frame_is_kept()
    {
        var selector = new FrameRateSelector((1, 90000), null, (25, 1));
        Assert.Equal(50, Kept(selector, Enumerable.Range(0, 50).Select(i => i * 3600L)).Count);
    }

    [Fact]
    public void Resampling_does_not_drift_over_a_day_of_ntsc_video()
    {
        // 29.97 fps in a 1/30000 time base (1001 units a frame), resampled to 10 fps for 24 hours.
        var selector = new FrameRateSelector((1, 30000), (10, 1), (30000, 1001));
        long frames = 24L * 3600 * 30000 / 1001;
        long kept = 0;
        for (long i = 0; i < frames; i++)
            if (selector.Keep(i * 1001)) kept++;
        long expected = 24L * 3600 * 10;
        Assert.InRange(kept, expected - 1, expected + 1);
    }

    [Fact]
    public void Frames_without_timestamps_are_placed_at_the_nominal_rate()
    {
        var selector = new FrameRateSelector((1, 90000), (5, 1), (25, 1));
        var kept = Kept(selector, Enumerable.Repeat(long.MinValue, 50));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 5), kept);
    }

    [Fact]
    public void A_backward_jump_starts_a_new_origin()
    {
        var selector = new FrameRateSelector((1, 1000), (1, 1), (10, 1));
        Assert.True(selector.Keep(50_000));
        Assert.False(selector.Keep(50_100));
        Assert.True(selector.Keep(10)); // the stream restarted
        Assert.False(selector.Keep(500));
        Assert.True(selector.Keep(1010));
    }

    [Fact]
    public void Invalid_rates_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameRateSelector((1, 90000), (0, 1), (25, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameRateSelector((0, 90000), (5, 1), (25, 1)));
    }
}
