using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Protocols;

/// <summary>ftp:// from a real FTP daemon (pyftpdlib), logging in with a percent-encoded user and password.</summary>
public class FtpProtocolTests(FtpFixture fixture) : IClassFixture<FtpFixture>
{
    private readonly FtpServer _ftp = fixture.Server;

    [Fact]
    public void A_file_is_read_whole_with_percent_encoded_credentials()
    {
        var (clip, frames) = ProtocolAssert.Clip();
        string url = _ftp.Serve(clip);
        Assert.Contains("cam%40ra:p%40ss%3Aw%25rd@", url);
        using var client = ProtocolAssert.Open(url, cacheSize: frames);
        ProtocolAssert.ReadsWholeFile(client, frames);
        ProtocolAssert.HidesSecrets(client.ToString(), FtpFixture.User, FtpFixture.Password);
        ProtocolAssert.HidesSecrets(client.LastError, FtpFixture.User, FtpFixture.Password);
    }

    [Fact]
    public void A_wrong_password_is_refused_without_showing_the_credentials()
    {
        string name = _ftp.Serve(ProtocolAssert.Clip().path).Split('/')[^1];
        using var client = new MpegClient();
        Assert.False(client.FFmpegSetup(_ftp.Url(name, "wr@ng:pa%ss")));
        Assert.Contains("Permission denied", client.LastError);
        ProtocolAssert.HidesSecrets(client.LastError, FtpFixture.User, "wr@ng:pa%ss");
        ProtocolAssert.HidesSecrets(client.ToString(), FtpFixture.User, "wr@ng:pa%ss");
    }
}
