using System.Diagnostics;
using System.Globalization;
using MpegCoder.Interop;
using MpegCoder.Lifecycle;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder.Decoding;

/// <summary>
/// Makes the deadlines and stops of an sftp input work. FFmpeg's sftp protocol reads through libssh, whose
/// sftp_read waits for the server in its own loop (on libssh's read timeout it just waits again) and never
/// calls FFmpeg's interrupt callback: against a server that stalls with the TCP connection open, a read
/// would block forever, and neither the stall timeout nor a stop could end it. So, on Linux, this watch
/// learns the TCP socket(s) libssh opened for the input, and a process-wide watchdog thread shuts them down
/// (shutdown(2), not close: the fd stays libssh's) when the input's <see cref="StreamInterrupt"/> would
/// interrupt a blocking call. libssh's poll then sees the connection end, sftp_read fails and the read
/// returns an error, which the caller reports as a stall (or a stop) as for every other protocol.
/// Elsewhere (Windows, macOS: no /proc to learn the sockets from) an sftp input has libssh's behaviour.
/// </summary>
internal sealed class SftpConnectionWatch : IDisposable
{
    /// <summary>How often the watchdog looks; a stall or stop is acted on within this much of its deadline.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Serialises sftp opens: the sockets an open created are told apart from those of another sftp open
    /// only by appearing while it runs (and by their remote port, which another protocol's open could share
    /// only by chance).
    /// </summary>
    private static readonly object OpenLock = new();

    private static readonly List<SftpConnectionWatch> Watched = new(); // also the lock for _watchdog
    private static Thread? _watchdog; // runs while Watched is not empty

    private readonly StreamInterrupt _interrupt;
    private readonly int _port;
    private readonly object _gate = new(); // orders the watchdog's shutdown against CallEnds and Dispose
    private HashSet<long>? _socketsBefore; // socket inodes before the open, until it ends
    private (int fd, long inode)[] _sockets = [];
    private volatile bool _inCall;
    private bool _shut, _closed; // under _gate
    private bool _shutForStall; // under _gate: shut because a deadline passed (not for a stop)
    private bool _holdsOpenLock; // only the opening thread reads or writes it

    private SftpConnectionWatch(StreamInterrupt interrupt, int port)
    {
        _interrupt = interrupt;
        _port = port;
    }

    /// <summary>
    /// Before avformat_open_input: a watch of the open for an sftp address on Linux (null otherwise). The
    /// open counts as a blocking call until <see cref="Opened"/>; the caller disposes the watch if the open fails.
    /// </summary>
    public static SftpConnectionWatch? BeforeOpen(string url, StreamInterrupt interrupt)
    {
        if (!OperatingSystem.IsLinux() || Port(url) is not { } port) return null;
        var watch = new SftpConnectionWatch(interrupt, port);
        Monitor.Enter(OpenLock);
        watch._holdsOpenLock = true;
        watch._socketsBefore = SocketInodes().Select(s => s.inode).ToHashSet();
        watch._inCall = true;
        watch.Register();
        return watch;
    }

    /// <summary>After a successful open: learns the connection's sockets and lets the next sftp open run.</summary>
    public void Opened()
    {
        lock (_gate)
        {
            if (_sockets.Length == 0) _sockets = NewSockets();
            _socketsBefore = null;
            _inCall = false;
            if (_shutForStall) _interrupt.MarkTimedOut();
        }
        ReleaseOpenLock();
    }

    /// <summary>A read or seek that may wait for the server begins: the watchdog may end it from now on.</summary>
    public void CallStarts() => _inCall = true;

    /// <summary>
    /// The call returned. Under the gate, so that once this returns no shutdown can hit a connection that is
    /// idle between calls (paused, or waiting for the reader), which must stay usable.
    /// </summary>
    public void CallEnds()
    {
        lock (_gate)
        {
            _inCall = false;
            // The call that was cut may still have returned data (FFmpeg hands out what it had buffered) and
            // the next call, under a fresh deadline, then fails on the dead connection: it reads as the stall.
            if (_shutForStall) _interrupt.MarkTimedOut();
        }
    }

    /// <summary>
    /// Stops watching: call before the input is closed (avformat_close_input closes the fds, and a closed
    /// fd's number may at once be another file's).
    /// </summary>
    public void Dispose()
    {
        lock (_gate) _closed = true;
        lock (Watched) Watched.Remove(this);
        ReleaseOpenLock();
    }

    private void ReleaseOpenLock()
    {
        if (!_holdsOpenLock) return;
        _holdsOpenLock = false;
        Monitor.Exit(OpenLock);
    }

    private void Register()
    {
        lock (Watched)
        {
            Watched.Add(this);
            if (_watchdog is not null) return;
            _watchdog = new Thread(RunWatchdog) { IsBackground = true, Name = "MpegCoder sftp watchdog" };
            _watchdog.Start();
        }
    }

    private static void RunWatchdog()
    {
        while (true)
        {
            Thread.Sleep(Tick);
            SftpConnectionWatch[] watched;
            lock (Watched)
            {
                if (Watched.Count == 0)
                {
                    _watchdog = null;
                    return;
                }
                watched = Watched.ToArray();
            }
            foreach (var watch in watched) watch.ShutDownIfDue();
        }
    }

    /// <summary>Shuts the connection down when a blocking call is running past its deadline, or past a stop's grace.</summary>
    private void ShutDownIfDue()
    {
        lock (_gate)
        {
            if (_closed || _shut || !_inCall || !_interrupt.ShouldInterrupt()) return;
            // Stuck inside the open: the sockets are learnt now (the open lock is still held, so they are its).
            if (_sockets.Length == 0 && _socketsBefore is not null) _sockets = NewSockets();
            foreach (var (fd, inode) in _sockets)
            {
                Debug.Assert(!_closed, "a socket is shut down only while its input is open");
                // An open input's fd is its own (Dispose comes before the close); a failed open has closed its fds
                // before Dispose, and the fd number may be another file's by then: the inode tells.
                if (Inode(fd) == inode) libc.shutdown(fd, libc.SHUT_RDWR);
            }
            _shut = _sockets.Length > 0; // none yet (still connecting): the next tick looks again
            _shutForStall = _shut && _interrupt.TimedOut;
        }
    }

    /// <summary>The sockets that appeared since the open began and are connected to the server's port.</summary>
    private (int fd, long inode)[] NewSockets()
    {
        var toServer = ConnectedInodes(_port);
        return SocketInodes().Where(s => !_socketsBefore!.Contains(s.inode) && toServer.Contains(s.inode)).ToArray();
    }

    /// <summary>The process's sockets: each fd whose /proc/self/fd link reads "socket:[inode]".</summary>
    private static List<(int fd, long inode)> SocketInodes()
    {
        var sockets = new List<(int, long)>();
        foreach (var path in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            if (int.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out int fd) && Inode(fd) is { } inode)
                sockets.Add((fd, inode));
        return sockets;
    }

    private static long? Inode(int fd)
    {
        string? target;
        try { target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget; }
        catch (IOException) { return null; } // closed meanwhile
        catch (UnauthorizedAccessException) { return null; }
        return target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && target.EndsWith(']') &&
            long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out long inode) ? inode : null;
    }

    /// <summary>Inodes of the TCP sockets (IPv4 and IPv6) whose remote port is <paramref name="port"/>.</summary>
    private static HashSet<long> ConnectedInodes(int port)
    {
        var inodes = new HashSet<long>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...",
            // addresses as HEXADDR:HEXPORT.
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10) continue;
                int colon = fields[2].LastIndexOf(':');
                if (colon > 0 && int.TryParse(fields[2].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int remote)
                    && remote == port && long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out long inode))
                    inodes.Add(inode);
            }
        }
        return inodes;
    }

    /// <summary>
    /// The server's port of an sftp address (22 when it states none), or null when the address is not sftp.
    /// The authority ends at the first '/'; the host follows its last '@' (a decoded password may hold '@').
    /// </summary>
    private static int? Port(string url)
    {
        const string Scheme = "sftp://";
        if (!url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var authority = url.AsSpan(Scheme.Length);
        int slash = authority.IndexOfAny('/', '?');
        if (slash >= 0) authority = authority[..slash];
        var host = authority[(authority.LastIndexOf('@') + 1)..];
        int colon = host.LastIndexOf(':');
        if (colon < 0 || host.LastIndexOf(']') > colon) return 22; // none, or inside an [IPv6] literal
        return int.TryParse(host[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) ? port : 22;
    }
}
