using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Protocols;

/// <summary>Codecs besides H.264 through the same path, each a barcode clip served over HTTP by nginx.</summary>
public class CodecTests(NginxFixture fixture) : IClassFixture<NginxFixture>
{
    private readonly NginxServer _nginx = fixture.Server;

    [Theory]
    [InlineData("libx265", "mp4", "hevc")]
    [InlineData("mpeg4", "mp4", "mpeg4")]
    [InlineData("mjpeg", "mkv", "mjpeg")]
    public void A_clip_is_read_whole(string encoder, string container, string decoder)
    {
        var (clip, frames) = ProtocolAssert.Clip(encoder, container);
        using var client = ProtocolAssert.Open(_nginx.Serve(clip), cacheSize: frames);
        Assert.Equal(decoder, client.GetParameter("coderName"));
        ProtocolAssert.ReadsWholeFile(client, frames);
    }
}
