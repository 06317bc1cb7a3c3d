using MpegCoder.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Engine;

/// <summary>
/// Reading a whole file keeps memory bounded by the ring, not by the file: a loose functional check (the
/// figure itself is bench/ mode "file"). Runs alone: RSS is the whole process's.
/// </summary>
[Collection(AloneCollection.Name)]
public class FileMemoryTests(ITestOutputHelper output)
{
    private static long RssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }

    [Fact]
    public async Task Reading_a_1080p_file_to_its_end_grows_rss_by_far_less_than_the_file_decoded()
    {
        string clip = Clips.BarcodeClip(seconds: 4, width: 1920, height: 1080); // 100 frames, 622 MB as RGB24
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = RssBytes(), peak = before;
        long frames = 0;
        await using (var stream = await VideoStream.OpenAsync(clip))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await foreach (var frame in stream.ReadFramesAsync(timeout.Token))
                using (frame)
                {
                    frames++;
                    peak = Math.Max(peak, RssBytes());
                }
        }
        double ringMb = 2 * 1920 * 1080 * 3 / 1048576.0;
        double growthMb = (peak - before) / 1048576.0;
        output.WriteLine($"{frames} frames; RSS {before / 1048576.0:0} MB before, peak +{growthMb:0} MB; ring {ringMb:0.0} MB");
        Assert.Equal(100, frames);
        // The decoder's own frames, FFmpeg's buffers and one pooled frame come on top of the ring; a
        // reader-less writer that queued the file would need 622 MB.
        Assert.True(growthMb < ringMb + 250, $"RSS grew by {growthMb:0} MB reading the file");
    }
}
