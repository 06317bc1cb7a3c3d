using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Protocols;

/// <summary>rtmp:// played from nginx's RTMP module while ffmpeg publishes the live barcode to it.</summary>
[Collection(nameof(LiveProtocolCollection))]
public class RtmpProtocolTests(NginxFixture fixture) : IClassFixture<NginxFixture>
{
    private readonly NginxServer _nginx = fixture.Server;

    [Fact]
    public void A_stream_published_to_nginx_plays_live()
    {
        using var source = FfmpegLiveSource.PublishRtmp(_nginx, "barcode");
        using var client = ProtocolAssert.Open(source.Url, o => o with { FFmpegOptions = ProtocolAssert.QuickProbe });
        ProtocolAssert.IsLive(client);
    }

    [Fact]
    public void Resampled_to_5_fps_it_gives_every_fifth_frame()
    {
        using var source = FfmpegLiveSource.PublishRtmp(_nginx, "barcode5");
        using var client = ProtocolAssert.Open(source.Url, o => o with { FFmpegOptions = ProtocolAssert.QuickProbe, FrameRate = (5, 1) });
        ProtocolAssert.IsLive(client, step: 5);
    }
}
