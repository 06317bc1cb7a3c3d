using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using MpegCoder.Tests.Protocols;
using Xunit;

namespace MpegCoder.Tests.Encoder;

/// <summary>
/// MpegServer pushes barcode frames to a real server on 127.0.0.1 and an MpegClient reads them back live:
/// every index from the first the client sees to the last arrives (none lost over TCP), and they arrive at
/// the frame rate the server paces them at.
/// </summary>
[Collection(nameof(LiveProtocolCollection))]
public class MpegServerTests(NginxFixture fixture) : IClassFixture<NginxFixture>
{
    private const int W = 160, H = 120, Fps = 25;
    private readonly NginxServer _nginx = fixture.Server;

    private static readonly byte[][] Pictures = Enumerable.Range(0, 10 * Fps + 1).Select(i => Barcode.Render(i, W, H)).ToArray();

    private static MpegServer SetUp(string address, int? frameAhead = null, int maxBframe = 1)
    {
        var server = new MpegServer();
        server.SetParameter(videoAddress: address, codecName: "libx264", width: W, height: H, frameRate: (Fps, 1), GOPSize: Fps,
            maxBframe: maxBframe, frameAhead: frameAhead);
        Assert.True(server.FFmpegSetup(), server.LastError);
        return server;
    }

    /// <summary>Serves frames 0..count-1 on a thread of its own; the task ends after FFmpegClose.</summary>
    private static Task<bool> Push(MpegServer server, int count, bool block) => Task.Factory.StartNew(() =>
    {
        for (int i = 0; i < count; i++)
            if (!(block ? server.ServeFrameBlock(Pictures[i].AsSpan()) : server.ServeFrame(Pictures[i].AsSpan()))) return false;
        return server.FFmpegClose();
    }, TaskCreationOptions.LongRunning);

    /// <summary>
    /// The reading side of a TCP push: every index from the client's first (it joins after the push began)
    /// to the end, and for a push of 10 s the pace. The last <paramref name="tail"/> frames may stay in a
    /// relay's demuxer, which hands out its last packet only at an end of stream it does not pass on.
    /// </summary>
    private static void AssertReadBack(PushReader reader, Task<bool> push, MpegServer server, int count, double? paceTolerance, int tail = 0)
    {
        Assert.True(push.Wait(TimeSpan.FromSeconds(count / Fps + 20)), "the push did not finish");
        Assert.True(push.Result, server.LastError);
        reader.WaitFor(count - 1 - tail, TimeSpan.FromSeconds(10));
        var seen = reader.Indices;
        reader.AssertConsecutive(atLeast: Fps);
        if (paceTolerance is not { } tolerance) return;
        // From a second after the client's first frame (what the server had buffered arrives in a burst) to
        // 10 frames before the end (the decoder hands out its last frames only when the stream ends).
        int from = seen[0] + Fps, to = count - 11;
        double rate = reader.ArrivalRate(from, to, out double seconds);
        Assert.True(seconds > 6, $"the pace is measured over {seconds:0.0} s only");
        Assert.True(Math.Abs(rate - Fps) <= Fps * tolerance,
            $"frames {from}..{to} arrived at {rate:0.00} fps over {seconds:0.00} s (expected {Fps} within {tolerance:P0}); index@ms: {reader.Timeline()}");
    }

    [Fact]
    public void Rtmp_to_nginx_arrives_whole_at_25_fps_within_5_percent_over_10_s()
    {
        string url = _nginx.RtmpUrl("push10");
        using var server = SetUp(url);
        var push = Push(server, 10 * Fps + 1, block: true);
        using var reader = PushReader.Open(url, ProtocolAssert.QuickProbe);
        AssertReadBack(reader, push, server, 10 * Fps + 1, paceTolerance: 0.05);
    }

    [Fact]
    public void Rtsp_publishing_to_a_recording_server_arrives_whole_at_25_fps_within_5_percent_over_10_s()
    {
        using var relay = FfmpegRelay.Rtsp(_nginx, "fromrtsp");
        // No B-frames: RTP carries presentation times only, and the relay's copy into FLV needs decoding
        // times, which it can take from presentation times only when both are the same.
        using var server = SetUp(relay.PushUrl, maxBframe: 0);
        var push = Push(server, 10 * Fps + 1, block: true);
        using var reader = OpenWhenRelayed("fromrtsp", relay);
        AssertReadBack(reader, push, server, 10 * Fps + 1, paceTolerance: 0.05);
    }

    [Fact]
    public void Http_post_to_a_listening_ffmpeg_arrives_whole()
    {
        using var relay = FfmpegRelay.Http(_nginx, "fromhttp");
        using var server = SetUp(relay.PushUrl);
        var push = Push(server, 4 * Fps, block: true);
        using var reader = OpenWhenRelayed("fromhttp", relay);
        AssertReadBack(reader, push, server, 4 * Fps, paceTolerance: null, tail: 5);
    }

    /// <summary>
    /// SRT (MPEG-TS to a listener). SRT runs over UDP, and in its live mode a packet still missing after
    /// the latency is dropped: on a loaded machine an occasional frame is lost, so the check is "in order,
    /// 95% of the frames from the client's first to the end" rather than "every frame".
    /// </summary>
    [Fact]
    public async Task Srt_to_a_listener_arrives_in_order()
    {
        using var relay = FfmpegRelay.Srt(_nginx, "fromsrt");
        using var server = SetUp(relay.PushUrl);
        var push = Push(server, 4 * Fps, block: true);
        using var reader = OpenWhenRelayed("fromsrt", relay);
        Assert.True(await push.WaitAsync(TimeSpan.FromSeconds(30)), server.LastError);
        reader.WaitFor(4 * Fps - 1 - 5, TimeSpan.FromSeconds(10));
        var seen = reader.Indices;
        Assert.True(seen.Count >= Fps, $"only {seen.Count} frames arrived");
        Assert.True(seen.Count >= 0.95 * (seen[^1] - seen[0] + 1), $"{seen.Count} of the frames {seen[0]}..{seen[^1]} arrived");
    }

    /// <summary>
    /// UDP to a listening client, served with ServeFrame: it never waits for a slot (as the original's), so
    /// the producer sets the pace; frameAhead is kept as a parameter.
    /// </summary>
    [Fact]
    public async Task Udp_mpegts_reaches_a_listening_client_and_ServeFrame_never_waits()
    {
        int port = RtspTestServer.ReservePort(SocketType.Dgram, ProtocolType.Udp);
        string address = $"udp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        using var server = SetUp(address + "?pkt_size=1316", frameAhead: 10);
        Assert.Equal(10, server.GetParameter("frameAhead"));
        // The client listens on the port and its setup waits for the first packets: it opens while the server pushes.
        var opening = Task.Run(() => PushReader.Open(address, ProtocolAssert.QuickProbe));
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 3 * Fps; i++)
        {
            var frameClock = Stopwatch.StartNew();
            Assert.True(server.ServeFrame(Pictures[i].AsSpan()), server.LastError);
            Thread.Sleep(Math.Max(0, 1000 / Fps - (int)frameClock.ElapsedMilliseconds)); // the producer's own pace
        }
        Assert.True(server.FFmpegClose(), server.LastError);

        using var reader = await opening;
        reader.WaitFor(3 * Fps - 1, TimeSpan.FromSeconds(10));
        var seen = reader.Indices;
        Assert.True(seen.Count >= 2 * Fps, $"only {seen.Count} of {3 * Fps} frames arrived over UDP");
    }

    /// <summary>ServeFrameBlock with the client's frame shape, over RTMP: 2 s, each frame in its own slot.</summary>
    [Fact]
    public void ServeFrameBlock_with_byte_arrays_sends_each_frame_in_its_slot()
    {
        string url = _nginx.RtmpUrl("block");
        using var server = SetUp(url);
        var frames = Enumerable.Range(0, 2 * Fps).Select(i => MpegEncoderTests.Frame(i, W, H)).ToArray();
        Assert.Throws<ArgumentException>(() => server.ServeFrameBlock(new byte[W, H, 3]));
        var clock = Stopwatch.StartNew();
        foreach (var frame in frames) Assert.True(server.ServeFrameBlock(frame), server.LastError);
        // Frame 49's slot is 49 / 25 s after frame 0's.
        Assert.InRange(clock.Elapsed.TotalSeconds, 49.0 / Fps, 49.0 / Fps + 0.1);
        Assert.Equal(2 * Fps, server.GetParameter("frameCount"));
        Assert.Contains("frameAhead 50", server.ToString());
        Assert.True(server.FFmpegClose(), server.LastError);
        Assert.False(server.IsOpen);
    }

    [Fact]
    public void A_server_that_refuses_or_never_answers_fails_setup_clearly_and_leaves_nothing_open()
    {
        int closed = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
        using var server = new MpegServer();
        server.SetParameter(width: W, height: H);
        Assert.False(server.FFmpegSetup($"rtmp://127.0.0.1:{closed.ToString(CultureInfo.InvariantCulture)}/live/x"));
        Assert.Contains("Connection refused", server.LastError);
        Assert.False(server.IsOpen);

        Assert.False(server.FFmpegSetup($"rtmp://127.0.0.1:{_nginx.RtmpPort.ToString(CultureInfo.InvariantCulture)}/no-such-app/x"));
        Assert.Contains("cannot", server.LastError);
        Assert.False(server.IsOpen);

        using var silent = new SilentServer();
        var clock = Stopwatch.StartNew();
        Assert.False(server.FFmpegSetup($"rtsp://127.0.0.1:{silent.Port.ToString(CultureInfo.InvariantCulture)}/live"));
        Assert.True(clock.Elapsed < MpegServer.IoTimeout + TimeSpan.FromSeconds(5), $"setup took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("no progress within 10 s", server.LastError);
        Assert.False(server.IsOpen);
    }

    [Fact]
    public void A_server_that_goes_away_mid_stream_makes_ServeFrame_return_false_and_closes_the_output()
    {
        var relay = FfmpegRelay.Http(_nginx, "goesaway");
        using var server = SetUp(relay.PushUrl);
        for (int i = 0; i < Fps; i++) Assert.True(server.ServeFrame(Pictures[i].AsSpan()), server.LastError);
        relay.Dispose();
        bool failed = false;
        for (int i = Fps; i < Pictures.Length && !failed; i++) failed = !server.ServeFrame(Pictures[i].AsSpan());
        Assert.True(failed, "every write succeeded after the server went away");
        Assert.Contains("writing to 'http://127.0.0.1", server.LastError);
        Assert.False(server.IsOpen);
        Assert.Throws<InvalidOperationException>(() => server.ServeFrame(Pictures[0].AsSpan()));
    }

    /// <summary>Opens the client on nginx as soon as the relay has published there.</summary>
    private PushReader OpenWhenRelayed(string stream, FfmpegRelay relay)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (PushReader.TryOpen(_nginx.RtmpUrl(stream), ProtocolAssert.QuickProbe) is { } reader) return reader;
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"the relay did not publish: {relay.Logs}");
            Thread.Sleep(50);
        }
    }
}
