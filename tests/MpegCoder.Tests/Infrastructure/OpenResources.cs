using System.Diagnostics;
using System.Globalization;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// What this process holds open, read from /proc: its file descriptors, and its TCP sockets connected to
/// a given port on 127.0.0.1 (the library's connections to a test server or a <see cref="FaultProxy"/>;
/// a server's own accepted sockets have that port as their local end and are not counted).
/// </summary>
public readonly record struct OpenResources(int FileDescriptors, int Connections)
{
    /// <summary>
    /// Open file descriptors of this process now, but for those the runtime opens once, lazily, and keeps
    /// for good: its assemblies (*.dll) and their symbols (*.pdb, read the first time a stack trace is
    /// formatted), the JIT's double-mapped code memory (memfd:doublemapper) and /dev/urandom (the runtime's
    /// random source). Each of them may first appear in the middle of a test and is not the library's.
    /// </summary>
    public static int FileDescriptorCount()
    {
        int count = 0;
        foreach (var fd in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            string? target = null;
            try { target = new FileInfo(fd).LinkTarget; }
            catch (IOException) { continue; } // closed meanwhile
            if (!IsTheRuntimes(target)) count++;
        }
        return count;
    }

    private static bool IsTheRuntimes(string? target) =>
        target is not null
        && (target.EndsWith(".dll", StringComparison.Ordinal)
            || target.EndsWith(".pdb", StringComparison.Ordinal)
            || target.StartsWith("/memfd:doublemapper", StringComparison.Ordinal)
            || target == "/dev/urandom");

    /// <summary>
    /// Sockets of this process (an fd of /proc/self/fd that is socket:[inode]) whose TCP remote end is
    /// <paramref name="port"/>, in any state: a socket still open in this process is a connection not released.
    /// </summary>
    public static int ConnectionsTo(int port)
    {
        var inodes = OwnSocketInodes();
        string remote = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        int count = 0;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 9 && f[2].EndsWith(remote, StringComparison.Ordinal) && inodes.Contains(f[9]))
                    count++;
            }
        }
        return count;
    }

    private static HashSet<string> OwnSocketInodes()
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try { target = new FileInfo(fd).LinkTarget; }
            catch (IOException) { continue; } // closed meanwhile
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                inodes.Add(target["socket:[".Length..^1]);
        }
        return inodes;
    }

    /// <summary>The count now, for <paramref name="port"/> (null: fds only).</summary>
    public static OpenResources Now(int? port = null) => new(FileDescriptorCount(), port is int p ? ConnectionsTo(p) : 0);

    /// <summary>
    /// Waits (collecting garbage, up to <paramref name="settle"/>, 3 s by default) until the fds and the
    /// connections to <paramref name="port"/> are back to <paramref name="before"/> or fewer, and returns the
    /// last count: the caller asserts on it, so a leak shows its figures. Closing may take a moment (a
    /// thread that ends, a finalizer), which is why this waits and does not look once.
    /// </summary>
    public static OpenResources Settle(OpenResources before, int? port = null, TimeSpan? settle = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var now = Now(port);
            if ((now.FileDescriptors <= before.FileDescriptors && now.Connections <= before.Connections) || clock.Elapsed > (settle ?? TimeSpan.FromSeconds(3)))
                return now;
            Thread.Sleep(100);
        }
    }

    /// <summary>The fds open now that are files (not sockets, pipes, anonymous inodes or the runtime's own), for a failure message.</summary>
    public static string DescribeFiles()
    {
        var names = new List<string>();
        foreach (var fd in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is string t && t.StartsWith('/') && !IsTheRuntimes(t)) names.Add(t);
            }
            catch (IOException) { }
        }
        return string.Join(", ", names.Order(StringComparer.Ordinal));
    }

    public override string ToString() => $"{FileDescriptors} fds, {Connections} connections";
}
