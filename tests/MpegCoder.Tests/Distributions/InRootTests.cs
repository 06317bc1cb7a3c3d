using MpegCoder.Decoding;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Streaming;
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
/// Started by <see cref="DistributionTests"/> in each root, and under Wine by
/// <see cref="Windows.WineTests"/> (through <see cref="Windows.InRootRunner"/>); not discovered anywhere else.
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
        Assert.Equal(50, client.GetParameter("frameCount"));

        var ring = client.Session!;
        var pixels = new byte[50 * ring.FrameBytes];
        var infos = new FrameMetadata[50];
        Assert.Equal(50, ring.Reads.PeekNewest(50, pixels, infos));
        Assert.Equal(Enumerable.Range(0, 50), Whole(pixels));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i % 25 == 0), infos.Select(i => i.IsKeyFrame));
    }

    [InRootFact]
    public void A_live_stream_gives_fresh_consecutive_frames_from_a_keyframe_on()
    {
        // The cache holds 6 s: right after the setup the decoder catches up with what arrived during
        // it, and the first stored frame must still be in the ring when it is read.
        const int cache = 150;
        using var client = new MpegClient();
        client.SetParameter(readSize: 5, cacheSize: cache);
        Assert.True(client.FFmpegSetup(InRootEnvironment.Rtsp), client.LastError);
        Assert.True(client.Start());
        Frames.WaitForBatch(client, 5, Wait);

        var ring = client.Session!;
        var pixels = new byte[cache * ring.FrameBytes];
        var infos = new FrameMetadata[cache];
        int stored = ring.Reads.PeekNewest(cache, pixels, infos);
        Assert.True(stored < cache, $"{stored} frames stored before the first read: the first one is gone");
        var indices = Whole(pixels.AsSpan(0, stored * ring.FrameBytes));
        Assert.Equal(0, infos[0].Sequence);
        Assert.Equal(0, indices[0] % 25); // nothing before the first keyframe (the server sends one every 25 frames)
        Assert.Equal(Enumerable.Range(indices[0], stored), indices);
        // The table's keyframe read, on a live stream: exactly the frames the encoder made keyframes.
        Assert.Equal(indices.Select(i => i % 25 == 0), infos.Take(stored).Select(i => i.IsKeyFrame));

        // Then the pace: one second of a 25 fps stream, once the catching up is over.
        Thread.Sleep(1000);
        var settled = Frames.Whole(client.ExtractFrame()!);
        Thread.Sleep(1000);
        var later = Frames.Whole(client.ExtractFrame()!);
        Assert.Equal(Enumerable.Range(later[0], 5), later);
        Assert.InRange(later[^1] - settled[^1], 15, 35);
    }

    [InRootFact]
    public void Frames_encoded_with_libx264_into_a_file_decode_back_in_order()
    {
        // Through this release's table: the encoder's frame (data, linesize, pts), the output's I/O (pb),
        // the muxer's flags, the encoder's name, the packets' duration.
        string path = Path.Combine(Path.GetTempPath(), $"encoded-{Guid.NewGuid():N}.mkv");
        try
        {
            using (var encoder = new MpegEncoder())
            {
                encoder.SetParameter(videoPath: path, codecName: "h264", width: 320, height: 240, frameRate: (25, 1), GOPSize: 25, maxBframe: 2);
                Assert.True(encoder.FFmpegSetup(), encoder.LastError);
                Assert.Equal("libx264", encoder.GetParameter("encoderName"));
                for (int i = 0; i < 50; i++)
                    Assert.True(encoder.EncodeFrame(Barcode.Render(i, 320, 240).AsSpan()), encoder.LastError);
                Assert.True(encoder.FFmpegClose(), encoder.LastError);
            }
            using var client = Frames.ReadWholeFile(path, cacheSize: 50);
            Assert.Equal(50, client.GetParameter("frameCount"));
            Assert.Equal(Enumerable.Range(0, 50), Frames.RingIndices(client));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [InRootFact]
    public void A_wrong_sftp_passphrase_is_an_error_and_the_process_lives()
    {
        // FFmpeg 4.x and 5.1 crash here without MpegCoder's own key check; 7.1, 8.x and 9.0 refuse the login.
        string right = InRootEnvironment.Sftp;
        int at = right.IndexOf('@', StringComparison.Ordinal);
        string wrong = right[..(right.IndexOf(':', "sftp://".Length) + 1)] + "wr0ng" + right[at..];
        using var client = new MpegClient();
        client.Options = client.Options with { FFmpegOptions = new Dictionary<string, string> { ["private_key"] = InRootEnvironment.SftpKey } };
        Assert.False(client.FFmpegSetup(wrong));
        output.WriteLine($"wrong passphrase: {client.LastError}");
        Assert.Contains(FFmpegLoader.Release.SftpCrashesOnUnloadableKey ? "the sftp private key cannot be decrypted" : "Permission denied", client.LastError);
        Assert.True(client.FFmpegSetup(right), client.LastError);
        Assert.Equal(320, client.GetParameter("width"));
    }

    /// <summary>The barcode index of each 320x240 frame in <paramref name="pixels"/>, asserting that none is torn.</summary>
    private static List<int> Whole(ReadOnlySpan<byte> pixels)
    {
        var indices = Barcode.ReadAll(pixels, 320, 240);
        Assert.All(indices, i => Assert.Equal(i.top, i.bottom));
        return indices.Select(i => i.top).ToList();
    }
}
