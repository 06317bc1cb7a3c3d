using System.Diagnostics;
using MpegCoder.Tests.Encoder;
using MpegCoder.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Faults;

/// <summary>
/// <see cref="MpegEncoder"/> onto a disk that fills, and <see cref="MpegServer"/> pushing to targets that
/// stop reading, reset the connection or freeze: every call returns within the 10 s I/O deadline + 1 s, a
/// stop (Clear) from another thread within 1 s, the reason is in LastError, the connection and the fds are
/// released, and what was written before a full disk decodes.
/// </summary>
[Collection(nameof(FaultCollection))]
public class EncoderFaultTests(FaultServers servers, ITestOutputHelper output)
{
    /// <summary>The encoder's and the server's documented I/O deadline ("made no progress for 10 s") + 1 s.</summary>
    private static readonly TimeSpan WriteBound = TimeSpan.FromSeconds(10) + Bounded.Slack;

    private const int W = 160, H = 120, Fps = 25;

    /// <summary>The barcode of <paramref name="index"/> with noise in its middle half (where no barcode is read), so every frame costs many bits.</summary>
    private static byte[] NoisyBarcode(int index, int width, int height)
    {
        var frame = Barcode.Render(index, width, height);
        new Random(index).NextBytes(frame.AsSpan(width * 3 * (height * 3 / 8), width * 3 * (height / 4)));
        return frame;
    }

    private static readonly byte[][] Pictures = Enumerable.Range(0, 100).Select(i => NoisyBarcode(i, W, H)).ToArray();

    [Fact]
    public void MpegEncoder_on_a_disk_that_fills_returns_false_with_the_reason_and_what_it_wrote_decodes()
    {
        var before = OpenResources.Now();
        int accepted = 0;
        string? reason;
        List<int> decoded;
        using (var disk = new SmallDisk(400 * 1024))
        {
            string path = disk.File("full.ts");
            var encoder = new MpegEncoder();
            encoder.SetParameter(videoPath: path, codecName: "libx264", width: W, height: H, frameRate: (Fps, 1), GOPSize: Fps, maxBframe: 0, bitRate: 8000);
            Assert.True(encoder.FFmpegSetup(), encoder.LastError);
            var slowest = TimeSpan.Zero;
            var (full, _) = Bounded.Call("encoding until the disk is full", TimeSpan.FromSeconds(60), () =>
            {
                for (int i = 0; i < 5000; i++)
                {
                    var clock = Stopwatch.StartNew();
                    bool ok = encoder.EncodeFrame(NoisyBarcode(i, W, H).AsSpan());
                    if (clock.Elapsed > slowest) slowest = clock.Elapsed;
                    if (!ok) return true;
                    accepted++;
                }
                return false;
            });
            Assert.True(full, $"5000 frames encoded onto a {disk.Size / 1024} KB disk and every EncodeFrame returned true");
            Assert.True(slowest <= WriteBound, $"an EncodeFrame took {slowest.TotalSeconds:0.0} s");
            reason = encoder.LastError;
            Assert.Contains("No space left on device", reason);
            Bounded.Call("Dispose", FaultMatrix.Stop, encoder.Dispose);
            decoded = DecodedIndices(path, W, H);
        }
        output.WriteLine($"{accepted} frames accepted, {decoded.Count} decode from the file; {reason}");
        Assert.True(decoded.Count >= Fps, $"only {decoded.Count} frames of {accepted} decode");
        // The frame being written when the disk filled is cut short; the decoder conceals it with the one before.
        Assert.Equal(Enumerable.Range(0, decoded.Count - 1), decoded.Take(decoded.Count - 1));
        Bounded.Released(before, null, "MpegEncoder after a full disk");
    }

    /// <summary>The barcode indices of every frame the ffmpeg CLI decodes from <paramref name="path"/> (it stops at the damage).</summary>
    internal static List<int> DecodedIndices(string path, int width, int height)
    {
        var r = ExternalTool.Run(ExternalTool.Require("ffmpeg", "ffmpeg"),
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", path, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], TimeSpan.FromSeconds(30));
        Assert.False(r.TimedOut, "ffmpeg hung decoding the file");
        var indices = new List<int>();
        foreach (var (top, bottom) in Barcode.ReadAll(r.StdOut, width, height))
        {
            Assert.True(top == bottom, $"torn frame {top}/{bottom} in the file");
            indices.Add(top);
        }
        return indices;
    }

    /// <summary>A push target of the matrix, with a proxy in front of it (or the relay to freeze).</summary>
    private sealed class PushTarget : IDisposable
    {
        private readonly FfmpegRelay? _relay;
        public FaultProxy? Proxy { get; }
        public string Address { get; }
        public int Port { get; }
        public int? Pid => _relay?.Pid;

        public PushTarget(FaultServers servers, string protocol, ProxyFault? fault)
        {
            string stream = "fault" + Guid.NewGuid().ToString("N")[..8];
            string direct;
            int port;
            switch (protocol)
            {
                case "rtmp":
                    direct = servers.Nginx.RtmpUrl(stream);
                    port = servers.Nginx.RtmpPort;
                    break;
                case "rtsp":
                    _relay = FfmpegRelay.Rtsp(servers.Nginx, stream);
                    direct = _relay.PushUrl;
                    port = new Uri(direct).Port;
                    break;
                case "http":
                    _relay = FfmpegRelay.Http(servers.Nginx, stream);
                    direct = _relay.PushUrl;
                    port = new Uri(direct).Port;
                    break;
                case "srt":
                    _relay = FfmpegRelay.Srt(servers.Nginx, stream);
                    direct = _relay.PushUrl;
                    port = new Uri(direct).Port;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(protocol));
            }
            if (fault is { } f)
            {
                Proxy = new FaultProxy(port, f, receiveBufferSize: 4096);
                Address = Proxy.Route(direct);
                Port = Proxy.Port;
            }
            else
            {
                Address = direct;
                Port = port;
            }
        }

        public void Dispose()
        {
            Proxy?.Dispose();
            _relay?.Dispose();
        }
    }

    private static MpegServer SetUpServer(string address)
    {
        var server = new MpegServer();
        // No pacing (frameAhead far away): the test fills the connection as fast as the encoder goes.
        server.SetParameter(videoAddress: address, codecName: "libx264", width: W, height: H, frameRate: (Fps, 1), GOPSize: Fps,
            maxBframe: 0, bitRate: 8000, frameAhead: 1_000_000);
        var (ok, _) = Bounded.Call("MpegServer.FFmpegSetup", WriteBound, () => server.FFmpegSetup());
        Assert.True(ok, server.LastError);
        return server;
    }

    /// <summary>Serves frames until one fails; the task's result is how many were sent and the longest call.</summary>
    private static Task<(int sent, TimeSpan slowest)> ServeUntilFailure(MpegServer server, int limit) => Bounded.Start(() =>
    {
        var slowest = TimeSpan.Zero;
        for (int i = 0; i < limit; i++)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                if (!server.ServeFrame(Pictures[i % Pictures.Length].AsSpan())) return (i, Max(slowest, clock.Elapsed));
            }
            catch (InvalidOperationException) { return (i, Max(slowest, clock.Elapsed)); } // cleared meanwhile: not set up any more
            slowest = Max(slowest, clock.Elapsed);
        }
        return (limit, slowest);
    });

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [Fact]
    public void MpegServer_pushing_to_a_target_that_stops_reading_fails_within_the_write_deadline()
    {
        using var target = new PushTarget(servers, "rtmp", ProxyFault.Stall);
        var before = OpenResources.Now(target.Port);
        var server = SetUpServer(target.Address);
        for (int i = 0; i < Fps; i++) Assert.True(server.ServeFrame(Pictures[i].AsSpan()), server.LastError);
        target.Proxy!.Fire();
        var serving = ServeUntilFailure(server, 100_000);
        // The writes first fill the socket buffers (megabytes on loopback), then one blocks: that call, and
        // every call, returns within the deadline + 1 s.
        Assert.True(Bounded.Until(() => serving.IsCompleted, TimeSpan.FromSeconds(30)),
            $"ServeFrame still succeeding or blocked {target.Proxy.SinceFired.TotalSeconds:0.0} s after the target stopped reading");
        var (sent, slowest) = Bounded.Result(serving);
        Assert.True(slowest <= WriteBound, $"a ServeFrame call took {slowest.TotalSeconds:0.0} s");
        Assert.Contains("no progress", server.LastError);
        output.WriteLine($"failed {target.Proxy.SinceFired.TotalSeconds:0.00} s after the stall, {sent} frames later, slowest call {slowest.TotalSeconds:0.00} s: {server.LastError}");
        Bounded.Call("Dispose", FaultMatrix.Stop, server.Dispose);
        target.Dispose();
        Bounded.Released(before, target.Port, "MpegServer after a stalled rtmp push");
    }

    [Theory]
    [InlineData("rtmp", "stall")]
    [InlineData("rtsp", "stall")]
    [InlineData("http", "stall")]
    [InlineData("srt", "freeze")]
    public void Clear_from_another_thread_ends_a_push_blocked_on_a_stalled_target_at_once(string protocol, string fault)
    {
        using var target = new PushTarget(servers, protocol, fault == "stall" ? ProxyFault.Stall : null);
        var before = OpenResources.Now(target.Port);
        var server = SetUpServer(target.Address);
        for (int i = 0; i < Fps; i++) Assert.True(server.ServeFrame(Pictures[i].AsSpan()), server.LastError);
        using var frozen = fault == "freeze" ? new FrozenProcess(target.Pid!.Value) : null;
        target.Proxy?.Fire();
        var serving = ServeUntilFailure(server, 100_000);
        Thread.Sleep(1500); // the writes fill the buffers and block
        Bounded.Call("Clear", FaultMatrix.Stop, server.Clear);
        Assert.True(Bounded.Until(() => serving.IsCompleted, FaultMatrix.Stop), "ServeFrame still blocked 1 s after Clear");
        Bounded.Call("Dispose", FaultMatrix.Stop, server.Dispose);
        frozen?.Dispose();
        target.Dispose();
        Bounded.Released(before, target.Port, $"MpegServer cleared during a {fault} {protocol} push");
    }

    [Theory]
    [InlineData("rtmp")]
    [InlineData("rtsp")]
    [InlineData("http")]
    public void A_target_that_resets_mid_packet_makes_ServeFrame_return_false_with_the_reason(string protocol)
    {
        using var target = new PushTarget(servers, protocol, ProxyFault.Cut);
        var before = OpenResources.Now(target.Port);
        var server = SetUpServer(target.Address);
        for (int i = 0; i < Fps; i++) Assert.True(server.ServeFrame(Pictures[i].AsSpan()), server.LastError);
        target.Proxy!.Fire();
        var serving = ServeUntilFailure(server, 100_000);
        Assert.True(Bounded.Until(() => serving.IsCompleted, WriteBound), $"ServeFrame still succeeding {target.Proxy.SinceFired.TotalSeconds:0.0} s after the reset");
        Assert.False(string.IsNullOrEmpty(server.LastError), "no reason");
        output.WriteLine($"{protocol}: failed {target.Proxy.SinceFired.TotalSeconds:0.00} s after the reset: {server.LastError}");
        Bounded.Call("Dispose", FaultMatrix.Stop, server.Dispose);
        target.Dispose();
        Bounded.Released(before, target.Port, $"MpegServer after a reset {protocol} push");
    }
}
