using System.Diagnostics;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Protocols;

namespace MpegCoder.Tests.Faults;

/// <summary>Where a reading face gets its video from in the fault matrix.</summary>
public enum SourceKind
{
    /// <summary>The live RTSP barcode (TCP-interleaved, so a proxy carries all of it).</summary>
    LiveRtsp,
    /// <summary>The 10 s MPEG-TS clip from nginx over HTTP.</summary>
    HttpFile,
    /// <summary>The same clip from the FTP daemon.</summary>
    FtpFile,
    /// <summary>The same clip from sshd over SFTP (one TCP connection, so a proxy carries all of it).</summary>
    SftpFile,
}

/// <summary>What goes wrong with a source.</summary>
public enum SourceFault
{
    /// <summary>The bytes stop, the connection stays open (a proxy stalls).</summary>
    Stall,
    /// <summary>The connection is reset mid-packet (a proxy cuts).</summary>
    Cut,
    /// <summary>The server process is frozen by SIGSTOP.</summary>
    Freeze,
}

/// <summary>
/// One source of the matrix with its fault ready: a <see cref="FaultProxy"/> in front of the real server,
/// or the server's process to freeze. A live source faults when the test calls <see cref="Trigger"/>; a file
/// behind a proxy faults by itself once half of its bytes went through, so the fault lands mid-file.
/// </summary>
internal sealed class FaultySource : IDisposable
{
    private static readonly HashSet<SourceKind> WarmedUp = new();

    private readonly FaultProxy? _proxy;
    private readonly int? _freezePid;
    private FrozenProcess? _frozen;
    private long _frozenAt;

    private FaultySource(SourceKind kind, string address, string directAddress, IReadOnlyDictionary<string, string> options, int port, FaultProxy? proxy, int? freezePid)
    {
        Kind = kind;
        Address = address;
        DirectAddress = directAddress;
        FFmpegOptions = options;
        Port = port;
        _proxy = proxy;
        _freezePid = freezePid;
    }

    public SourceKind Kind { get; }

    /// <summary>The address the face opens (through the proxy when there is one).</summary>
    public string Address { get; }

    /// <summary>The server's own address, without the fault.</summary>
    public string DirectAddress { get; }

    public IReadOnlyDictionary<string, string> FFmpegOptions { get; }

    /// <summary>The port the face connects to: the proxy's, or the server's.</summary>
    public int Port { get; }

    public bool Live => Kind == SourceKind.LiveRtsp;

    /// <summary>Whether the fault has happened.</summary>
    public bool HasFired => _proxy?.HasFired ?? _frozen is not null;

    /// <summary>Time since the fault happened (zero before).</summary>
    public TimeSpan SinceFired => _proxy?.SinceFired ?? (_frozenAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_frozenAt));

    public static FaultySource Create(FaultServers servers, SourceKind kind, SourceFault fault)
    {
        string direct;
        int serverPort;
        var options = new Dictionary<string, string>(ProtocolAssert.QuickProbe);
        int? pid = null;
        switch (kind)
        {
            case SourceKind.LiveRtsp:
                direct = servers.Rtsp.Url;
                serverPort = servers.Rtsp.Port;
                pid = servers.Rtsp.ServerPid;
                break;
            case SourceKind.HttpFile:
                direct = servers.Nginx.Serve(FaultServers.Clip, "fault.ts");
                serverPort = servers.Nginx.HttpPort;
                break;
            case SourceKind.FtpFile:
                direct = servers.Ftp.Serve(FaultServers.Clip);
                serverPort = servers.Ftp.Port;
                pid = servers.Ftp.Pid;
                break;
            case SourceKind.SftpFile:
                direct = servers.Sftp.Serve(FaultServers.Clip);
                serverPort = servers.Sftp.Port;
                foreach (var (k, v) in servers.Sftp.ClientOptions) options[k] = v;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
        if (fault == SourceFault.Freeze)
        {
            if (pid is null) throw new ArgumentException($"{kind} has no process of its own to freeze");
            return new FaultySource(kind, direct, direct, options, serverPort, null, pid);
        }
        // A file: the fault fires by itself once half of it went through a connection. The kernel's socket
        // buffers hold megabytes, so a fault fired "after reading n frames" would land after the whole file
        // was delivered.
        long? after = kind == SourceKind.LiveRtsp ? null : new FileInfo(FaultServers.Clip).Length / 2;
        // Per connection: FFmpeg's http probe seeks (a new request), and the request it leaves has read ahead.
        var proxy = new FaultProxy(serverPort, fault == SourceFault.Stall ? ProxyFault.Stall : ProxyFault.Cut, afterBytesToClient: after, perConnection: true);
        return new FaultySource(kind, proxy.Route(direct), direct, options, proxy.Port, proxy, null);
    }

    /// <summary>Options for a face reading this source: short deadlines, a quick probe, RTSP over TCP (through the proxy).</summary>
    public StreamOptions Options(StreamOptions baseline) => baseline with
    {
        OpenTimeout = FaultMatrix.OpenTimeout,
        StallTimeout = FaultMatrix.StallTimeout,
        RtspTransport = RtspTransport.Tcp,
        FFmpegOptions = FFmpegOptions,
        ReadSize = 1,
        CacheSize = 8,
        // A file over the network is read losslessly, every frame in order (Auto treats a network address as live).
        FullRing = Live ? FullRingPolicy.Auto : FullRingPolicy.WaitForReader,
    };

    /// <summary>
    /// Opens and reads the server's own address once per kind and process, before the test counts fds:
    /// the first use of a protocol may open something the process then keeps (a random source, a TLS or
    /// SSH library's state), which is not a leak of the face under test.
    /// </summary>
    public void WarmUp()
    {
        lock (WarmedUp)
        {
            if (!WarmedUp.Add(Kind)) return;
        }
        // FFmpeg's log goes to Console.Error, whose first use dups fds 1 and 2 for good: the first fault that
        // FFmpeg logs ("Read error.") would otherwise count as two fds more.
        _ = Console.Out;
        _ = Console.Error;
        var client = new MpegClient();
        client.Options = Options(client.Options) with { StallTimeout = TimeSpan.FromSeconds(5), OpenTimeout = TimeSpan.FromSeconds(10) };
        Bounded.Call("warm-up read", TimeSpan.FromSeconds(20), () =>
        {
            if (client.FFmpegSetup(DirectAddress) && client.Start()) client.ExtractFrame();
        });
        Bounded.Call("warm-up Dispose", FaultMatrix.Stop, client.Dispose);
    }

    /// <summary>Makes the fault happen now: the proxy stalls or cuts, or the server is frozen. A file's proxy fires by itself.</summary>
    public void Trigger()
    {
        if (!Live && _proxy is not null) return;
        if (_proxy is not null) _proxy.Fire();
        else if (_frozen is null)
        {
            _frozen = new FrozenProcess(_freezePid!.Value);
            _frozenAt = Stopwatch.GetTimestamp();
        }
    }

    public void Dispose()
    {
        _frozen?.Dispose();
        _proxy?.Dispose();
    }
}
