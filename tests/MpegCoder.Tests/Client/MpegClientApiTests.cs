using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Client;

/// <summary>The port's argument checks, misuse errors and failure reasons, without a live server.</summary>
public class MpegClientApiTests
{
    [Theory]
    [InlineData(-1, null, null, null, null)]
    [InlineData(null, -2, null, null, null)]
    [InlineData(null, null, -1, null, null)]
    [InlineData(null, null, null, 0, null)]
    [InlineData(null, null, 4, 5, null)]
    [InlineData(null, null, null, null, -1)]
    public void Bad_parameters_throw(int? width, int? height, int? cache, int? read, int? threads)
    {
        using var client = new MpegClient();
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            client.SetParameter(widthDst: width, heightDst: height, cacheSize: cache, readSize: read, nthread: threads));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(5, 0)]
    [InlineData(-5, 1)]
    public void A_zero_or_negative_frame_rate_throws(int num, int den)
    {
        using var client = new MpegClient();
        Assert.Throws<ArgumentOutOfRangeException>(() => client.SetParameter(dstFrameRate: (num, den)));
    }

    [Fact]
    public void Parameters_are_kept_and_cache_follows_read_size_until_set()
    {
        using var client = new MpegClient();
        client.SetParameter(widthDst: 480, heightDst: 360, readSize: 5);
        Assert.Equal(10, client.GetParameter("cacheSize"));
        client.SetParameter(cacheSize: 12, dstFrameRate: (5, 1), nthread: 2);
        Assert.Equal(480, client.GetParameter("widthDst"));
        Assert.Equal(360, client.GetParameter("heightDst"));
        Assert.Equal(12, client.GetParameter("cacheSize"));
        Assert.Equal(5, client.GetParameter("readSize"));
        Assert.Equal((5, 1), client.GetParameter("dstFrameRate"));
        Assert.Equal(2, client.GetParameter("nthread"));
        Assert.Equal(0, client.GetParameter("width")); // not set up: 0, as in the original
        Assert.Throws<ArgumentOutOfRangeException>(() => client.SetParameter(readSize: 13));
        Assert.Throws<ArgumentException>(() => client.GetParameter("noSuchParameter"));
    }

    [Fact]
    public void Misuse_before_setup_throws_invalid_operation()
    {
        using var client = new MpegClient();
        Assert.Throws<InvalidOperationException>(() => client.ExtractFrame());
        Assert.Throws<InvalidOperationException>(() => client.Start());
        Assert.Throws<InvalidOperationException>(() => client.DumpFile());
        Assert.Throws<InvalidOperationException>(() => client.FFmpegSetup());
        client.Terminate(); // harmless
        client.Clear();
        client.Clear();
    }

    [Fact]
    public void A_closed_port_fails_fast_with_ffmpegs_reason()
    {
        using var client = new MpegClient();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(client.FFmpegSetup("rtsp://127.0.0.1:9/video"));
        Assert.True(clock.Elapsed < MpegClient.DefaultOpenTimeout, $"took {clock.Elapsed}");
        Assert.Contains("Connection refused", client.LastError);
        Assert.Throws<InvalidOperationException>(() => client.ExtractFrame());
    }

    [Fact]
    public void A_missing_file_fails_with_the_reason()
    {
        using var client = new MpegClient();
        Assert.False(client.FFmpegSetup("/nonexistent/clip.mp4"));
        Assert.Contains("No such file or directory", client.LastError);
    }

    [Fact]
    public void Credentials_never_appear_in_the_report_or_the_reason()
    {
        using var client = new MpegClient();
        const string address = "rtsp://admin:s3cr%40t@127.0.0.1:9/video";
        client.ResetPath(address);
        Assert.Equal(address, client.GetParameter("videoAddress"));
        Assert.DoesNotContain("s3cr", client.ToString());
        Assert.Contains("rtsp://***@127.0.0.1:9/video", client.ToString());
        Assert.False(client.FFmpegSetup());
        Assert.DoesNotContain("s3cr", client.LastError);
        Assert.DoesNotContain("admin", client.LastError);
    }

    [Fact]
    public void A_file_clip_reports_its_parameters()
    {
        string clip = Clips.BarcodeClip(seconds: 2);
        using var client = new MpegClient();
        Assert.True(client.FFmpegSetup(clip), client.LastError);
        Assert.Equal(320, client.GetParameter("width"));
        Assert.Equal(240, client.GetParameter("height"));
        Assert.Equal(320, client.GetParameter("widthDst"));
        Assert.Equal("h264", client.GetParameter("coderName"));
        Assert.Equal(25.0, (double)client.GetParameter("srcFrameRate")!, 3);
        Assert.Equal(2.0, (double)client.GetParameter("duration")!, 1);
        Assert.Equal(50, client.GetParameter("estFrameNum"));
        Assert.Equal(0, client.GetParameter("frameCount"));
        var all = client.GetParameter();
        Assert.Equal((25, 1), all["frameRate"]);
        Assert.Equal(["GOPSize", "bitRate", "codecName", "frameRate", "height", "heightDst", "maxBframe", "nthread", "videoAddress", "width", "widthDst"], all.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("320 x 240", client.ToString());
        Assert.Contains("h264", client.ToString());
    }

    [Fact]
    public void A_file_is_read_to_its_end_then_extract_frame_returns_null()
    {
        string clip = Clips.BarcodeClip(seconds: 2);
        using var client = new MpegClient();
        client.SetParameter(readSize: 4, cacheSize: 8);
        Assert.True(client.FFmpegSetup(clip), client.LastError);
        Assert.True(client.Start());
        Frames.WaitUntil(() => client.ExtractFrame() is null, TimeSpan.FromSeconds(20), "the end of the file");
        Assert.Equal(50, client.GetParameter("frameCount"));
        Assert.Contains("ended", client.LastError);
        Assert.False(client.Start());
        // A new setup of the same client reads the file again.
        Assert.True(client.FFmpegSetup());
        Assert.NotNull(client.ExtractFrame());
    }

    /// <summary>Every key, before and after setup, has the one type docs/from-python.md lists for it (the original's).</summary>
    [Fact]
    public void Each_parameter_has_the_originals_type_before_and_after_setup()
    {
        string[] ints = ["width", "height", "frameCount", "nthread", "estFrameNum", "bitRate", "GOPSize", "maxBframe", "widthDst", "heightDst", "readSize", "cacheSize"];
        string[] doubles = ["duration", "srcFrameRate"];
        string[] strings = ["videoAddress", "coderName", "codecName"];
        string[] tuples = ["frameRate", "dstFrameRate"];
        using var client = new MpegClient();
        void AllTyped(bool setUp)
        {
            foreach (var key in ints) Assert.IsType<int>(client.GetParameter(key));
            foreach (var key in doubles) Assert.IsType<double>(client.GetParameter(key));
            foreach (var key in strings) Assert.IsType<string>(client.GetParameter(key));
            foreach (var key in tuples)
                if (client.GetParameter(key) is { } value || setUp && key == "frameRate") Assert.IsType<(int, int)>(client.GetParameter(key));
            foreach (var (key, value) in client.GetParameter())
                Assert.Equal(client.GetParameter(key), value);
        }

        AllTyped(setUp: false);
        Assert.Equal(0, (int)client.GetParameter("frameCount")!);
        Assert.Equal("", (string)client.GetParameter("coderName")!);
        Assert.Equal(0.0, (double)client.GetParameter("duration")!);
        Assert.Null(client.GetParameter("frameRate"));

        client.SetParameter(dstFrameRate: (5, 1));
        Assert.True(client.FFmpegSetup(Clips.BarcodeClip(seconds: 2)), client.LastError);
        AllTyped(setUp: true);
        Assert.Equal(50, (int)client.GetParameter("estFrameNum")!);
        Assert.Equal((5, 1), ((int, int))client.GetParameter("dstFrameRate")!);
        Assert.True((int)client.GetParameter("bitRate")! > 0);
    }

    /// <summary>The original returns None here; the port an empty batch (docs/from-python.md says why).</summary>
    [Fact]
    public void Before_start_a_read_gives_an_empty_batch_not_null()
    {
        using var client = new MpegClient();
        client.SetParameter(readSize: 3, cacheSize: 6);
        Assert.True(client.FFmpegSetup(Clips.BarcodeClip(seconds: 2)), client.LastError);
        var batch = client.ExtractFrame();
        Assert.NotNull(batch);
        Assert.Equal(0, batch.GetLength(0));
        Assert.Equal(0, client.ExtractFrame(new byte[3 * client.FrameBytes]));
        Assert.Null(client.LastError);
    }

    // After Terminate the frames stay readable: MpegClientRtspTests.Terminate_freezes_the_frames_and_start_resumes,
    // on a live stream (a file would be read to its end before a pause could be timed).
}
