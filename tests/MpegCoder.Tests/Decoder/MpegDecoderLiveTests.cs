using MpegCoder.Tests.Client;
using Xunit;

namespace MpegCoder.Tests.Decoder;

/// <summary>MpegDecoder refuses a live stream at once, instead of indexing a stream that never ends.</summary>
public class MpegDecoderLiveTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    [Fact]
    public void A_live_stream_is_refused_with_a_clear_error_and_nothing_left_open()
    {
        using var d = new MpegDecoder();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(d.FFmpegSetup(fixture.Server.Url));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Contains("live stream", d.LastError);
        Assert.Null(d.Reader);
        Assert.Throws<InvalidOperationException>(() => d.ExtractFrame());
    }
}
