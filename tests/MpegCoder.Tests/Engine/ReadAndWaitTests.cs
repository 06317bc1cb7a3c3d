using System.Diagnostics;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Engine;

/// <summary>The engine's one read and one wait, as both faces show them.</summary>
public class ReadAndWaitTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly RtspTestServer _server = fixture.Server;

    [Fact]
    public void The_port_waits_for_a_new_frame_without_polling_with_a_timeout_and_cancellation()
    {
        using var client = new MpegClient();
        client.Options = client.Options with { RtspTransport = RtspTransport.Tcp };
        Assert.True(client.FFmpegSetup(_server.Url), client.LastError);
        Assert.True(client.Start());
        for (int i = 0; i < 10; i++)
        {
            long seen = client.Statistics.FramesStored;
            Assert.True(client.WaitForNewFrame(seen, Wait), client.LastError);
            Assert.True(client.Statistics.FramesStored > seen);
        }

        // Paused, no frame comes: the wait ends at its timeout, and a cancellation ends it at once.
        client.Terminate();
        long stored = client.Statistics.FramesStored;
        var clock = Stopwatch.StartNew();
        Assert.False(client.WaitForNewFrame(stored, TimeSpan.FromMilliseconds(300)));
        Assert.InRange(clock.ElapsedMilliseconds, 250, 5000);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => client.WaitForNewFrame(stored, Timeout.InfiniteTimeSpan, cancel.Token));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.WaitForNewFrame(stored, TimeSpan.FromSeconds(-2)));
        // A frame already newer than the one named returns at once.
        Assert.True(client.WaitForNewFrame(stored - 1, TimeSpan.Zero));
    }

    [Fact]
    public void Waiting_on_a_stream_that_ends_returns_false_and_the_one_error_says_why()
    {
        using var client = new MpegClient();
        client.Options = client.Options with { FullRing = FullRingPolicy.OverwriteOldest }; // runs to its end unread
        Assert.True(client.FFmpegSetup(Clips.BarcodeClip(seconds: 1)), client.LastError);
        Assert.True(client.Start());
        Frames.WaitUntil(() => client.State == StreamState.Closed, Wait, "the end of the file");
        Assert.False(client.WaitForNewFrame(client.Statistics.FramesStored, Wait));
        Assert.Contains("end of file", client.LastError);
        Assert.Equal(client.LastError, client.Statistics.LastError);
        client.Clear();
        Assert.Null(client.LastError);
        Assert.False(client.FFmpegSetup("/nonexistent/clip.mp4"));
        Assert.Contains("No such file", client.LastError);
    }

    [Fact]
    public async Task A_destination_too_small_for_the_frames_asked_is_refused_by_both_faces()
    {
        string clip = Clips.BarcodeClip(seconds: 1);
        using var client = new MpegClient();
        client.Options = client.Options with { ReadSize = 2 };
        Assert.True(client.FFmpegSetup(clip), client.LastError);
        var e = Assert.Throws<ArgumentException>(() => client.ExtractFrame(new byte[client.FrameBytes]));
        Assert.Equal("destination", e.ParamName);

        await using var stream = await VideoStream.OpenAsync(clip, new StreamOptions { ReadSize = 2 });
        e = Assert.Throws<ArgumentException>(() => stream.CopyNewestFrames(new byte[stream.FrameBytes]));
        Assert.Equal("destination", e.ParamName);
        Assert.Throws<ArgumentException>(() => stream.CopyNewestFrames(new byte[stream.FrameBytes], count: 2));
    }
}
