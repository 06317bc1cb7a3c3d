using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Reliability;

/// <summary>The protocol allow-list keeps an address from an untrusted user from reaching anything else.</summary>
public class SecurityTests
{
    private static readonly string[] NetworkOnly = ["rtsp", "rtp", "tcp", "udp"];

    [Fact]
    public void A_local_file_is_refused_when_only_network_protocols_are_allowed()
    {
        using var client = new MpegClient();
        client.Options = client.Options with { AllowedProtocols = NetworkOnly };
        Assert.False(client.FFmpegSetup(Clips.BarcodeClip(1)));
        Assert.Contains("not on whitelist", client.LastError);

        client.Options = client.Options with { AllowedProtocols = ["file"] }; // and the same file, allowed
        Assert.True(client.FFmpegSetup(), client.LastError);
    }

    [Fact]
    public void A_playlist_cannot_smuggle_a_local_file_through_http()
    {
        // An HLS playlist served over HTTP whose segment is a local file: the attack the allow-list stops.
        using var nginx = NginxServer.Start();
        string segment = Clips.BarcodeClip(2, container: "ts");
        File.WriteAllText(Path.Combine(nginx.Root, "live.m3u8"),
            $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\nfile://{segment}\n#EXT-X-ENDLIST\n");
        using var client = new MpegClient();
        client.Options = client.Options with { AllowedProtocols = ["http", "tcp"], OpenTimeout = TimeSpan.FromSeconds(5) };
        Assert.False(client.FFmpegSetup(nginx.HttpUrl("live.m3u8")));
        Assert.NotNull(client.LastError);
    }

    [Fact]
    public void An_allow_list_must_name_protocols()
    {
        using var client = new MpegClient();
        Assert.Throws<ArgumentException>(() => client.Options = client.Options with { AllowedProtocols = [] });
        Assert.Throws<ArgumentException>(() => client.Options = client.Options with { AllowedProtocols = ["http,file"] });
    }
}
