using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;

namespace MpegCoder.Fleet.Tests;

/// <summary>
/// Many cameras behind one address: the GStreamer RTSP test server with one mount per camera, all relaying
/// one live barcode that an ffmpeg process encodes. Each client gets its own RTSP session.
/// </summary>
public sealed class CameraRelay : IDisposable
{
    private readonly DaemonProcess _server;
    private readonly DaemonProcess _pusher;

    private CameraRelay(DaemonProcess server, DaemonProcess pusher, int port, IReadOnlyList<string> names, int width, int height)
    {
        _server = server;
        _pusher = pusher;
        Port = port;
        Names = names;
        Width = width;
        Height = height;
    }

    public int Port { get; }
    public IReadOnlyList<string> Names { get; }
    public int Width { get; }
    public int Height { get; }

    public string Url(string name) => $"rtsp://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{name}";

    public string Logs => _server.Logs + _pusher.Logs;

    public static CameraRelay Start(IReadOnlyList<string> names, int width, int height, int fps)
    {
        string ffmpeg = ExternalTool.Require("ffmpeg", "ffmpeg");
        string ffprobe = ExternalTool.Require("ffprobe", "ffmpeg");
        ExternalTool.Require(RtspTestServer.Python, "python3");
        string script = Path.Combine(AppContext.BaseDirectory, "Servers", "rtsp_server.py");
        int port = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
        int rtpPort = RtspTestServer.ReservePort(SocketType.Dgram, ProtocolType.Udp);

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arguments = new List<string> { "-u", script, "--port", port.ToString(CultureInfo.InvariantCulture), "--rtp-port", rtpPort.ToString(CultureInfo.InvariantCulture) };
        foreach (var name in names) arguments.AddRange(["--mount", "/" + name]);
        var server = DaemonProcess.Start("rtsp", RtspTestServer.Python, arguments, line => { if (line.Trim() == "READY") ready.TrySetResult(); });
        DaemonProcess? pusher = null;
        try
        {
            if (!ready.Task.Wait(TimeSpan.FromSeconds(15)))
                throw server.Fail("the RTSP server did not print READY within 15 s");
            pusher = DaemonProcess.Start("pusher", ffmpeg,
                RtspTestServer.PusherArguments(Barcode.LavfiSource(width, height, fps), width, height, fps, rtpPort));
            var relay = new CameraRelay(server, pusher, port, names, width, height);
            relay.WaitUntilDelivering(ffprobe);
            return relay;
        }
        catch
        {
            pusher?.Dispose();
            server.Dispose();
            throw;
        }
    }

    private void WaitUntilDelivering(string ffprobe)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var r = ExternalTool.Run(ffprobe, ["-v", "error", "-rtsp_transport", "tcp", "-timeout", "5000000",
                "-show_entries", "stream=width", "-of", "csv=p=0", Url(Names[^1])], TimeSpan.FromSeconds(10));
            if (r.ExitCode == 0 && r.StdOutText.Trim() == Width.ToString(CultureInfo.InvariantCulture)) return;
            last = r.ToString();
            Thread.Sleep(300);
        }
        throw new InvalidOperationException($"The RTSP relay did not deliver video within 20 s: {last}\n{Logs}");
    }

    public void Dispose()
    {
        _pusher.Dispose();
        _server.Dispose();
    }
}
