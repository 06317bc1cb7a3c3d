using System.Diagnostics;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Reliability;

/// <summary>Nothing blocks past its timeout, and stopping never waits for the network.</summary>
public class TimeoutAndStopTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("rtsp")]
    [InlineData("http")]
    [InlineData("rtmp")]
    public void A_server_that_accepts_and_never_answers_fails_setup_within_the_open_timeout(string scheme)
    {
        using var silent = new SilentServer();
        using var client = new MpegClient();
        client.Options = client.Options with { OpenTimeout = TimeSpan.FromSeconds(1.5) };
        var clock = Stopwatch.StartNew();
        Assert.False(client.FFmpegSetup($"{scheme}://127.0.0.1:{silent.Port}/video"));
        clock.Stop();
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 4);
        Assert.True(silent.Accepted >= 1, "the client did connect");
        Assert.Contains("timeout", client.LastError);
    }

    [Fact]
    public void Terminate_clear_and_dispose_return_at_once_while_the_server_is_frozen()
    {
        using var server = RtspTestServer.Start();
        using var client = new MpegClient();
        client.Options = client.Options with { RtspTransport = RtspTransport.Tcp, ReadSize = 3, StallTimeout = TimeSpan.FromSeconds(30) };
        Assert.True(client.FFmpegSetup(server.Url), client.LastError);
        Assert.True(client.Start());
        var before = Frames.Whole(Frames.WaitForBatch(client, 3, Wait));
        Signals.Freeze(server.ServerPid);
        try
        {
            Thread.Sleep(500); // the writer is now blocked in a read that nothing will answer
            var clock = Stopwatch.StartNew();
            client.Terminate();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Terminate took {clock.Elapsed}");
            Assert.Equal(3, client.ExtractFrame()!.GetLength(0)); // the last frames are kept

            Assert.True(client.Start());
            Thread.Sleep(300);
            clock.Restart();
            client.Clear();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Clear took {clock.Elapsed}");

            client.Options = client.Options with { OpenTimeout = TimeSpan.FromSeconds(1) };
            Assert.False(client.FFmpegSetup(server.Url)); // the frozen server accepts but never answers
            Assert.Contains("timeout", client.LastError);
            clock.Restart();
            client.Dispose();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Dispose took {clock.Elapsed}");
        }
        finally
        {
            Signals.Thaw(server.ServerPid);
        }
        Assert.NotEmpty(before);
    }

    [Fact]
    public void Clear_interrupts_a_setup_in_progress_on_another_thread()
    {
        using var silent = new SilentServer();
        using var client = new MpegClient();
        client.Options = client.Options with { OpenTimeout = TimeSpan.FromSeconds(30) };
        var setup = new Thread(() => client.FFmpegSetup($"rtsp://127.0.0.1:{silent.Port}/video"));
        setup.Start();
        Frames.WaitUntil(() => silent.Accepted >= 1, Wait, "the connection");
        var clock = Stopwatch.StartNew();
        client.Clear();
        Assert.True(setup.Join(TimeSpan.FromSeconds(2)), "the setup was not interrupted");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"Clear took {clock.Elapsed}");
    }

    [Fact]
    public void A_stall_past_the_timeout_ends_the_stream_and_extract_frame_returns_null()
    {
        using var server = RtspTestServer.Start();
        using var client = new MpegClient();
        client.Options = client.Options with { RtspTransport = RtspTransport.Tcp, StallTimeout = TimeSpan.FromSeconds(1) };
        Assert.True(client.FFmpegSetup(server.Url), client.LastError);
        Assert.True(client.Start());
        Frames.WaitForBatch(client, 1, Wait);
        Signals.Freeze(server.ServerPid);
        try
        {
            var clock = Stopwatch.StartNew();
            Frames.WaitUntil(() => client.ExtractFrame() is null, TimeSpan.FromSeconds(5), "the stall to end the stream");
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 4);
            Assert.Contains("stalled", client.LastError);
            Assert.Equal(StreamState.Closed, client.State);
        }
        finally
        {
            Signals.Thaw(server.ServerPid);
        }
    }
}
