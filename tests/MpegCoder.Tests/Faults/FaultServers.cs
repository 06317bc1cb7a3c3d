using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using MpegCoder.Tests.Protocols;

namespace MpegCoder.Tests.Faults;

/// <summary>
/// The real servers the fault matrix puts its misbehaving peers in front of, each started on first use
/// and shared by every test of the collection: the live RTSP barcode, nginx (HTTP files, RTMP relay), an
/// FTP daemon and an sshd. A server a test freezes is thawed by the test before it returns.
/// </summary>
public sealed class FaultServers : IDisposable
{
    public const int Width = 320, Height = 240, Fps = 25;

    private readonly Lazy<RtspTestServer> _rtsp = new(() => RtspTestServer.Start(Width, Height, Fps));
    private readonly Lazy<NginxServer> _nginx = new(NginxServer.Start);
    private readonly Lazy<FtpServer> _ftp = new(() => FtpServer.Start(FtpFixture.User, FtpFixture.Password));
    private readonly Lazy<SftpServer> _sftp = new(() => SftpServer.Start(SftpFixture.Passphrase));

    public RtspTestServer Rtsp => _rtsp.Value;
    public NginxServer Nginx => _nginx.Value;
    public FtpServer Ftp => _ftp.Value;
    public SftpServer Sftp => _sftp.Value;

    private static readonly Lazy<string> PaddedClip = new(CreateClip, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// A 10 s barcode clip (320x240, a keyframe every second) in MPEG-TS padded to a constant 2 Mbit/s with
    /// null packets: read front to back with no seek, so a proxy's byte count is a position in the file,
    /// and big enough (2.5 MB) that no buffer on the way holds all of it.
    /// </summary>
    public static string Clip => PaddedClip.Value;

    private static string CreateClip()
    {
        string path = Path.Combine(Clips.Folder, "fault_10s_320x240_25fps_libx264_2Mbps.ts");
        if (File.Exists(path) && new FileInfo(path).Length > 0) return path;
        string tmp = Path.Combine(Clips.Folder, $".{Guid.NewGuid():N}.ts");
        ExternalTool.RunChecked(ExternalTool.Require("ffmpeg", "ffmpeg"),
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", Clips.BarcodeClip(10, Width, Height, Fps, container: "ts"),
             "-c", "copy", "-f", "mpegts", "-muxrate", "2000000", tmp], TimeSpan.FromMinutes(1));
        File.Move(tmp, path, overwrite: true);
        return path;
    }

    public void Dispose()
    {
        foreach (var server in new IDisposable?[] { _rtsp.IsValueCreated ? _rtsp.Value : null, _nginx.IsValueCreated ? _nginx.Value : null,
                     _ftp.IsValueCreated ? _ftp.Value : null, _sftp.IsValueCreated ? _sftp.Value : null })
            server?.Dispose();
    }
}
