using System.Diagnostics;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Reliability;

/// <summary>Every kind of bad input gives false and a clear reason, fast, and never a crash or a hang.</summary>
public class BadInputTests
{
    private static string SetupFails(string address, TimeSpan? openTimeout = null)
    {
        using var client = new MpegClient();
        client.Options = client.Options with { OpenTimeout = openTimeout ?? TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        Assert.False(client.FFmpegSetup(address));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        Assert.Throws<InvalidOperationException>(() => client.ExtractFrame());
        Assert.StartsWith("Cannot set up", client.LastError);
        return client.LastError!;
    }

    private static string Scratch(string name, byte[] content)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("mpegcoder-bad").FullName, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Theory]
    [InlineData("rtsp://", "Connection refused")] // no host: FFmpeg tries port 554 here
    [InlineData("://nothing", "Protocol not found")]
    [InlineData("this is not an address", "No such file or directory")]
    [InlineData("foo://127.0.0.1/stream", "Protocol not found")]
    public void Malformed_addresses_and_unknown_schemes(string address, string reason)
    {
        string message = SetupFails(address);
        Assert.True(message.Contains(reason, StringComparison.Ordinal), message);
    }

    [Fact]
    public void An_unresolvable_host() =>
        Assert.Matches("resolve|Name or service not known|Temporary failure|Input/output error", SetupFails("rtsp://no-such-host.invalid/video"));

    [Fact]
    public void An_rtsp_path_the_server_does_not_have()
    {
        using var server = RtspTestServer.Start();
        Assert.Contains("404", SetupFails(server.Url.Replace("/video", "/nothing-here")));
    }

    [Fact]
    public void An_http_path_the_server_does_not_have()
    {
        using var nginx = NginxServer.Start();
        Assert.Contains("404", SetupFails(nginx.HttpUrl("missing.mp4")));
    }

    [Fact]
    public void A_stream_without_video()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("mpegcoder-bad").FullName, "audio.m4a");
        ExternalTool.RunChecked("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440", "-t", "1", path], TimeSpan.FromMinutes(1));
        Assert.Contains("no decodable video stream", SetupFails(path));
    }

    [Fact]
    public void Garbage_bytes()
    {
        var bytes = new byte[64 * 1024];
        new Random(42).NextBytes(bytes);
        Assert.Contains("Invalid data found when processing input", SetupFails(Scratch("garbage.mp4", bytes)));
    }

    [Fact]
    public void A_truncated_file()
    {
        byte[] clip = File.ReadAllBytes(Clips.BarcodeClip(2));
        Assert.Contains("Invalid data found when processing input", SetupFails(Scratch("truncated.mp4", clip[..(clip.Length / 3)])));
    }

    [Fact]
    public void A_truncated_stream_file_plays_what_it_has_then_ends()
    {
        // MPEG-TS has no index to lose: a cut file opens, its frames arrive, then the stream ends.
        byte[] clip = File.ReadAllBytes(Clips.BarcodeClip(2, container: "ts"));
        using var client = Frames.ReadWholeFile(Scratch("truncated.ts", clip[..(clip.Length / 2)]), cacheSize: 50);
        var indices = Frames.RingIndices(client);
        Assert.InRange(indices.Count, 10, 40);
        Assert.Equal(Enumerable.Range(0, indices.Count), indices);
    }

    [Fact]
    public void An_unknown_ffmpeg_option_is_named()
    {
        using var client = new MpegClient();
        client.Options = client.Options with { FFmpegOptions = new Dictionary<string, string> { ["rtsp_transprot"] = "tcp" } };
        Assert.False(client.FFmpegSetup(Clips.BarcodeClip(1)));
        Assert.Contains("'rtsp_transprot'", client.LastError);
    }
}
