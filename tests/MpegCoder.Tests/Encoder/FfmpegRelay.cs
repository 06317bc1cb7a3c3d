using System.Globalization;
using System.Net.Sockets;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;

namespace MpegCoder.Tests.Encoder;

/// <summary>
/// The ffmpeg CLI as the server an MpegServer pushes to (an HTTP listener taking a POST, an SRT listener,
/// an RTSP server taking ANNOUNCE/RECORD), copying what it receives, not re-encoded and not re-paced, on to
/// nginx's RTMP relay, where an MpegClient plays it live.
/// </summary>
internal sealed class FfmpegRelay : IDisposable
{
    private readonly DaemonProcess _ffmpeg;

    private FfmpegRelay(string pushUrl, DaemonProcess ffmpeg)
    {
        PushUrl = pushUrl;
        _ffmpeg = ffmpeg;
    }

    /// <summary>Where the MpegServer pushes.</summary>
    public string PushUrl { get; }

    public string Logs => _ffmpeg.Logs;

    /// <summary>The listening ffmpeg process, e.g. to freeze it with SIGSTOP.</summary>
    public int Pid => _ffmpeg.Id;

    public static FfmpegRelay Http(NginxServer nginx, string stream)
    {
        int port = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
        string url = $"http://127.0.0.1:{Text(port)}/{stream}";
        return Start("ffmpeg-http-listener", ["-f", "flv", "-listen", "1", "-i", url], url, nginx, stream, port, udp: false);
    }

    /// <summary>ffmpeg as an SRT listener; the MpegServer calls it.</summary>
    public static FfmpegRelay Srt(NginxServer nginx, string stream)
    {
        int port = RtspTestServer.ReservePort(SocketType.Dgram, ProtocolType.Udp);
        return Start("ffmpeg-srt-listener", ["-f", "mpegts", "-i", $"srt://127.0.0.1:{Text(port)}?mode=listener"],
            $"srt://127.0.0.1:{Text(port)}?mode=caller", nginx, stream, port, udp: true);
    }

    /// <summary>
    /// ffmpeg as an RTSP server taking ANNOUNCE/RECORD. Its RTP depacketizer leaves the first packets
    /// without timestamps (until the first RTCP report), which FLV refuses: arrival times replace them.
    /// </summary>
    public static FfmpegRelay Rtsp(NginxServer nginx, string stream)
    {
        int port = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
        string url = $"rtsp://127.0.0.1:{Text(port)}/{stream}";
        return Start("ffmpeg-rtsp-listener", ["-rtsp_flags", "listen", "-use_wallclock_as_timestamps", "1", "-i", url], url, nginx, stream, port, udp: false);
    }

    private static FfmpegRelay Start(string name, string[] input, string pushUrl, NginxServer nginx, string stream, int port, bool udp)
    {
        string ffmpeg = ExternalTool.Require("ffmpeg", "ffmpeg");
        string[] args = ["-hide_banner", "-nostdin", "-loglevel", "warning", "-analyzeduration", "1000000", .. input,
            "-c", "copy", "-f", "flv", nginx.RtmpUrl(stream)];
        var process = DaemonProcess.Start(name, ffmpeg, args);
        try
        {
            process.WaitUntilListening(port, udp, TimeSpan.FromSeconds(10));
            return new FfmpegRelay(pushUrl, process);
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
