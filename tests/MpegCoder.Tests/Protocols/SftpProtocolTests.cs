using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Protocols;

/// <summary>sftp:// from OpenSSH's sshd (internal-sftp), logging in with a key whose passphrase is the address's password.</summary>
public class SftpProtocolTests(SftpFixture fixture) : IClassFixture<SftpFixture>
{
    private readonly SftpServer _sftp = fixture.Server;

    [Fact]
    public void A_file_is_read_whole_with_a_percent_encoded_passphrase()
    {
        var (clip, frames) = ProtocolAssert.Clip();
        string url = _sftp.Serve(clip);
        Assert.Contains(":p%40ss%25w0rd@", url);
        using var client = ProtocolAssert.Open(url, o => o with { FFmpegOptions = _sftp.ClientOptions }, cacheSize: frames);
        ProtocolAssert.ReadsWholeFile(client, frames);
        ProtocolAssert.HidesSecrets(client.ToString(), SftpFixture.Passphrase);
    }

    [Fact]
    public void A_colon_in_the_password_is_refused_before_ffmpeg_sees_it()
    {
        // FFmpeg 5.1 would cut the passphrase at ':' and then crash on the undecryptable key.
        string url = _sftp.Serve(ProtocolAssert.Clip().path).Replace("p%40ss%25w0rd", "p%3Ass", StringComparison.Ordinal);
        using var client = new MpegClient();
        client.Options = client.Options with { FFmpegOptions = _sftp.ClientOptions };
        Assert.False(client.FFmpegSetup(url));
        Assert.Contains("cannot take a user or password containing ':'", client.LastError);
        ProtocolAssert.HidesSecrets(client.LastError, "p:ss");
    }
}
