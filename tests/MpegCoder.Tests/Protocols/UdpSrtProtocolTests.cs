using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Protocols;

/// <summary>udp:// (MPEG-TS pushed by ffmpeg, the client listens) and srt:// (ffmpeg listens, the client calls).</summary>
[Collection(nameof(LiveProtocolCollection))]
public class UdpSrtProtocolTests
{
    [Fact]
    public void Mpegts_pushed_over_udp_plays_live()
    {
        using var source = FfmpegLiveSource.PushUdp();
        using var client = ProtocolAssert.Open(source.Url, o => o with { FFmpegOptions = ProtocolAssert.QuickProbe });
        ProtocolAssert.IsLive(client);
    }

    [Fact]
    public void Mpegts_from_an_srt_listener_plays_live()
    {
        using var source = FfmpegLiveSource.ServeSrt();
        using var client = ProtocolAssert.Open(source.Url, o => o with { FFmpegOptions = ProtocolAssert.QuickProbe });
        ProtocolAssert.IsLive(client);
    }
}
