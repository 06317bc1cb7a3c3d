using MpegCoder.Streaming;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Engine;

/// <summary>Sizes whose frames or reads would overflow are refused up front, naming the setting and its limit.</summary>
public class SizeLimitTests
{
    [Fact]
    public void An_output_of_100000_by_100000_is_refused_by_set_parameter_with_the_name_and_the_limit()
    {
        using var client = new MpegClient();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => client.SetParameter(widthDst: 100000, heightDst: 100000));
        Assert.Equal("widthDst", e.ParamName);
        Assert.Contains("16384", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => client.SetParameter(heightDst: 100000));
        Assert.Equal("heightDst", e.ParamName);
        // The refused value never reaches a setup: the client still opens a clip at the source size.
        Assert.True(client.FFmpegSetup(Clips.BarcodeClip(seconds: 1)), client.LastError);
        Assert.Equal(320 * 240 * 3, client.FrameBytes);
    }

    [Fact]
    public void A_read_larger_than_the_largest_array_is_refused_with_its_size()
    {
        var options = new StreamOptions { Width = 16384, Height = 16384, PixelFormat = FramePixelFormat.Rgba, ReadSize = 2 };
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(nameof(StreamOptions.ReadSize), e.ParamName);
        Assert.Contains("1073741824 bytes", e.Message);
        new StreamOptions { Width = 16384, Height = 16384, PixelFormat = FramePixelFormat.Rgba, ReadSize = 1, CacheSize = 65 }.Validate();
    }

    [Fact]
    public void Size_products_are_64_bit()
    {
        // 65 frames of 4K RGBA are 2,156,544,000 bytes: more than an int holds.
        Assert.Null(StreamOptions.FrameSizeProblem(3840, 2160, FramePixelFormat.Rgba, 64));
        Assert.Contains("exceeds the largest .NET array", StreamOptions.FrameSizeProblem(3840, 2160, FramePixelFormat.Rgba, 65));
        Assert.Contains("exceeds the largest size", StreamOptions.FrameSizeProblem(100000, 100000, FramePixelFormat.Rgb24, 1));
    }
}
