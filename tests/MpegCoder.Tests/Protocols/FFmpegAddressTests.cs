using MpegCoder.Decoding;
using MpegCoder.Recording;
using Xunit;

namespace MpegCoder.Tests.Protocols;

/// <summary>The address handed to FFmpeg: sftp credentials decoded (FFmpeg 5.1's libssh glue does not), others untouched.</summary>
public class FFmpegAddressTests
{
    [Theory]
    [InlineData("sftp://me:p%40ss%25w0rd@host:22/a/b.mp4", "sftp://me:p@ss%w0rd@host:22/a/b.mp4")]
    [InlineData("SFTP://us%40er@host/a.mp4", "SFTP://us@er@host/a.mp4")]
    [InlineData("sftp://me:raw@pass@host/a.mp4", "sftp://me:raw@pass@host/a.mp4")] // already raw: FFmpeg splits at the last '@'
    [InlineData("sftp://host/a%20b.mp4", "sftp://host/a%20b.mp4")]                // no credentials: the path is FFmpeg's
    [InlineData("ftp://us%40er:p%3Ass@host/a.mp4", "ftp://us%40er:p%3Ass@host/a.mp4")] // FFmpeg decodes ftp itself
    [InlineData("rtsp://u:p%40@cam/live", "rtsp://u:p%40@cam/live")]
    [InlineData("/tmp/clip.mp4", "/tmp/clip.mp4")]
    public void Only_sftp_credentials_are_decoded(string address, string expected) =>
        Assert.Equal(expected, FFmpegAddress.Of(address, null));

    [Theory]
    [InlineData("sftp://me:p%3Ass@host/a.mp4")]
    [InlineData("sftp://me:p%2Fss@host/a.mp4")]
    [InlineData("sftp://m%3Ae:pass@host/a.mp4")]
    [InlineData("sftp://me:p%23ss@host/a.mp4")]
    public void Characters_ffmpeg_would_split_on_are_refused_without_naming_the_secret(string address)
    {
        var e = Assert.Throws<StreamOpenException>(() => FFmpegAddress.Of(address, null));
        Assert.DoesNotContain("ss", e.Message.Replace("password", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
