using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Pipeline;
using MpegCoder.Tests.Binding;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Distributions;

/// <summary>
/// The library inside a Debian root, with that root's FFmpeg: the loader's choice, the table against
/// the root's own headers (compiled with the root's gcc) and against a fresh frame, and frames decoded
/// from a file clip and from the host's live stream, proven by the frame-index barcode.
/// Started by <see cref="DistributionTests"/>; not discovered anywhere else.
/// </summary>
public class InRootTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static FFmpegRelease Expected => FFmpegReleases.Supported.Single(r => r.Name == InRootEnvironment.Release);

    [InRootFact]
    public void The_loader_picks_the_release_of_this_root()
    {
        string description = FFmpegLibrary.EnsureLoaded();
        output.WriteLine($"MpegCoder uses {description}"); // in the results file, which the host-side test reads
        Assert.StartsWith($"FFmpeg {Expected.Name} (libavformat {Expected.AVFormat}.", description);
        Assert.Same(Expected, FFmpegLoader.Release);
    }

    [InRootFact]
    public void The_table_of_this_roots_headers_matches_them()
    {
        var release = HeaderProbe.ReleaseOfHeaders();
        Assert.Empty(HeaderProbe.Differences(release, HeaderProbe.Run()));
    }

    [InRootFact]
    public void A_fresh_frame_reads_ffmpegs_defaults_through_the_table()
    {
        FFmpegLibrary.EnsureLoaded();
        Assert.Empty(FreshFrame.WrongDefaults(FFmpegLoader.Layout));
    }

    [InRootFact]
    public void A_file_clip_gives_every_frame_and_its_keyframe_flag()
    {
        // 2 s at 25 fps with a keyframe every 25 frames: frames 0..49, keyframes 0 and 25.
        using var client = new MpegClient();
        client.SetParameter(readSize: 50, cacheSize: 50);
        Assert.True(client.FFmpegSetup(InRootEnvironment.Clip), client.LastError);
        Assert.Equal(320, client.GetParameter("width"));
        Assert.Equal("h264", client.GetParameter("coderName"));
        Assert.Equal(2.0, (double)client.GetParameter("duration")!, 1);
        Assert.Equal(25.0, (double)client.GetParameter("srcFrameRate")!, 3);
        Assert.True(client.Start());
        Frames.WaitUntil(() => client.ExtractFrame() is null, Wait, "the end of the file");
        Assert.Equal(50L, client.GetParameter("frameCount"));

        var ring = client.Session!.Ring;
        var pixels = new byte[50 * ring.FrameBytes];
        var infos = new FrameInfo[50];
        Assert.Equal(50, ring.CopyNewest(50, pixels, infos));
        var indices = Barcode.ReadAll(pixels, 320, 240);
        Assert.All(indices, i => Assert.Equal(i.top, i.bottom));
        Assert.Equal(Enumerable.Range(0, 50), indices.Select(i => i.top));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i % 25 == 0), infos.Select(i => i.IsKeyFrame));
    }

    [InRootFact]
    public void A_live_stream_gives_fresh_consecutive_frames_from_a_keyframe_on()
    {
        using var client = new MpegClient();
        client.SetParameter(readSize: 60, cacheSize: 60);
        Assert.True(client.FFmpegSetup(InRootEnvironment.Rtsp), client.LastError);
        Assert.True(client.Start());
        Frames.WaitUntil(() => client.ExtractFrame()!.GetLength(0) >= 5, Wait, $"5 frames ({client.LastError})");
        var first = Frames.Whole(client.ExtractFrame()!);
        Assert.Equal(0, first[0] % 25); // nothing before the first keyframe (the server sends one every 25 frames)
        Assert.Equal(Enumerable.Range(first[0], first.Count), first);
        Thread.Sleep(1000);
        var later = Frames.Whole(client.ExtractFrame(5)!);
        Assert.Equal(Enumerable.Range(later[0], 5), later);
        Assert.InRange(later[^1] - first[^1], 15, 35); // one second of a 25 fps stream
    }
}
