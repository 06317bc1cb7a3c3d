using System.Globalization;
using System.Net.Sockets;

namespace MpegCoder.Tests.Infrastructure.Servers;

/// <summary>
/// OpenSSH's sshd on a test port of 127.0.0.1 with its own config, host key and authorized key in a temp
/// folder, serving SFTP (internal-sftp) to the user running the tests. The client logs in with a
/// throwaway RSA key encrypted with <see cref="Passphrase"/>: FFmpeg's sftp protocol (libssh) takes the
/// key file from its "private_key" option and the password of the address as the key's passphrase.
/// </summary>
public sealed class SftpServer : IDisposable
{
    public const string Sshd = "/usr/sbin/sshd";

    private readonly TempFolder _folder = new("sftp");
    private DaemonProcess? _daemon;

    private SftpServer(string passphrase)
    {
        Passphrase = passphrase;
        User = Environment.UserName;
        Port = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
    }

    public string User { get; }
    public string Passphrase { get; }
    public int Port { get; }

    /// <summary>The private key the client logs in with (FFmpeg option "private_key").</summary>
    public string PrivateKey => _folder.File("client_key");

    /// <summary>The FFmpeg options a client needs: the private key.</summary>
    public IReadOnlyDictionary<string, string> ClientOptions => new Dictionary<string, string> { ["private_key"] = PrivateKey };

    public string Logs => _daemon?.Logs ?? "";

    /// <summary>
    /// Starts sshd; <paramref name="passphrase"/> encrypts the client key. FFmpeg 5.1 splits the address's
    /// credentials at ':' and crashes on a wrong passphrase, so the passphrase must not contain ':'.
    /// </summary>
    public static SftpServer Start(string passphrase)
    {
        if (passphrase.Contains(':'))
            throw new ArgumentException("FFmpeg 5.1's sftp protocol cannot take a ':' in the password.", nameof(passphrase));
        ExternalTool.Require(Sshd, "openssh-server");
        string keygen = ExternalTool.Require("ssh-keygen", "openssh-client");
        var server = new SftpServer(passphrase);
        try
        {
            server.Launch(keygen);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    private void Launch(string keygen)
    {
        var timeout = TimeSpan.FromSeconds(30);
        ExternalTool.RunChecked(keygen, ["-q", "-t", "ed25519", "-N", "", "-f", _folder.File("host_key")], timeout);
        // RSA: FFmpeg 5.1 loads the key through libssh's legacy key API, which does not take ed25519 keys.
        ExternalTool.RunChecked(keygen, ["-q", "-t", "rsa", "-b", "2048", "-N", Passphrase, "-f", PrivateKey], timeout);
        File.Copy(PrivateKey + ".pub", _folder.File("authorized_keys"));
        File.WriteAllText(_folder.File("sshd_config"), $"""
            ListenAddress 127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}
            HostKey {_folder.File("host_key")}
            PidFile {_folder.File("sshd.pid")}
            AuthorizedKeysFile {_folder.File("authorized_keys")}
            AuthenticationMethods publickey
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PermitRootLogin prohibit-password
            AllowUsers {User}
            Subsystem sftp internal-sftp
            LogLevel VERBOSE
            """);
        // sshd started by root insists on its privilege separation directory, which Debian's service
        // script creates at boot; containers that never ran the service lack it.
        if (Environment.UserName == "root" && !Directory.Exists("/run/sshd"))
            Directory.CreateDirectory("/run/sshd");
        _daemon = DaemonProcess.Start("sshd", Sshd, ["-D", "-e", "-f", _folder.File("sshd_config")]);
        _daemon.WaitUntilListening(Port, udp: false, TimeSpan.FromSeconds(10));
    }

    /// <summary>Copies <paramref name="path"/> into the served folder; returns its sftp:// address, the passphrase percent-encoded.</summary>
    public string Serve(string path)
    {
        string target = _folder.Copy(path, Path.GetFileName(path));
        return $"sftp://{Uri.EscapeDataString(User)}:{Uri.EscapeDataString(Passphrase)}@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}{target}";
    }

    public void Dispose()
    {
        _daemon?.Dispose();
        _folder.Dispose();
    }
}
