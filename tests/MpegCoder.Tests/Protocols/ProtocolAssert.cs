using System.Diagnostics;
using MpegCoder.Recording;
using MpegCoder.Streaming;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Protocols;

/// <summary>
/// What every protocol must deliver, proven with the frame-index barcode: a live source gives consecutive,
/// fresh frames that keep coming at 25 fps; a file source gives every frame of the file, in order, once.
/// </summary>
internal static class ProtocolAssert
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>
    /// FFmpeg options for MPEG-TS and FLV live sources: those formats announce no stream list, so by default
    /// FFmpeg probes them for 5 s (analyzeduration) before setup returns. One second finds the video.
    /// </summary>
    public static IReadOnlyDictionary<string, string> QuickProbe { get; } = new Dictionary<string, string> { ["analyzeduration"] = "1000000" };

    /// <summary>A client set up on <paramref name="address"/> with <paramref name="configure"/> applied, writer started.</summary>
    public static MpegClient Open(string address, Func<StreamOptions, StreamOptions>? configure = null, int readSize = 5, int cacheSize = 12)
    {
        var client = new MpegClient();
        client.SetParameter(readSize: readSize, cacheSize: cacheSize);
        if (configure is not null) client.Options = configure(client.Options);
        Assert.True(client.FFmpegSetup(address), client.LastError);
        Assert.True(client.Start(), client.LastError);
        return client;
    }

    /// <summary>
    /// A live 25 fps barcode: batches of 5 consecutive indices (<paramref name="step"/> apart when the client
    /// resamples); over 2 s the newest index advances by about 25 a second, and the newest frame keeps
    /// being one that was stored a moment ago.
    /// </summary>
    public static void IsLive(MpegClient client, int step = 1)
    {
        Frames.WaitForBatch(client, 5, Wait);
        // What the server had buffered when the client joined arrives in a burst: let it pass first.
        Thread.Sleep(1000);
        int first = Newest(client, out _);
        var clock = Stopwatch.StartNew();
        double youngestMs = double.MaxValue;
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            Thread.Sleep(100);
            Newest(client, out double ageMs);
            youngestMs = Math.Min(youngestMs, ageMs);
        }
        var batch = client.ExtractFrame(5);
        Assert.True(batch is not null, $"the stream ended: {client.LastError}");
        var indices = Frames.Whole(batch!);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => indices[0] + i * step), indices);
        double expected = clock.Elapsed.TotalSeconds * 25;
        int advanced = indices[^1] - first;
        Assert.True(advanced >= expected * 0.6 && advanced <= expected * 1.4 + step,
            $"the newest index advanced {advanced} in {clock.Elapsed.TotalSeconds:0.00} s (expected about {expected:0})");
        // Sampled every 100 ms, a stream that stores a frame every 40 ms (200 ms at 5 fps) shows a young
        // newest frame at least once, even when the network delivers in bursts; a stalled one never does.
        Assert.True(youngestMs < 150 + 40 * step, $"the newest frame was never younger than {youngestMs:0} ms");
    }

    /// <summary>The barcode index of the newest stored frame, and how long ago it was stored.</summary>
    private static int Newest(MpegClient client, out double ageMs)
    {
        var ring = client.Session!;
        var pixels = new byte[ring.FrameBytes];
        var info = new FrameMetadata[1];
        Assert.Equal(1, ring.Reads.PeekNewest(1, pixels, info));
        ageMs = Stopwatch.GetElapsedTime(info[0].ReceivedTimestamp).TotalMilliseconds;
        var (top, bottom) = Barcode.ReadFrame(pixels, ring.Width, ring.Height);
        Assert.True(top == bottom, $"torn frame: top shows {top}, bottom {bottom}");
        return top;
    }

    /// <summary>
    /// A file source: read to its end (ExtractFrame then returns null), and the ring, at least as large as
    /// the clip, holds frames 0..N-1 in order, each whole and each showing its own index.
    /// </summary>
    public static void ReadsWholeFile(MpegClient client, int frameCount)
    {
        Frames.WaitUntil(() => client.ExtractFrame() is null, Wait, $"the end of the file ({client.LastError})");
        Assert.Contains("end of file", client.LastError);
        Assert.Equal(frameCount, client.GetParameter("frameCount"));
        Assert.True(client.Session!.Capacity >= frameCount, "the ring must hold the whole clip");
        Assert.Equal(Enumerable.Range(0, frameCount), Frames.RingIndices(client));
    }

    /// <summary>Fails if <paramref name="text"/> shows any of the secrets, as given or percent-encoded.</summary>
    public static void HidesSecrets(string? text, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(secret), text ?? "", StringComparison.Ordinal);
        }
    }

    /// <summary>A barcode clip (25 fps) and its frame count.</summary>
    public static (string path, int frames) Clip(string codec = "libx264", string container = "mp4", int seconds = 2) =>
        (Clips.BarcodeClip(seconds, codec: codec, container: container), seconds * 25);
}
