using System.Globalization;
using System.Net.Sockets;

namespace MpegCoder.Tests.Infrastructure.Servers;

/// <summary>
/// A real nginx on 127.0.0.1, with its own config in a temp folder: HTTP serves the files put in
/// <see cref="Root"/> (the access log records each request's User-Agent), and the RTMP module
/// (libnginx-mod-rtmp) relays live streams published to rtmp://127.0.0.1:PORT/live/NAME to any player.
/// The same files are also served under /private/, behind HTTP basic authentication for <see cref="User"/>.
/// </summary>
public sealed class NginxServer : IDisposable
{
    public const string Nginx = "/usr/sbin/nginx";
    public const string RtmpModule = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

    private readonly TempFolder _folder = new("nginx");
    private readonly DaemonProcess _daemon;

    /// <summary>The one user /private/ lets in, and the password: both need percent-encoding in an address.</summary>
    public const string User = "we@b", Password = "h:tt@p%pw";

    private NginxServer()
    {
        HttpPort = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
        RtmpPort = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
        Directory.CreateDirectory(Root);
        // {SHA}: base64 of the SHA-1, one of nginx's password schemes. Stored as it is ({PLAIN}) the ':' in the
        // password would end the field (nginx reads "user:password:comment").
        string hash = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(Password)));
        File.WriteAllText(_folder.File("htpasswd"), $"{User}:{{SHA}}{hash}\n");
        File.WriteAllText(_folder.File("nginx.conf"), Config());
        _daemon = DaemonProcess.Start("nginx", Nginx,
            ["-c", _folder.File("nginx.conf"), "-p", _folder.Path, "-e", _folder.File("error.log")]);
    }

    public int HttpPort { get; }
    public int RtmpPort { get; }

    /// <summary>The folder HTTP serves.</summary>
    public string Root => _folder.File("www");

    /// <summary>nginx's access log: one line per request, ending with the quoted User-Agent.</summary>
    public string AccessLog => File.Exists(_folder.File("access.log")) ? File.ReadAllText(_folder.File("access.log")) : "";

    public string Logs => _daemon.Logs + (File.Exists(_folder.File("error.log")) ? File.ReadAllText(_folder.File("error.log")) : "");

    /// <summary>Starts nginx and returns once both ports listen. Fails naming the package when nginx or its RTMP module is missing.</summary>
    public static NginxServer Start()
    {
        ExternalTool.Require(Nginx, "nginx");
        ExternalTool.Require(RtmpModule, "libnginx-mod-rtmp");
        var server = new NginxServer();
        try
        {
            server._daemon.WaitUntilListening(server.HttpPort, udp: false, TimeSpan.FromSeconds(10));
            server._daemon.WaitUntilListening(server.RtmpPort, udp: false, TimeSpan.FromSeconds(10));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Copies <paramref name="path"/> into <see cref="Root"/> and returns its http:// address.</summary>
    public string Serve(string path, string? name = null)
    {
        name ??= Path.GetFileName(path);
        File.Copy(path, Path.Combine(Root, name), overwrite: true);
        return HttpUrl(name);
    }

    public string HttpUrl(string name) => $"http://127.0.0.1:{HttpPort}/{name}";

    /// <summary>The address of <paramref name="name"/> under /private/, with the credentials percent-encoded.</summary>
    public string PrivateUrl(string name, string password = Password) =>
        $"http://{Uri.EscapeDataString(User)}:{Uri.EscapeDataString(password)}@127.0.0.1:{HttpPort}/private/{name}";

    /// <summary>
    /// Cuts <paramref name="clip"/> into an HLS playlist of 1 s MPEG-TS segments under <see cref="Root"/>/<paramref name="name"/>/
    /// (the video is copied, not re-encoded); returns the playlist's path relative to the root.
    /// </summary>
    public string ServeHls(string clip, string name)
    {
        string folder = Path.Combine(Root, name);
        Directory.CreateDirectory(folder);
        ExternalTool.RunChecked(ExternalTool.Require("ffmpeg", "ffmpeg"),
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", clip, "-c", "copy",
             "-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_playlist_type", "vod", Path.Combine(folder, "index.m3u8")],
            TimeSpan.FromSeconds(60));
        return $"{name}/index.m3u8";
    }

    /// <summary>The address a live stream is published to and played from.</summary>
    public string RtmpUrl(string stream) => $"rtmp://127.0.0.1:{RtmpPort}/live/{stream}";

    private string Config()
    {
        string P(string name) => _folder.File(name);
        string port(int p) => p.ToString(CultureInfo.InvariantCulture);
        // 'user root' lets the workers read the temp folder when the tests run as root; nginx ignores it
        // (with a warning) otherwise, and the workers then run as the same user anyway.
        return $$"""
            load_module {{RtmpModule}};
            daemon off;
            master_process on;
            worker_processes 1;
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            pid {{P("nginx.pid")}};
            error_log {{P("error.log")}} warn;
            events { worker_connections 128; }
            rtmp {
                server {
                    listen 127.0.0.1:{{port(RtmpPort)}};
                    application live { live on; record off; }
                }
            }
            http {
                log_format agent '$request $status "$http_user_agent"';
                access_log {{P("access.log")}} agent;
                client_body_temp_path {{P("tmp")}};
                proxy_temp_path {{P("tmp")}};
                fastcgi_temp_path {{P("tmp")}};
                uwsgi_temp_path {{P("tmp")}};
                scgi_temp_path {{P("tmp")}};
                types { video/mp4 mp4; video/x-matroska mkv; video/mp2t ts; application/vnd.apple.mpegurl m3u8; }
                server {
                    listen 127.0.0.1:{{port(HttpPort)}};
                    root {{Root}};
                    location /private/ {
                        alias {{Root}}/;
                        auth_basic "MpegCoder tests";
                        auth_basic_user_file {{P("htpasswd")}};
                    }
                }
            }
            """;
    }

    public void Dispose()
    {
        _daemon?.Dispose();
        _folder.Dispose();
    }
}
