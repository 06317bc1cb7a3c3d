using System.Diagnostics;
using System.Text;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>Thrown when a program or module the integration tests need is not installed.</summary>
public sealed class MissingToolException : Exception
{
    public MissingToolException(string message) : base(message) { }
}

/// <summary>Result of <see cref="ExternalTool.Run"/>.</summary>
public sealed record ToolResult(int ExitCode, byte[] StdOut, string StdErr, bool TimedOut)
{
    public string StdOutText => Encoding.UTF8.GetString(StdOut);

    public override string ToString() =>
        $"exit={ExitCode} timedOut={TimedOut} stdout={StdOut.Length} bytes\n{StdErr}";
}

/// <summary>Runs external programs (ffmpeg, ffprobe, python) with a timeout and captured output.</summary>
public static class ExternalTool
{
    /// <summary>Full path of <paramref name="exe"/> (absolute path or name looked up in PATH), or null.</summary>
    public static string? Find(string exe)
    {
        if (exe.Contains('/'))
            return File.Exists(exe) ? Path.GetFullPath(exe) : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>
    /// Returns the full path of <paramref name="exe"/>, or throws a <see cref="MissingToolException"/>
    /// that names the Debian package to install. Tests must fail (never skip) when tools are missing.
    /// </summary>
    public static string Require(string exe, string debianPackage) =>
        Find(exe) ?? throw new MissingToolException(
            $"Required tool '{exe}' was not found (PATH={Environment.GetEnvironmentVariable("PATH")}). " +
            $"Install it with: apt-get install -y {debianPackage}");

    /// <summary>How every test program is started: no shell, no window, all three standard streams redirected.</summary>
    public static ProcessStartInfo StartInfo(string exe, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Runs a program, waits at most <paramref name="timeout"/> (then kills its process tree).</summary>
    public static ToolResult Run(string exe, IEnumerable<string> args, TimeSpan timeout, byte[]? stdin = null, string? workingDirectory = null)
    {
        var psi = ExternalTool.StartInfo(exe, args);
        if (workingDirectory is not null)
            psi.WorkingDirectory = workingDirectory;

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {exe}");
        var stdout = new MemoryStream();
        var outTask = p.StandardOutput.BaseStream.CopyToAsync(stdout);
        var errTask = p.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
                p.StandardInput.BaseStream.Write(stdin);
            p.StandardInput.Close();
        }
        catch (IOException) { /* the program did not read its input */ }

        bool timedOut = !p.WaitForExit((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds));
        if (timedOut)
        {
            KillTree(p);
            p.WaitForExit(5000);
        }
        // Grand-children may keep the pipes open; do not wait for them forever.
        Task.WaitAll(new Task[] { outTask, errTask }, TimeSpan.FromSeconds(5));
        string err = errTask.IsCompletedSuccessfully ? errTask.Result : "";
        int code = p.HasExited ? p.ExitCode : -1;
        return new ToolResult(code, stdout.ToArray(), err, timedOut);
    }

    /// <summary>Runs a program and throws (with its stderr) unless it exits with 0 in time.</summary>
    public static ToolResult RunChecked(string exe, IEnumerable<string> args, TimeSpan timeout)
    {
        var list = args.ToList();
        var r = Run(exe, list, timeout);
        if (r.TimedOut || r.ExitCode != 0)
            throw new InvalidOperationException(
                $"'{exe} {string.Join(' ', list)}' failed: {r}\nstdout: {Tail(r.StdOutText)}\nstderr: {Tail(r.StdErr)}");
        return r;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "..." + text[^4000..];

    /// <summary>Kills a process and all of its children, ignoring processes that are already gone.</summary>
    public static void KillTree(Process p)
    {
        try
        {
            if (!p.HasExited)
                p.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }
}

/// <summary>Thread-safe text buffer that keeps only the last <c>capacity</c> characters.</summary>
public sealed class BoundedLog
{
    private readonly int _capacity;
    private readonly StringBuilder _sb = new();
    private readonly object _gate = new();
    private long _dropped;

    public BoundedLog(int capacity = 64 * 1024) => _capacity = capacity;

    public void AppendLine(string prefix, string? line)
    {
        if (line is null)
            return;
        lock (_gate)
        {
            _sb.Append(prefix).Append(line).Append('\n');
            if (_sb.Length > _capacity)
            {
                int cut = _sb.Length - _capacity;
                _sb.Remove(0, cut);
                _dropped += cut;
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
            return _dropped > 0 ? $"[... {_dropped} chars dropped ...]\n{_sb}" : _sb.ToString();
    }
}
