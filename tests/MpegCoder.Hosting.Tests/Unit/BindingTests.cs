using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MpegCoder.Hosting;
using Xunit;

namespace MpegCoder.Hosting.Tests.Unit;

/// <summary>Every StreamOptions setting binds from appsettings.json and from environment variables.</summary>
public class BindingTests
{
    private const string Json = """
        {
          "MpegCoder": {
            "Cameras": [
              {
                "Name": "gate",
                "Address": "rtsp://user:secret@10.0.0.5/live",
                "Options": {
                  "Width": 640, "Height": 360, "PixelFormat": "Bgr24", "ReadSize": 2, "Scaling": "Bilinear",
                  "CacheSize": 8, "FullRing": "OverwriteOldest", "FrameRate": "30000/1001", "Threads": 2,
                  "SkipFrames": "NonKey", "OpenTimeout": "00:00:04", "StallTimeout": "00:00:02.5",
                  "RtspTransport": "Tcp",
                  "FFmpegOptions": { "user_agent": "wall", "buffer_size": "1048576" },
                  "AllowedProtocols": [ "rtsp", "rtp", "tcp" ],
                  "Reconnect": { "InitialDelay": "00:00:01", "MaxDelay": "00:00:20", "Multiplier": 3, "Jitter": 0.1, "MaxAttempts": 7 }
                }
              },
              { "Name": "yard", "Address": "rtsp://127.0.0.1/yard" }
            ]
          }
        }
        """;

    private static MpegCoderOptions Bind(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddMpegCoder(configuration.GetSection("MpegCoder"));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<MpegCoderOptions>>().Value;
    }

    [Fact]
    public void Every_setting_binds_from_json_and_maps_to_StreamOptions()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Build();
        var options = Bind(configuration);

        Assert.Equal(["gate", "yard"], options.Cameras.Select(c => c.Name));
        var gate = options.Cameras[0];
        Assert.Equal("rtsp://user:secret@10.0.0.5/live", gate.Address);
        var s = gate.Options.ToStreamOptions("gate");
        s.Validate();
        Assert.Equal("gate", s.Name);
        Assert.Equal((640, 360), (s.Width, s.Height));
        Assert.Equal(FramePixelFormat.Bgr24, s.PixelFormat);
        Assert.Equal(2, s.ReadSize);
        Assert.Equal(Scaling.Bilinear, s.Scaling);
        Assert.Equal(8, s.CacheSize);
        Assert.Equal(FullRingPolicy.OverwriteOldest, s.FullRing);
        Assert.Equal((30000, 1001), s.FrameRate);
        Assert.Equal(2, s.Threads);
        Assert.Equal(DecoderSkip.NonKey, s.SkipFrames);
        Assert.Equal(TimeSpan.FromSeconds(4), s.OpenTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2.5), s.StallTimeout);
        Assert.Equal(RtspTransport.Tcp, s.RtspTransport);
        Assert.Equal("wall", s.FFmpegOptions["user_agent"]);
        Assert.Equal("1048576", s.FFmpegOptions["buffer_size"]);
        Assert.Equal(["rtsp", "rtp", "tcp"], s.AllowedProtocols!);
        Assert.Equal(new ReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(20), Multiplier = 3, Jitter = 0.1, MaxAttempts = 7 }, s.Reconnect);

        // A camera that sets nothing gets StreamOptions' defaults, and always a reconnect policy.
        var yard = options.Cameras[1].Options.ToStreamOptions();
        Assert.Equal(new StreamOptions { Reconnect = new ReconnectPolicy() } with { FFmpegOptions = yard.FFmpegOptions }, yard);
        Assert.Empty(yard.FFmpegOptions);
    }

    [Fact]
    public void Environment_variables_set_and_override_cameras()
    {
        var variables = new Dictionary<string, string>
        {
            ["MPEGCODER_TEST_MpegCoder__Cameras__0__Name"] = "gate",
            ["MPEGCODER_TEST_MpegCoder__Cameras__0__Address"] = "rtsp://127.0.0.1/gate",
            ["MPEGCODER_TEST_MpegCoder__Cameras__0__Options__FrameRate"] = "12.5",
            ["MPEGCODER_TEST_MpegCoder__Cameras__0__Options__StallTimeout"] = "00:00:03",
            ["MPEGCODER_TEST_MpegCoder__Cameras__0__Options__RtspTransport"] = "Udp",
            ["MPEGCODER_TEST_MpegCoder__Cameras__0__Options__FFmpegOptions__user_agent"] = "env",
            ["MPEGCODER_TEST_MpegCoder__Cameras__0__Options__Reconnect__MaxAttempts"] = "3",
        };
        foreach (var (k, v) in variables) Environment.SetEnvironmentVariable(k, v);
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json)))
                .AddEnvironmentVariables("MPEGCODER_TEST_")
                .Build();
            var options = Bind(configuration);
            var gate = options.Cameras[0];
            Assert.Equal("rtsp://127.0.0.1/gate", gate.Address);
            var s = gate.Options.ToStreamOptions();
            Assert.Equal((125, 10), s.FrameRate);
            Assert.Equal(TimeSpan.FromSeconds(3), s.StallTimeout);
            Assert.Equal(RtspTransport.Udp, s.RtspTransport);
            Assert.Equal("env", s.FFmpegOptions["user_agent"]);
            Assert.Equal(3, s.Reconnect!.MaxAttempts);
            Assert.Equal(640, s.Width); // the rest still comes from the JSON
        }
        finally
        {
            foreach (var k in variables.Keys) Environment.SetEnvironmentVariable(k, null);
        }
    }

    [Theory]
    [InlineData("25", 25, 1)]
    [InlineData("12.5", 125, 10)]
    [InlineData("30000/1001", 30000, 1001)]
    [InlineData(" 5 / 2 ", 5, 2)]
    public void Frame_rates_parse(string text, int num, int den) =>
        Assert.Equal((num, den), CameraStreamOptions.ParseFrameRate(text));

    [Fact]
    public void A_bad_frame_rate_is_named()
    {
        Assert.Null(CameraStreamOptions.ParseFrameRate(""));
        var e = Assert.Throws<FormatException>(() => CameraStreamOptions.ParseFrameRate("fast"));
        Assert.Contains("'fast'", e.Message);
    }
}
