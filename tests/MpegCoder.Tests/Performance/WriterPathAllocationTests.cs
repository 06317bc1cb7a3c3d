using MpegCoder.Interop;
using MpegCoder.Lifecycle;
using MpegCoder.Streaming;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Performance;

/// <summary>The writer's per-frame path allocates nothing: driven here on the test thread, over 1,000 frames.</summary>
public class WriterPathAllocationTests
{
    [Theory]
    [InlineData(null)]     // every frame scaled into the ring
    [InlineData(5)]        // 4 of 5 dropped by the selector
    public void A_thousand_frames_through_demux_decode_select_and_scale_allocate_nothing(int? rate)
    {
        FFmpegLibrary.EnsureLoaded();
        string clip = Clips.BarcodeClip(48, 64, 48); // 1,200 frames
        // Nobody reads here: the ring overwrites, so the writer never waits for a reader.
        var options = new StreamOptions { CacheSize = 4, FrameRate = rate is { } r ? (r, 1) : null, FullRing = FullRingPolicy.OverwriteOldest };
        using var session = StreamSession.Open(clip, options, new StreamInterrupt(), new StreamLog(null));
        var pipeline = session.CurrentPipeline!;

        long Decoded() => session.Statistics.FramesDecoded;
        void PumpUntil(long frames)
        {
            while (Decoded() < frames)
                Assert.True(pipeline.PumpOnce() >= 0, "the clip ended early");
        }

        PumpUntil(100); // warm up: JIT tiers, FFmpeg's frame pool
        long before = GC.GetAllocatedBytesForCurrentThread();
        long stored = session.Stored;
        PumpUntil(1100);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(rate is null ? 1000 : 200, session.Stored - stored, tolerance: rate is null ? 0 : 1);
    }
}
