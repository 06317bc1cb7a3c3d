using System.Runtime.InteropServices;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Client;

/// <summary>Reading the barcode indices out of what ExtractFrame returns, and waiting without sleeping blindly.</summary>
internal static class Frames
{
    /// <summary>(top, bottom) barcode index of each frame of a [n, h, w, 3] batch, oldest first.</summary>
    public static List<(int top, int bottom)> Indices(byte[,,,] frames)
    {
        var bytes = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(frames), frames.Length);
        return Barcode.ReadAll(bytes, frames.GetLength(2), frames.GetLength(1));
    }

    /// <summary>The indices of a batch, asserting that no frame is torn (top and bottom agree).</summary>
    public static List<int> Whole(byte[,,,] frames)
    {
        var indices = Indices(frames);
        foreach (var (top, bottom) in indices)
            Assert.True(top == bottom, $"torn frame: top shows {top}, bottom {bottom}");
        return indices.Select(i => i.top).ToList();
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms; fails the test after <paramref name="timeout"/>.</summary>
    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Waits until ExtractFrame(n) returns n frames and returns them.</summary>
    public static byte[,,,] WaitForBatch(MpegClient client, int n, TimeSpan timeout)
    {
        byte[,,,]? batch = null;
        WaitUntil(() => (batch = client.ExtractFrame(n)) is { } b && b.GetLength(0) == n, timeout, $"{n} frames ({client.LastError})");
        return batch!;
    }
}
