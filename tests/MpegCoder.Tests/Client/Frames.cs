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

    /// <summary>
    /// After a file source has been read to its end (when ExtractFrame already returns null), the
    /// indices of every frame still in the ring, oldest first, asserting that none is torn. Uses the
    /// engine's ring directly (internal): the way to prove full coverage with a ring as large as the clip.
    /// </summary>
    public static List<int> RingIndices(MpegClient client)
    {
        var session = client.Session!;
        int n = (int)Math.Min(session.Stored, session.Capacity);
        var bytes = new byte[n * session.FrameBytes];
        session.Reads.PeekNewest(n, bytes, default);
        var indices = Barcode.ReadAll(bytes, session.Width, session.Height);
        foreach (var (top, bottom) in indices)
            Assert.True(top == bottom, $"torn frame: top shows {top}, bottom {bottom}");
        return indices.Select(i => i.top).ToList();
    }

    /// <summary>Opens a file with a ring large enough for all of it, reads it to its end, and returns the client.</summary>
    public static MpegClient ReadWholeFile(string path, int cacheSize, StreamOptions? options = null)
    {
        var client = new MpegClient();
        client.Options = (options ?? client.Options) with { ReadSize = 1, CacheSize = cacheSize };
        Assert.True(client.FFmpegSetup(path), client.LastError);
        Assert.True(client.Start());
        WaitUntil(() => client.ExtractFrame() is null, TimeSpan.FromSeconds(30), $"the end of {path}");
        return client;
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
