using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Stopping;

/// <summary>
/// MpegServer: no sleep and no I/O under the lock that Clear, LastError, GetParameter and ToString need;
/// ServeFrame never waits; an output released without its trailer releases its connection (RTSP too).
/// </summary>
public class EncoderStopTests
{
    private const int W = 160, H = 120;
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    /// <summary>A push to a UDP port nobody needs to read: writes never block, so only pacing can.</summary>
    private static MpegServer UdpServer((int num, int den) rate, int? frameAhead = null)
    {
        int port = RtspTestServer.ReservePort(SocketType.Dgram, ProtocolType.Udp);
        var server = new MpegServer();
        server.SetParameter(videoAddress: $"udp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}?pkt_size=1316",
            codecName: "libx264", width: W, height: H, frameRate: rate, GOPSize: 5, maxBframe: 0, frameAhead: frameAhead);
        Assert.True(server.FFmpegSetup(), server.LastError);
        return server;
    }

    [Fact]
    public async Task At_0_2_fps_Clear_LastError_GetParameter_and_ToString_answer_at_once_while_ServeFrameBlock_waits()
    {
        var server = UdpServer((1, 5));
        var frame = Barcode.Render(0, W, H);
        Assert.True(server.ServeFrameBlock(frame.AsSpan()), server.LastError); // frame 0: at once, and the clock starts
        var serving = Task.Factory.StartNew(() => server.ServeFrameBlock(frame.AsSpan()), TaskCreationOptions.LongRunning); // frame 1: its slot is 5 s away
        Thread.Sleep(300);
        Assert.False(serving.IsCompleted);

        var clock = Stopwatch.StartNew();
        await StopFromHandlerTests.Within(OneSecond, () =>
        {
            Assert.Null(server.LastError);
            Assert.Equal(1, server.GetParameter("frameCount"));
            Assert.Contains("MpegServer", server.ToString());
        });
        await StopFromHandlerTests.Within(OneSecond, server.Clear);
        Assert.False(await serving.WaitAsync(OneSecond), "the cleared wait sent its frame");
        Assert.True(clock.Elapsed < OneSecond + OneSecond, $"the queries, Clear and the end of the wait took {clock.Elapsed}");
        Assert.Throws<InvalidOperationException>(() => server.ServeFrame(frame.AsSpan()));
        server.Dispose();
    }

    [Fact]
    public async Task FFmpegClose_ends_a_ServeFrameBlock_wait_at_once()
    {
        using var server = UdpServer((1, 5));
        var frame = Barcode.Render(0, W, H);
        Assert.True(server.ServeFrameBlock(frame.AsSpan()), server.LastError);
        var serving = Task.Factory.StartNew(() => server.ServeFrameBlock(frame.AsSpan()), TaskCreationOptions.LongRunning);
        Thread.Sleep(300);
        bool closed = false;
        await StopFromHandlerTests.Within(OneSecond + OneSecond, () => closed = server.FFmpegClose());
        Assert.True(closed, server.LastError);
        Assert.False(await serving.WaitAsync(OneSecond));
    }

    [Fact]
    public async Task DisposeAsync_ends_a_ServeFrameBlock_wait_and_ends_the_stream()
    {
        var server = UdpServer((1, 5));
        var frame = Barcode.Render(0, W, H);
        Assert.True(server.ServeFrameBlock(frame.AsSpan()), server.LastError);
        var serving = Task.Factory.StartNew(() => server.ServeFrameBlock(frame.AsSpan()), TaskCreationOptions.LongRunning);
        Thread.Sleep(300);
        await server.DisposeAsync().AsTask().WaitAsync(OneSecond + OneSecond);
        Assert.False(await serving.WaitAsync(OneSecond));
        Assert.Null(server.LastError); // the stream ended cleanly, as FFmpegClose ends it
        Assert.Throws<InvalidOperationException>(() => server.ServeFrame(frame.AsSpan()));
    }

    [Fact]
    public async Task ServeFrame_never_waits_for_a_slot()
    {
        using var server = UdpServer((1, 5), frameAhead: 0);
        var frame = Barcode.Render(0, W, H);
        // At 0.2 fps with no frames ahead allowed, a pacing ServeFrame would wait 5 s per frame.
        await StopFromHandlerTests.Within(TimeSpan.FromSeconds(4), () =>
        {
            for (int i = 0; i < 5; i++) Assert.True(server.ServeFrame(frame.AsSpan()), server.LastError);
        });
        Assert.Equal(5, server.GetParameter("frameCount"));
        Assert.True(server.FFmpegClose(), server.LastError);
    }

    [Fact]
    public void An_RTSP_publication_released_without_its_trailer_closes_its_connection()
    {
        int port = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
        string url = $"rtsp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/live";
        using var listener = DaemonProcess.Start("ffmpeg-rtsp-listener", ExternalTool.Require("ffmpeg", "ffmpeg"),
            ["-hide_banner", "-nostdin", "-loglevel", "warning", "-rtsp_flags", "listen", "-i", url, "-f", "null", "-"]);
        listener.WaitUntilListening(port, udp: false, TimeSpan.FromSeconds(10));

        var server = new MpegServer();
        server.SetParameter(videoAddress: url, codecName: "libx264", width: W, height: H, frameRate: (25, 1), GOPSize: 25, maxBframe: 0);
        Assert.True(server.FFmpegSetup(), server.LastError);
        for (int i = 0; i < 10; i++) Assert.True(server.ServeFrame(Barcode.Render(i, W, H).AsSpan()), server.LastError);
        Assert.Equal(1, ConnectionsTo(port));

        server.Clear(); // no trailer
        var clock = Stopwatch.StartNew();
        while (ConnectionsTo(port) > 0 && clock.Elapsed < OneSecond) Thread.Sleep(20);
        Assert.Equal(0, ConnectionsTo(port));
        server.Dispose();
    }

    /// <summary>This host's established TCP connections whose far end is <paramref name="port"/> on 127.0.0.1 (the publisher's side), from /proc/net/tcp.</summary>
    internal static int ConnectionsTo(int port)
    {
        string remote = $"0100007F:{port:X4}";
        return File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(f => f.Length > 3 && f[2] == remote && f[3] == "01");
    }
}
