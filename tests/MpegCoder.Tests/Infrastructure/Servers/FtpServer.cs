using System.Globalization;

namespace MpegCoder.Tests.Infrastructure.Servers;

/// <summary>
/// A real FTP daemon on 127.0.0.1 (pyftpdlib, Debian's python3-pyftpdlib, through Servers/ftp_server.py)
/// serving a temp folder read-only to one user, whose name and password may hold any character.
/// </summary>
public sealed class FtpServer : IDisposable
{
    private readonly TempFolder _folder = new("ftp");
    private readonly DaemonProcess _daemon;

    private FtpServer(string user, string password, string script, TaskCompletionSource<int> ready)
    {
        User = user;
        Password = password;
        _daemon = DaemonProcess.Start("ftp", RtspTestServer.Python,
            ["-u", script, "--root", _folder.Path, "--user", user, "--password", password],
            line =>
            {
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                    ready.TrySetResult(int.Parse(line[6..], CultureInfo.InvariantCulture));
                else if (line.StartsWith("MISSING ", StringComparison.Ordinal))
                    ready.TrySetException(new MissingToolException($"The FTP server needs {line[8..]}: apt-get install -y {line[8..]}"));
            });
    }

    public string User { get; }
    public string Password { get; }
    public int Port { get; private set; }

    /// <summary>The daemon's process (one process serves every session), e.g. to freeze it with SIGSTOP.</summary>
    public int Pid => _daemon.Id;
    public string Logs => _daemon.Logs;

    public static FtpServer Start(string user, string password)
    {
        ExternalTool.Require(RtspTestServer.Python, "python3");
        string script = Path.Combine(AppContext.BaseDirectory, "Servers", "ftp_server.py");
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new FtpServer(user, password, script, ready);
        try
        {
            if (!ready.Task.Wait(TimeSpan.FromSeconds(15)))
                throw server._daemon.Fail("the FTP server did not print READY within 15 s");
            server.Port = ready.Task.Result;
            server._daemon.WaitUntilListening(server.Port, udp: false, TimeSpan.FromSeconds(5));
            return server;
        }
        catch (AggregateException e) when (e.InnerException is MissingToolException missing)
        {
            server.Dispose();
            throw missing;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Copies <paramref name="path"/> into the served folder; returns its ftp:// address with the credentials percent-encoded.</summary>
    public string Serve(string path)
    {
        string name = Path.GetFileName(path);
        _folder.Copy(path, name);
        return Url(name, Password);
    }

    /// <summary>The address of <paramref name="name"/> logging in with <paramref name="password"/>.</summary>
    public string Url(string name, string password) =>
        $"ftp://{Uri.EscapeDataString(User)}:{Uri.EscapeDataString(password)}@127.0.0.1:{Port}/{name}";

    public void Dispose()
    {
        _daemon.Dispose();
        _folder.Dispose();
    }
}
