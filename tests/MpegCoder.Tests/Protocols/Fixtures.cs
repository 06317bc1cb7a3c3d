using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;

namespace MpegCoder.Tests.Protocols;

/// <summary>One nginx (HTTP files and RTMP relay) shared by the tests of a class.</summary>
public sealed class NginxFixture : IDisposable
{
    public NginxServer Server { get; } = NginxServer.Start();
    public void Dispose() => Server.Dispose();
}

/// <summary>One FTP daemon whose user and password need percent-encoding in an address.</summary>
public sealed class FtpFixture : IDisposable
{
    public const string User = "cam@ra";
    public const string Password = "p@ss:w%rd";
    public FtpServer Server { get; } = FtpServer.Start(User, Password);
    public void Dispose() => Server.Dispose();
}

/// <summary>One sshd serving SFTP; the key's passphrase (the address's password) needs percent-encoding.</summary>
public sealed class SftpFixture : IDisposable
{
    /// <summary>'@' and '%' only: FFmpeg 5.1's sftp protocol cannot take ':' (see SftpServer).</summary>
    public const string Passphrase = "p@ss%w0rd";
    public SftpServer Server { get; } = SftpServer.Start(Passphrase);
    public void Dispose() => Server.Dispose();
}

/// <summary>One live RTSP server that requires a user and password (RTSP basic authentication).</summary>
public sealed class AuthenticatedRtspFixture : IDisposable
{
    public const string User = "vi@ewer";
    public const string Password = "s3:cr@t%x";
    public RtspTestServer Server { get; } = RtspTestServer.Start(credentials: (User, Password));
    public void Dispose() => Server.Dispose();
}

/// <summary>
/// The classes with live sources run one after another (and beside the rest of the suite): each live test
/// runs a real-time encoder, a server and a decoder, and on a 2-core machine several at once would starve
/// one another and every other live test of the suite.
/// </summary>
[Xunit.CollectionDefinition(nameof(LiveProtocolCollection))]
public sealed class LiveProtocolCollection;
