using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Client;

/// <summary>The sample console client (the seed example) against the live test server.</summary>
public class SampleTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    [Fact]
    public void The_sample_prints_batches_of_5_x_360_x_480_x_3()
    {
        var result = SamplePrograms.Run("StreamClient", [fixture.Server.Url, "2"], TimeSpan.FromSeconds(60));
        Assert.Contains("Target size:  480 x 360", result.StdOutText);
        Assert.Contains("batch 0: (5, 360, 480, 3)", result.StdOutText);
        Assert.Contains("batch 1: (5, 360, 480, 3)", result.StdOutText);
        Assert.Contains("Input #0, rtsp", result.StdErr); // dump level 2 prints FFmpeg's format dump
    }
}
