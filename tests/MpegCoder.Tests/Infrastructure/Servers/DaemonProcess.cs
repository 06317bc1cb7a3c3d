using System.Diagnostics;
using System.Globalization;

namespace MpegCoder.Tests.Infrastructure.Servers;

/// <summary>
/// One server or streamer process that a test fixture starts: its output is kept (bounded) for failure
/// messages, and Dispose kills it with all of its children.
/// </summary>
public sealed class DaemonProcess : IDisposable
{
    private readonly BoundedLog _log = new();
    private readonly Process _process;
    private int _disposed;

    private DaemonProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }
    public bool HasExited => _process.HasExited;
    public int Id => _process.Id;

    /// <summary>Captured (bounded) standard output and error.</summary>
    public string Logs => _log.ToString();

    /// <summary>Starts <paramref name="exe"/>; <paramref name="onStdout"/> sees each line it prints on standard output.</summary>
    public static DaemonProcess Start(string name, string exe, IEnumerable<string> args, Action<string>? onStdout = null)
    {
        var psi = ExternalTool.StartInfo(exe, args);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(name, process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            daemon._log.AppendLine($"[{name}:out] ", e.Data);
            onStdout?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) => daemon._log.AppendLine($"[{name}:err] ", e.Data);
        if (!process.Start())
            throw new InvalidOperationException($"Could not start {exe}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        daemon._log.AppendLine($"[{name}] ", $"started pid {process.Id}: {exe} {string.Join(' ', psi.ArgumentList)}");
        return daemon;
    }

    /// <summary>
    /// Waits until a socket of this machine listens on 127.0.0.1:<paramref name="port"/> (TCP) or is bound
    /// there (UDP). Reads /proc/net instead of connecting, because some servers (ffmpeg -listen 1) serve
    /// exactly one connection and a probe would use it up.
    /// </summary>
    public void WaitUntilListening(int port, bool udp, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!IsListening(port, udp))
        {
            if (_process.HasExited)
                throw Fail($"{Name} exited with code {_process.ExitCode} before listening on port {port}");
            if (clock.Elapsed > timeout)
                throw Fail($"{Name} did not listen on 127.0.0.1:{port} ({(udp ? "udp" : "tcp")}) within {timeout.TotalSeconds} s");
            Thread.Sleep(50);
        }
    }

    /// <summary>Whether /proc/net/tcp shows a listening socket (state 0A), or /proc/net/udp a bound one, on 127.0.0.1:port.</summary>
    private static bool IsListening(int port, bool udp)
    {
        string local = "0100007F:" + port.ToString("X4", CultureInfo.InvariantCulture);
        string state = udp ? "07" : "0A";
        foreach (var line in File.ReadLines(udp ? "/proc/net/udp" : "/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 3 && fields[1] == local && fields[3] == state)
                return true;
        }
        return false;
    }

    /// <summary>An exception whose message ends with this process's captured output.</summary>
    public InvalidOperationException Fail(string message)
    {
        Thread.Sleep(200); // let the asynchronous readers flush the last lines
        return new InvalidOperationException($"{message}\n--- captured logs of {Name} ---\n{Logs}");
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        ExternalTool.KillTree(_process);
        try { _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
