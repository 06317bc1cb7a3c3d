using System.Diagnostics;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Reliability;

/// <summary>Setting up and clearing over and over returns memory and threads: RSS and thread count reach a plateau.</summary>
[Collection(AloneCollection.Name)]
public class LeakTests(ITestOutputHelper output)
{
    private const int Cycles = 300;
    private const int WarmUp = 50;

    private static long RssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }

    private static int Threads()
    {
        using var self = Process.GetCurrentProcess();
        return self.Threads.Count;
    }

    private static (long rss, int threads) Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (RssBytes(), Threads());
    }

    private static void Cycle(MpegClient client, string clip)
    {
        Assert.True(client.FFmpegSetup(clip), client.LastError);
        Assert.True(client.Start());
        // A file: each read waits for the next two frames, so this loop reads it at decode speed to its end.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (client.ExtractFrame() is not null)
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the end of the clip");
        client.Clear();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Three_hundred_setup_start_extract_clear_cycles_reach_a_plateau(bool freshClients)
    {
        string clip = Clips.BarcodeClip(1, 320, 240);
        var shared = new MpegClient();
        shared.SetParameter(readSize: 2, cacheSize: 4);
        (long rss, int threads) baseline = default;
        for (int i = 0; i < Cycles; i++)
        {
            if (i == WarmUp) baseline = Settle();
            if (freshClients)
            {
                using var client = new MpegClient();
                client.SetParameter(readSize: 2, cacheSize: 4);
                Cycle(client, clip);
            }
            else
            {
                Cycle(shared, clip);
            }
        }
        shared.Dispose();
        var end = Settle();
        double growthMb = (end.rss - baseline.rss) / 1048576.0;
        output.WriteLine($"fresh={freshClients}: RSS {baseline.rss / 1048576.0:0.0} MB after {WarmUp} cycles, {end.rss / 1048576.0:0.0} MB after {Cycles} (+{growthMb:0.0} MB); threads {baseline.threads} -> {end.threads}");
        Assert.True(growthMb < 16, $"RSS grew by {growthMb:0.0} MB over {Cycles - WarmUp} cycles");
        Assert.InRange(end.threads, 0, baseline.threads + 4);
    }
}
