using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Client;

/// <summary>
/// StreamOptions.SkipFrames: FFmpeg's skip_frame on the decoder. The barcode clip has a keyframe every
/// 25 frames (indices 0, 25, 50, 75), so the indices that come out prove which frames were decoded.
/// </summary>
public class DecoderSkipTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>Reads a 4 s clip to its end and returns (frames decoded, indices left in the ring).</summary>
    private static (long decoded, List<int> indices) ReadToEnd(DecoderSkip skip)
    {
        string clip = Clips.BarcodeClip(seconds: 4);
        using var client = new MpegClient();
        client.Options = client.Options with { ReadSize = 8, CacheSize = 8, SkipFrames = skip };
        Assert.True(client.FFmpegSetup(clip), client.LastError);
        Assert.True(client.Start());
        Frames.WaitUntil(() => client.ExtractFrame() is null, Wait, "the end of the file");
        // After the end ExtractFrame answers null, but the ring still holds the last frames.
        var session = client.Session!;
        int available = (int)Math.Min(session.Stored, session.Capacity);
        var frames = new byte[available, session.Height, session.Width, 3];
        session.Reads.PeekNewest(available, System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(frames), frames.Length), default);
        return ((int)client.GetParameter("frameCount")!, Frames.Whole(frames));
    }

    [Fact]
    public void NonKey_decodes_only_the_keyframes()
    {
        var (decoded, indices) = ReadToEnd(DecoderSkip.NonKey);
        Assert.Equal(4L, decoded);
        Assert.Equal([0, 25, 50, 75], indices);
    }

    [Fact]
    public void None_decodes_every_frame()
    {
        var (decoded, indices) = ReadToEnd(DecoderSkip.None);
        Assert.Equal(100L, decoded);
        Assert.Equal(Enumerable.Range(92, 8), indices);
    }

    [Fact]
    public void An_undefined_skip_mode_is_refused()
    {
        using var client = new MpegClient();
        Assert.Throws<ArgumentOutOfRangeException>(() => client.Options = client.Options with { SkipFrames = (DecoderSkip)99 });
    }
}
