using System.Globalization;
using System.Net.Sockets;

namespace MpegCoder.Tests.Infrastructure.Servers;

/// <summary>
/// The live 25 fps frame-index barcode (320x240, H.264), encoded in real time by an ffmpeg process and
/// delivered over one protocol: served over HTTP or SRT by ffmpeg itself (-listen 1, mode=listener;
/// each serves one client), pushed as MPEG-TS over UDP, or published to an RTMP server.
/// </summary>
public sealed class FfmpegLiveSource : IDisposable
{
    public const int Width = 320, Height = 240, Fps = 25;

    private readonly DaemonProcess _ffmpeg;

    private FfmpegLiveSource(string url, DaemonProcess ffmpeg)
    {
        Url = url;
        _ffmpeg = ffmpeg;
    }

    /// <summary>The address a client opens.</summary>
    public string Url { get; }

    public string Logs => _ffmpeg.Logs;

    /// <summary>ffmpeg as an HTTP server (-listen 1) sending MPEG-TS to the first client that connects.</summary>
    public static FfmpegLiveSource ServeHttp()
    {
        int port = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
        string url = $"http://127.0.0.1:{Text(port)}/live.ts";
        return Start("ffmpeg-http", ["-f", "mpegts", "-listen", "1", url], url, port, udp: false);
    }

    /// <summary>ffmpeg as an SRT listener sending MPEG-TS; the client calls it.</summary>
    public static FfmpegLiveSource ServeSrt()
    {
        int port = RtspTestServer.ReservePort(SocketType.Dgram, ProtocolType.Udp);
        return Start("ffmpeg-srt", ["-f", "mpegts", $"srt://127.0.0.1:{Text(port)}?mode=listener"],
            $"srt://127.0.0.1:{Text(port)}?mode=caller", port, udp: true);
    }

    /// <summary>ffmpeg pushing MPEG-TS datagrams to a UDP port that the client listens on.</summary>
    public static FfmpegLiveSource PushUdp()
    {
        int port = RtspTestServer.ReservePort(SocketType.Dgram, ProtocolType.Udp);
        return Start("ffmpeg-udp", ["-f", "mpegts", $"udp://127.0.0.1:{Text(port)}?pkt_size=1316"],
            $"udp://127.0.0.1:{Text(port)}", listenPort: null, udp: true);
    }

    /// <summary>ffmpeg publishing FLV to <paramref name="nginx"/>'s RTMP application; clients play the same address.</summary>
    public static FfmpegLiveSource PublishRtmp(NginxServer nginx, string stream)
    {
        string url = nginx.RtmpUrl(stream);
        return Start("ffmpeg-rtmp", ["-f", "flv", url], url, listenPort: null, udp: false);
    }

    private static FfmpegLiveSource Start(string name, string[] output, string clientUrl, int? listenPort, bool udp)
    {
        string ffmpeg = ExternalTool.Require("ffmpeg", "ffmpeg");
        string[] args = [.. RtspTestServer.LiveEncoderArguments(Barcode.LavfiSource(Width, Height, Fps), Width, Height, Fps), .. output];
        var process = DaemonProcess.Start(name, ffmpeg, args);
        try
        {
            if (listenPort is int port)
                process.WaitUntilListening(port, udp, TimeSpan.FromSeconds(10));
            return new FfmpegLiveSource(clientUrl, process);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _ffmpeg.Dispose();
}
