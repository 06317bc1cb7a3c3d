using MpegCoder.Interop;
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

    [Theory]
    [InlineData("wr0ng")]
    [InlineData(null)]
    [InlineData("no user")]
    public void A_wrong_or_missing_passphrase_is_a_clear_error_and_the_process_lives(string? passphrase)
    {
        // FFmpeg 5.1 crashes (SIGSEGV) on a key it cannot decrypt; 7.1 and 9.0 answer "Permission denied".
        string served = _sftp.Serve(ProtocolAssert.Clip().path);
        string url = passphrase == "no user"
            ? "sftp://" + served[(served.IndexOf('@', StringComparison.Ordinal) + 1)..] // no credentials at all
            : served.Replace(":p%40ss%25w0rd@", passphrase is null ? "@" : $":{passphrase}@", StringComparison.Ordinal);
        if (passphrase == "no user") passphrase = null;
        using var client = new MpegClient();
        client.Options = client.Options with { FFmpegOptions = _sftp.ClientOptions };
        Assert.False(client.FFmpegSetup(url));
        Assert.Contains(FFmpegLoader.Release.Name == "5.1"
            ? passphrase is null ? "the sftp private key is encrypted and the address gives no passphrase" : "the sftp private key cannot be decrypted"
            : "Permission denied", client.LastError);
        ProtocolAssert.HidesSecrets(client.LastError, SftpFixture.Passphrase);

        // The same client then opens the address with the right passphrase.
        Assert.True(client.FFmpegSetup(_sftp.Serve(ProtocolAssert.Clip().path)), client.LastError);
    }
}
