using System.Diagnostics;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Stopping;

/// <summary>
/// MpegDecoder on a file whose server stops sending: every call returns within its deadline plus 1 s, with
/// the reason, and Clear interrupts a call blocked on another thread.
/// </summary>
public class DecoderDeadlineTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A 4 s barcode MP4 of about 3 MB (noise on the bars keeps it from compressing away), with its index in
    /// front: a reader over http opens it without a seek, and the middle of the file is far past any buffer.
    /// </summary>
    private static string FastStartClip()
    {
        string path = Path.Combine(Clips.Folder, "barcode_4s_320x240_noise_faststart.mp4");
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(Clips.Folder);
        string tmp = Path.Combine(Clips.Folder, $".{Guid.NewGuid():N}.mp4");
        ExternalTool.RunChecked(ExternalTool.Require("ffmpeg", "ffmpeg"),
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", Barcode.LavfiSource(320, 240, 25) + ",noise=alls=20:allf=t",
             "-frames:v", "100", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-g", "25", "-movflags", "+faststart", "-f", "mp4", tmp],
            TimeSpan.FromMinutes(2));
        File.Move(tmp, path, overwrite: true);
        return path;
    }

    [Fact]
    public async Task Setup_on_an_http_file_whose_server_stops_sending_fails_within_the_read_timeout()
    {
        using var server = new StallingHttpServer(FastStartClip()) ;
        server.StallAt = server.Length / 2; // the index pass stops in the middle of the file
        var decoder = new MpegDecoder();
        Assert.Equal(TimeSpan.FromSeconds(5), decoder.ReadTimeout);
        bool result = true;
        string? error = null;
        var clock = Stopwatch.StartNew();
        try
        {
            await StopFromHandlerTests.Within(decoder.OpenTimeout + decoder.ReadTimeout + OneSecond, () =>
            {
                result = decoder.FFmpegSetup(server.Url());
                error = decoder.LastError;
            });
        }
        finally
        {
            decoder.Clear(); // interrupts a setup still blocked (before the deadline existed, it never returned)
        }
        Assert.False(result);
        Assert.True(server.Stalled >= 1, "the server did stall");
        Assert.True(clock.Elapsed < decoder.ReadTimeout + OneSecond + TimeSpan.FromSeconds(2), $"setup took {clock.Elapsed}"); // 2 s for the open and the first half
        Assert.True(error?.Contains("read timeout", StringComparison.Ordinal), error);
    }

    [Fact]
    public async Task An_extraction_whose_server_stops_sending_throws_within_the_read_timeout_and_the_decoder_stays_usable()
    {
        using var server = new StallingHttpServer(FastStartClip());
        using var decoder = new MpegDecoder { ReadTimeout = TimeSpan.FromSeconds(2) };
        Assert.True(decoder.FFmpegSetup(server.Url()), decoder.LastError);
        server.StallAt = 0; // from now on the server sends headers and nothing else

        var clock = Stopwatch.StartNew();
        Exception? failure = null;
        await StopFromHandlerTests.Within(decoder.ReadTimeout + OneSecond, () => failure = Record.Exception(() => decoder.ExtractFrame(0, 3)));
        Assert.IsType<MpegCoderException>(failure);
        Assert.Contains("read timeout", failure!.Message);
        Assert.True(clock.Elapsed < decoder.ReadTimeout + OneSecond, $"the extraction took {clock.Elapsed}");

        server.StallAt = long.MaxValue;
        Assert.True(decoder.FFmpegSetup(server.Url()), decoder.LastError);
        Assert.Equal(3, decoder.ExtractFrame(0, 3)!.GetLength(0));
    }

    [Fact]
    public async Task Clear_interrupts_an_extraction_blocked_on_a_silent_server_from_another_thread()
    {
        using var server = new StallingHttpServer(FastStartClip());
        using var decoder = new MpegDecoder { ReadTimeout = Timeout.InfiniteTimeSpan };
        Assert.True(decoder.FFmpegSetup(server.Url()), decoder.LastError);
        server.StallAt = 0;
        int stalled = server.Stalled;
        var extraction = Task.Factory.StartNew(() => Record.Exception(() => decoder.ExtractFrame(0, 3)), TaskCreationOptions.LongRunning);
        var wait = Stopwatch.StartNew();
        while (server.Stalled == stalled && wait.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
        Thread.Sleep(200); // the read is now blocked
        Assert.False(extraction.IsCompleted);

        var clock = Stopwatch.StartNew();
        await StopFromHandlerTests.Within(OneSecond, decoder.Clear);
        var failure = await extraction.WaitAsync(OneSecond);
        Assert.IsType<MpegCoderException>(failure);
        Assert.Contains("cleared", failure!.Message);
        Assert.True(clock.Elapsed < OneSecond + OneSecond, $"Clear and the extraction's end took {clock.Elapsed}");
    }

    [Fact]
    public void Timeouts_must_be_positive_or_infinite()
    {
        using var decoder = new MpegDecoder();
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.ReadTimeout = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.OpenTimeout = TimeSpan.FromSeconds(-1));
        decoder.OpenTimeout = Timeout.InfiniteTimeSpan;
        Assert.Equal(Timeout.InfiniteTimeSpan, decoder.OpenTimeout);
    }
}
