using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// A real, live RTSP server for integration tests: a GStreamer RTSP server (Servers/rtsp_server.py)
/// relaying the H.264 "frame index barcode" that an ffmpeg child process pushes over RTP/UDP, and, when
/// asked (<see cref="TestAudio"/>), a tone in AAC or G.711 µ-law that the same ffmpeg process pushes on a
/// second port, as a camera with a microphone sends. Serves <see cref="Url"/> over both TCP-interleaved
/// and UDP transports.
/// </summary>
public sealed class RtspTestServer : IDisposable
{
    public const string Python = "/usr/bin/python3";
    public const string MountPath = "/video";

    private static readonly object PortGate = new();
    private static readonly HashSet<int> HandedOutPorts = new();
    private static readonly Lazy<Exception?> PythonCheck = new(CheckPythonModules, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly BoundedLog _log = new();
    private string _script = "";
    private string _ffprobe = "";
    private Process? _server;
    private Process? _pusher;
    private int _disposed;

    private RtspTestServer(int width, int height, int fps, (string user, string password)? credentials, TestAudio audio)
    {
        Width = width;
        Height = height;
        Fps = fps;
        Credentials = credentials;
        Audio = audio;
    }

    /// <summary>The user and password the server requires (RTSP basic authentication), or null for none.</summary>
    public (string user, string password)? Credentials { get; }

    /// <summary><see cref="Url"/> with the credentials in it, percent-encoded; <see cref="Url"/> when there are none.</summary>
    public string AuthenticatedUrl => Credentials is { } c
        ? Url.Replace("rtsp://", $"rtsp://{Uri.EscapeDataString(c.user)}:{Uri.EscapeDataString(c.password)}@", StringComparison.Ordinal)
        : Url;

    /// <summary><c>rtsp://127.0.0.1:PORT/video</c></summary>
    public string Url { get; private set; } = "";
    public int Port { get; private set; }
    public int RtpPort { get; private set; }

    /// <summary>The UDP port where the audio RTP arrives; 0 without audio.</summary>
    public int AudioPort { get; private set; }

    /// <summary>The audio stream served next to the video (<see cref="TestAudio.None"/>: video only).</summary>
    public TestAudio Audio { get; }

    public int Width { get; }
    public int Height { get; }
    public int Fps { get; }

    /// <summary>The GStreamer RTSP server process (e.g. for SIGSTOP/SIGCONT tests).</summary>
    public Process ServerProcess => _server ?? throw new ObjectDisposedException(nameof(RtspTestServer));
    public int ServerPid => ServerProcess.Id;

    /// <summary>The ffmpeg process pushing the barcode (and the audio) over RTP.</summary>
    public Process PusherProcess => _pusher ?? throw new ObjectDisposedException(nameof(RtspTestServer));

    /// <summary>Captured (bounded) stdout/stderr of the server and of the pusher.</summary>
    public string Logs => _log.ToString();

    /// <summary>
    /// Starts the server and the pusher on free ports and returns once an RTSP client really receives
    /// the stream (with <paramref name="audio"/>, its audio stream too). Throws <see cref="MissingToolException"/>
    /// when ffmpeg, python3 or the GStreamer bindings/plugins are missing, or <see cref="InvalidOperationException"/>
    /// (with logs) on failure.
    /// </summary>
    public static RtspTestServer Start(int width = 320, int height = 240, int fps = 25, (string user, string password)? credentials = null,
        TestAudio audio = TestAudio.None)
    {
        string ffmpeg = ExternalTool.Require("ffmpeg", "ffmpeg");
        string ffprobe = ExternalTool.Require("ffprobe", "ffmpeg");
        ExternalTool.Require(Python, "python3");
        if (PythonCheck.Value is { } missing)
            throw missing;
        string script = Path.Combine(AppContext.BaseDirectory, "Servers", "rtsp_server.py");
        if (!File.Exists(script))
            throw new FileNotFoundException($"RTSP test server script not found at {script}", script);
        string source = Barcode.LavfiSource(width, height, fps); // validates the size

        Exception? last = null;
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            var s = new RtspTestServer(width, height, fps, credentials, audio);
            try
            {
                s.Launch(ffmpeg, ffprobe, script, source);
                return s;
            }
            catch (Exception e) when (e is not MissingToolException)
            {
                last = e;
                s.Dispose();
            }
        }
        throw last!;
    }

    private void Launch(string ffmpeg, string ffprobe, string script, string source)
    {
        Port = ReservePort(SocketType.Stream, ProtocolType.Tcp);
        RtpPort = ReservePort(SocketType.Dgram, ProtocolType.Udp);
        if (Audio != TestAudio.None)
            AudioPort = ReservePort(SocketType.Dgram, ProtocolType.Udp);
        Url = $"rtsp://127.0.0.1:{Port}{MountPath}";
        _script = script;
        _ffprobe = ffprobe;

        var ready = LaunchServer();
        _pusher = StartProcess("ffmpeg", ffmpeg, PusherArguments(source, Width, Height, Fps, RtpPort, Audio, AudioPort), null);
        WaitUntilDelivering(ready);
    }

    /// <summary>Starts the GStreamer server process on <see cref="Port"/>; the task completes at its READY line.</summary>
    private Task LaunchServer()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arguments = new List<string>
        {
            "-u", _script,
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--rtp-port", RtpPort.ToString(CultureInfo.InvariantCulture),
            "--mount", MountPath,
        };
        if (Credentials is { } c)
            arguments.AddRange(["--user", c.user, "--password", c.password]);
        if (Audio != TestAudio.None)
            arguments.AddRange(["--audio", Audio.ServerName(), "--audio-port", AudioPort.ToString(CultureInfo.InvariantCulture)]);
        _server = StartProcess("server", Python, arguments, line =>
        {
            if (line.Trim() == "READY")
                ready.TrySetResult();
        });
        _server.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("server exited before READY"));
        return ready.Task;
    }

    private void WaitUntilDelivering(Task ready)
    {
        var server = _server!;
        try
        {
            if (!ready.Wait(TimeSpan.FromSeconds(15)))
                throw new TimeoutException("no READY within 15 s");
        }
        catch (Exception e)
        {
            throw Fail($"RTSP test server did not become ready ({(e as AggregateException)?.InnerException?.Message ?? e.Message})");
        }

        // READY means "listening"; now wait until a client really gets decodable video (and the audio).
        var deadline = Stopwatch.StartNew();
        string probeLog = "";
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (server.HasExited)
                throw Fail($"RTSP test server exited with code {server.ExitCode}");
            if (_pusher!.HasExited)
                throw Fail($"ffmpeg pusher exited with code {_pusher.ExitCode}");
            var r = ExternalTool.Run(_ffprobe, [
                "-v", "error", "-rtsp_transport", "tcp", "-timeout", "5000000",
                "-show_entries", "stream=codec_type,codec_name,width,sample_rate", .. FfprobeSections.Format, AuthenticatedUrl,
            ], TimeSpan.FromSeconds(10));
            if (!r.TimedOut && r.ExitCode == 0 && ServesWhatWasAsked(FfprobeSections.Parse(r.StdOutText, "stream")))
                return;
            probeLog = $"ffprobe: {r} stdout='{r.StdOutText.Trim()}'";
            Thread.Sleep(300);
        }
        string what = Audio == TestAudio.None ? "video" : $"video and {Audio.CodecName()} audio";
        throw Fail($"RTSP stream {Url} did not deliver {what} within 20 s. Last {probeLog}");
    }

    /// <summary>The probed streams hold the video at its width and, when asked for, the audio at its codec and rate.</summary>
    private bool ServesWhatWasAsked(List<Dictionary<string, string>> streams)
    {
        string width = Width.ToString(CultureInfo.InvariantCulture);
        bool video = streams.Any(s => s.Field("codec_type") == "video" && s.Field("width") == width);
        if (Audio == TestAudio.None)
            return video;
        string rate = Audio.SampleRate().ToString(CultureInfo.InvariantCulture);
        return video && streams.Any(s => s.Field("codec_type") == "audio" && s.Field("codec_name") == Audio.CodecName()
            && s.Field("sample_rate") == rate);
    }

    /// <summary>
    /// Starts the GStreamer server again on the same port after <see cref="StopServer"/> (the pusher kept
    /// pushing), and waits until it delivers video (and its audio): a camera that comes back after a reboot.
    /// </summary>
    public void RestartServer()
    {
        if (_server is { HasExited: false })
            throw new InvalidOperationException("The server is still running; call StopServer first.");
        WaitUntilDelivering(LaunchServer());
    }

    /// <summary>Arguments of the ffmpeg process that pushes the live barcode to rtp://127.0.0.1:<paramref name="rtpPort"/>.</summary>
    public static string[] PusherArguments(string lavfiSource, int width, int height, int fps, int rtpPort) =>
        [.. LiveEncoderArguments(lavfiSource, width, height, fps), .. RtpOutput(rtpPort)];

    /// <summary>
    /// Arguments of the ffmpeg process that pushes the live barcode to rtp://127.0.0.1:<paramref name="rtpPort"/>
    /// and, unless <paramref name="audio"/> is <see cref="TestAudio.None"/>, a tone in that audio to
    /// rtp://127.0.0.1:<paramref name="audioPort"/>. One process reads both sources in real time, so the
    /// audio's timestamps and the video's come from one clock and stay together.
    /// </summary>
    public static string[] PusherArguments(string lavfiSource, int width, int height, int fps, int rtpPort, TestAudio audio, int audioPort) =>
        audio == TestAudio.None
            ? PusherArguments(lavfiSource, width, height, fps, rtpPort)
            : [.. LoggingArguments, .. LiveInput(lavfiSource), .. LiveInput(audio.LavfiSource()),
               "-map", "0:v", .. LiveVideoEncoderArguments(width, height, fps), .. RtpOutput(rtpPort),
               "-map", "1:a", .. audio.EncoderArguments(), .. RtpOutput(audioPort)];

    /// <summary>
    /// ffmpeg arguments up to the output: the lavfi source read in real time (-re) and encoded as live
    /// H.264 (one slice per frame, a keyframe every second, no B-frames). Append "-f FORMAT URL".
    /// </summary>
    public static string[] LiveEncoderArguments(string lavfiSource, int width, int height, int fps) =>
        [.. LoggingArguments, .. LiveInput(lavfiSource), .. LiveVideoEncoderArguments(width, height, fps)];

    private static readonly string[] LoggingArguments = ["-hide_banner", "-nostats", "-nostdin", "-loglevel", "warning"];

    /// <summary>A lavfi source read at its own rate (-re): every input of a live pusher needs it.</summary>
    private static string[] LiveInput(string lavfiSource) => ["-re", "-f", "lavfi", "-i", lavfiSource];

    private static string[] RtpOutput(int port) => ["-f", "rtp", $"rtp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"];

    private static string[] LiveVideoEncoderArguments(int width, int height, int fps)
    {
        long bitrate = Math.Max(500_000L, (long)width * height * fps / 2);
        string fpsText = fps.ToString(CultureInfo.InvariantCulture);
        return new[]
        {
            "-an", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
            // One slice per frame: zerolatency enables sliced threads, which would split every
            // frame into one slice per thread (those arrive damaged through the GStreamer relay).
            "-threads", "1", "-x264-params", "sliced-threads=0:slices=1",
            "-g", fpsText, "-keyint_min", fpsText, "-sc_threshold", "0", "-bf", "0",
            "-b:v", bitrate.ToString(CultureInfo.InvariantCulture),
            "-maxrate", bitrate.ToString(CultureInfo.InvariantCulture),
            "-bufsize", (bitrate / 2).ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Kills the GStreamer RTSP server (SIGKILL): connected clients see the remote side close. The pusher keeps running.</summary>
    public void StopServer()
    {
        if (_server is null)
            return;
        ExternalTool.KillTree(_server);
        _server.WaitForExit(5000);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        foreach (var p in new[] { _server, _pusher })
        {
            if (p is null)
                continue;
            ExternalTool.KillTree(p);
            try { p.WaitForExit(5000); } catch (InvalidOperationException) { }
        }
        lock (PortGate)
        {
            HandedOutPorts.Remove(Port);
            HandedOutPorts.Remove(RtpPort);
            HandedOutPorts.Remove(AudioPort);
        }
        // Process objects are kept (not disposed) so that ServerProcess stays inspectable.
    }

    public override string ToString() => Audio == TestAudio.None
        ? $"RtspTestServer {Url} ({Width}x{Height}@{Fps}, rtp udp {RtpPort})"
        : $"RtspTestServer {Url} ({Width}x{Height}@{Fps}, rtp udp {RtpPort}; {Audio.ServerName()} audio, rtp udp {AudioPort})";

    private InvalidOperationException Fail(string message)
    {
        Thread.Sleep(200); // let the asynchronous readers flush the last lines
        return new InvalidOperationException($"{message}\n--- captured logs ({this}) ---\n{Logs}");
    }

    private Process StartProcess(string name, string exe, IEnumerable<string> args, Action<string>? onStdout)
    {
        var psi = ExternalTool.StartInfo(exe, args);
        psi.Environment["GST_DEBUG_NO_COLOR"] = "1";
        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            _log.AppendLine($"[{name}:out] ", e.Data);
            onStdout?.Invoke(e.Data);
        };
        p.ErrorDataReceived += (_, e) => _log.AppendLine($"[{name}:err] ", e.Data);
        p.Exited += (_, _) => _log.AppendLine($"[{name}] ", "process exited");
        if (!p.Start())
            throw new InvalidOperationException($"Could not start {exe}");
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _log.AppendLine($"[{name}] ", $"started pid {p.Id}: {exe} {string.Join(' ', psi.ArgumentList)}");
        return p;
    }

    /// <summary>Picks a free 127.0.0.1 port, never handing out the same one twice in this process.</summary>
    public static int ReservePort(SocketType type, ProtocolType protocol)
    {
        lock (PortGate)
        {
            for (int i = 0; i < 50; i++)
            {
                using var s = new Socket(AddressFamily.InterNetwork, type, protocol);
                s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                int port = ((IPEndPoint)s.LocalEndPoint!).Port;
                if (HandedOutPorts.Add(port))
                    return port;
            }
        }
        throw new InvalidOperationException("Could not find a free port");
    }

    private static Exception? CheckPythonModules()
    {
        const string probe = """
            import sys
            try:
                import gi
            except ImportError:
                print("MISSING python3-gi"); sys.exit(0)
            try:
                gi.require_version("Gst", "1.0")
                from gi.repository import Gst
            except (ImportError, ValueError):
                print("MISSING gir1.2-gstreamer-1.0"); sys.exit(0)
            try:
                gi.require_version("GstRtspServer", "1.0")
                from gi.repository import GstRtspServer
            except (ImportError, ValueError):
                print("MISSING gir1.2-gst-rtsp-server-1.0"); sys.exit(0)
            Gst.init(None)
            pkgs = {"udpsrc": "gstreamer1.0-plugins-good", "rtpjitterbuffer": "gstreamer1.0-plugins-good",
                    "rtph264depay": "gstreamer1.0-plugins-good", "rtph264pay": "gstreamer1.0-plugins-good",
                    "h264parse": "gstreamer1.0-plugins-bad",
                    "rtpmp4gdepay": "gstreamer1.0-plugins-good", "aacparse": "gstreamer1.0-plugins-good",
                    "rtpmp4gpay": "gstreamer1.0-plugins-good", "rtppcmudepay": "gstreamer1.0-plugins-good",
                    "rtppcmupay": "gstreamer1.0-plugins-good"}
            for el, pkg in pkgs.items():
                if Gst.ElementFactory.find(el) is None:
                    print("MISSING %s (GStreamer element %s)" % (pkg, el)); sys.exit(0)
            print("OK")
            """;
        var r = ExternalTool.Run(Python, new[] { "-c", probe }, TimeSpan.FromSeconds(30));
        string output = r.StdOutText.Trim();
        if (output == "OK")
            return null;
        if (output.StartsWith("MISSING ", StringComparison.Ordinal))
            return new MissingToolException(
                $"The RTSP test server needs a package that is not installed: {output["MISSING ".Length..]}. " +
                $"Install it with: apt-get install -y {output["MISSING ".Length..].Split(' ')[0]}");
        return new InvalidOperationException($"Checking the GStreamer Python bindings failed: {r} stdout='{output}'");
    }
}
