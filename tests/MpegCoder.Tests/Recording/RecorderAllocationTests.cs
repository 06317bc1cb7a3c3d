using MpegCoder.Lifecycle;
using MpegCoder.Recording;
using MpegCoder.Streaming;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Recording;

/// <summary>
/// With a recorder attached, the writer's per-packet path still allocates nothing: the tap takes a
/// reference into a packet of its queue, allocated once. Driven on the test thread over 1,000 frames while
/// the recorder's thread writes them to a file.
/// </summary>
public class RecorderAllocationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]  // with an AAC track: its packets go to the recorder (never to the decoder) on the same path
    public async Task A_thousand_packets_through_the_tap_allocate_nothing_on_the_writer(bool withAudio)
    {
        FFmpegLibrary.EnsureLoaded();
        string clip = withAudio ? Clips.BarcodeClipWithAudio(48, "aac") : Clips.BarcodeClip(48, 64, 48); // 1,200 frames
        using var folder = new TempFolder("recorder-alloc");
        var options = new StreamOptions { CacheSize = 4, FullRing = FullRingPolicy.OverwriteOldest };
        using var session = StreamSession.Open(clip, options, new StreamInterrupt(), new StreamLog(null));
        var pipeline = session.CurrentPipeline!;
        var recorder = StreamRecorder.Start(session, new RecordingOptions { Path = folder.File("copy.ts"), QueueCapacity = 2000 });

        long Decoded() => session.Statistics.FramesDecoded;
        void PumpUntil(long frames)
        {
            while (Decoded() < frames)
                Assert.True(pipeline.PumpOnce() >= 0, "the clip ended early");
        }

        PumpUntil(100); // warm up: JIT tiers, FFmpeg's pools
        long before = GC.GetAllocatedBytesForCurrentThread();
        PumpUntil(1100);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        await recorder.StopAsync();

        Assert.Equal(0, allocated);
        Assert.Equal(0, recorder.Statistics.PacketsDropped);
        Assert.Equal(withAudio ? "aac" : null, recorder.Files[0].AudioCodec);
        var frames = RecordedClip.Frames(recorder.Files[0].Path);
        Assert.Equal(Enumerable.Range(0, frames.Count), frames); // a file copied from its first frame: 0, 1, 2...
        Assert.True(frames.Count >= 1100, $"only {frames.Count} frames copied");
    }
}
