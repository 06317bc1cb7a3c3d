using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>Checks the barcode geometry without any external tool.</summary>
public class BarcodeTests
{
    [Theory]
    [InlineData(320, 240)]
    [InlineData(322, 182)]
    [InlineData(16, 2)]
    [InlineData(1920, 1080)]
    public void Render_then_Read_round_trips(int width, int height)
    {
        foreach (int index in new[] { 0, 1, 2, 5, 255, 256, 12345, 0x8000, 0xFFFF })
        {
            var img = Barcode.Render(index, width, height);
            Assert.Equal((index, index), Barcode.ReadFrame(img, width, height));
        }
    }

    [Fact]
    public void Read_honours_stride()
    {
        const int w = 320, h = 240, stride = w * 3 + 64;
        var packed = Barcode.Render(4242, w, h);
        var padded = new byte[stride * h];
        for (int y = 0; y < h; y++)
            packed.AsSpan(y * w * 3, w * 3).CopyTo(padded.AsSpan(y * stride));
        Assert.Equal((4242, 4242), Barcode.ReadFrame(padded, w, h, stride));
    }
}

/// <summary>Checks ExternalTool.Require reporting.</summary>
public class ExternalToolTests
{
    [Fact]
    public void Require_names_the_missing_package()
    {
        var e = Assert.Throws<MissingToolException>(() => ExternalTool.Require("no-such-tool-mpegcoder", "some-debian-package"));
        Assert.Contains("apt-get install -y some-debian-package", e.Message);
    }

    [Fact]
    public void Require_finds_ffmpeg() =>
        Assert.True(File.Exists(ExternalTool.Require("ffmpeg", "ffmpeg")));
}

/// <summary>The file clips decode (with the ffmpeg CLI) to exactly 0..N-1.</summary>
public class ClipTests
{
    [Theory]
    [InlineData("libx264", "mp4")]
    [InlineData("mpeg4", "avi")]
    public void BarcodeClip_decodes_to_consecutive_indices_from_zero(string codec, string container)
    {
        const int seconds = 2, w = 320, h = 240, fps = 25;
        string path = Clips.BarcodeClip(seconds, w, h, fps, codec, container);
        Assert.Equal(path, Clips.BarcodeClip(seconds, w, h, fps, codec, container)); // cached

        var r = ExternalTool.RunChecked(ExternalTool.Require("ffmpeg", "ffmpeg"), new[]
        {
            "-nostdin", "-v", "error", "-i", path, "-fps_mode", "passthrough",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
        }, TimeSpan.FromSeconds(60));
        var frames = Barcode.ReadAll(r.StdOut, w, h);
        Assert.Equal(Enumerable.Range(0, seconds * fps).Select(i => (i, i)), frames);
    }
}

/// <summary>The live RTSP test server, read back with the ffmpeg CLI as the client.</summary>
public class RtspTestServerTests
{
    private static List<(int top, int bottom)> Grab(RtspTestServer server, string transport, int frames, TimeSpan? timeout = null)
    {
        var r = ExternalTool.Run(ExternalTool.Require("ffmpeg", "ffmpeg"), new[]
        {
            "-nostdin", "-v", "error", "-rtsp_transport", transport, "-timeout", "5000000",
            "-i", server.Url, "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
            "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
        }, timeout ?? TimeSpan.FromSeconds(30));
        Assert.False(r.TimedOut, $"ffmpeg client timed out: {r}\n{server.Logs}");
        Assert.True(r.ExitCode == 0, $"ffmpeg client failed: {r}\n{server.Logs}");
        return Barcode.ReadAll(r.StdOut, server.Width, server.Height);
    }

    private static void AssertLiveSequence(List<(int top, int bottom)> frames, int expectedCount)
    {
        string dump = string.Join(" ", frames.Select(f => f.top == f.bottom ? $"{f.top}" : $"{f.top}/{f.bottom}"));
        Assert.True(frames.Count == expectedCount, $"expected {expectedCount} frames, got {frames.Count}: {dump}");
        foreach (var (top, bottom) in frames)
            Assert.True(top == bottom, $"torn frame {top}/{bottom}: {dump}");
        for (int i = 1; i < frames.Count; i++)
            Assert.True(frames[i].top == (frames[i - 1].top + 1) % Barcode.Modulus, $"gap at frame {i}: {dump}");
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public void Live_stream_delivers_consecutive_untorn_frames(string transport)
    {
        using var server = RtspTestServer.Start();
        Assert.StartsWith("rtsp://127.0.0.1:", server.Url);
        Assert.EndsWith("/video", server.Url);
        Assert.Equal((320, 240, 25), (server.Width, server.Height, server.Fps));
        AssertLiveSequence(Grab(server, transport, 30), 30);
    }

    [Fact]
    public void Second_client_after_first_disconnects_still_gets_frames()
    {
        using var server = RtspTestServer.Start();
        var first = Grab(server, "tcp", 10);
        AssertLiveSequence(first, 10);
        Thread.Sleep(1000);
        var second = Grab(server, "udp", 10);
        AssertLiveSequence(second, 10);
        Assert.True(second[0].top > first[^1].top, "the stream is live: the second client starts later");
        var third = Grab(server, "tcp", 10);
        AssertLiveSequence(third, 10);
    }

    [Fact]
    public async Task Two_concurrent_clients_get_the_same_live_stream()
    {
        using var server = RtspTestServer.Start();
        var a = Task.Run(() => Grab(server, "tcp", 25));
        var b = Task.Run(() => Grab(server, "udp", 25));
        AssertLiveSequence(await a, 25);
        AssertLiveSequence(await b, 25);
    }

    [Fact]
    public void Custom_size_is_served()
    {
        using var server = RtspTestServer.Start(640, 360, 25);
        AssertLiveSequence(Grab(server, "tcp", 10), 10);
    }

    [Fact]
    public void StopServer_closes_the_connection_of_a_reading_client()
    {
        using var server = RtspTestServer.Start();
        var psi = new ProcessStartInfo(ExternalTool.Require("ffmpeg", "ffmpeg"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-rtsp_transport", "tcp", "-i", server.Url, "-f", "null", "-" })
            psi.ArgumentList.Add(a);
        using var client = Process.Start(psi)!;
        try
        {
            var err = client.StandardError.ReadToEndAsync();
            Thread.Sleep(3000);
            Assert.False(client.HasExited, "client should still be reading the live stream");
            var sw = Stopwatch.StartNew();
            server.StopServer();
            Assert.True(server.ServerProcess.HasExited);
            Assert.True(client.WaitForExit(15000), "client did not notice that the server went away");
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15));
        }
        finally
        {
            ExternalTool.KillTree(client);
        }
    }

    [Fact]
    public void Dispose_is_idempotent_and_kills_the_children()
    {
        var server = RtspTestServer.Start();
        var gst = server.ServerProcess;
        var pusher = server.PusherProcess;
        Assert.True(server.ServerPid > 0);
        server.Dispose();
        server.Dispose();
        Assert.True(gst.HasExited);
        Assert.True(pusher.HasExited);
    }
}
