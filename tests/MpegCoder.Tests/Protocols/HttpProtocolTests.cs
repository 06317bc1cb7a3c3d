using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Protocols;

/// <summary>
/// http:// as a live MPEG-TS (ffmpeg -listen 1), and as a static file and an HLS playlist from nginx (also behind
/// basic authentication); FFmpeg options per client.
/// </summary>
[Collection(nameof(LiveProtocolCollection))]
public class HttpProtocolTests(NginxFixture fixture) : IClassFixture<NginxFixture>
{
    private readonly NginxServer _nginx = fixture.Server;

    [Fact]
    public void A_live_mpegts_served_by_ffmpeg_plays_live()
    {
        using var source = FfmpegLiveSource.ServeHttp();
        using var client = ProtocolAssert.Open(source.Url, o => o with { FFmpegOptions = ProtocolAssert.QuickProbe });
        ProtocolAssert.IsLive(client);
    }

    [Fact]
    public void A_file_from_nginx_is_read_whole()
    {
        var (clip, frames) = ProtocolAssert.Clip();
        using var client = ProtocolAssert.Open(_nginx.Serve(clip), cacheSize: frames);
        ProtocolAssert.ReadsWholeFile(client, frames);
    }

    [Fact]
    public void A_file_behind_basic_authentication_is_read_whole_with_percent_encoded_credentials()
    {
        var (clip, frames) = ProtocolAssert.Clip();
        _nginx.Serve(clip, "private.mp4");
        Assert.Contains("we%40b:h%3Att%40p%25pw@", _nginx.PrivateUrl("private.mp4"));
        using var client = ProtocolAssert.Open(_nginx.PrivateUrl("private.mp4"), cacheSize: frames);
        ProtocolAssert.ReadsWholeFile(client, frames);
        ProtocolAssert.HidesSecrets(client.ToString(), NginxServer.User, NginxServer.Password);

        using var refused = new MpegClient();
        Assert.False(refused.FFmpegSetup(_nginx.PrivateUrl("private.mp4", "h:tt@p%wrong")));
        Assert.Contains("401", refused.LastError);
        ProtocolAssert.HidesSecrets(refused.LastError, NginxServer.User, "h:tt@p%wrong");
    }

    [Fact]
    public void An_hls_playlist_is_read_whole_across_its_segments()
    {
        var (clip, frames) = ProtocolAssert.Clip();
        string playlist = _nginx.ServeHls(clip, "hls");
        using var client = ProtocolAssert.Open(_nginx.PrivateUrl(playlist), cacheSize: frames);
        ProtocolAssert.ReadsWholeFile(client, frames);
    }

    [Fact]
    public void Each_client_sends_its_own_ffmpeg_options()
    {
        string url = _nginx.Serve(ProtocolAssert.Clip().path, "agents.mp4");
        using var first = new MpegClient { Options = new StreamOptions { FFmpegOptions = new Dictionary<string, string> { ["user_agent"] = "MpegCoderTest-first" } } };
        using var second = new MpegClient { Options = new StreamOptions { FFmpegOptions = new Dictionary<string, string> { ["user_agent"] = "MpegCoderTest-second" } } };
        using var plain = new MpegClient();
        Assert.True(first.FFmpegSetup(url), first.LastError);
        Assert.True(second.FFmpegSetup(url), second.LastError);
        Assert.True(plain.FFmpegSetup(url), plain.LastError);
        // nginx logs a request when it ends: the clients close theirs, and the log is read until all three are in.
        first.Clear();
        second.Clear();
        plain.Clear();
        List<string> requests = [];
        bool Logged(string agent) => requests.Any(l => l.EndsWith(agent, StringComparison.Ordinal));
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            requests = [.. _nginx.AccessLog.Split('\n').Where(l => l.Contains("/agents.mp4", StringComparison.Ordinal))];
            if (Logged("\"MpegCoderTest-first\"") && Logged("\"MpegCoderTest-second\"") && requests.Any(l => l.Contains("\"Lavf/", StringComparison.Ordinal))) break;
            Thread.Sleep(100);
        }
        while (deadline.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Contains(requests, l => l.EndsWith("\"MpegCoderTest-first\"", StringComparison.Ordinal));
        Assert.Contains(requests, l => l.EndsWith("\"MpegCoderTest-second\"", StringComparison.Ordinal));
        Assert.Contains(requests, l => l.Contains("\"Lavf/", StringComparison.Ordinal)); // FFmpeg's default: nothing leaked between clients
    }

    [Fact]
    public void A_misspelt_ffmpeg_option_fails_the_setup_with_its_name()
    {
        string url = _nginx.Serve(ProtocolAssert.Clip().path);
        using var client = new MpegClient();
        client.Options = client.Options with { FFmpegOptions = new Dictionary<string, string> { ["user_agnet"] = "x", ["timeout"] = "5000000" } };
        Assert.False(client.FFmpegSetup(url));
        Assert.Contains("'user_agnet'", client.LastError);
        Assert.DoesNotContain("'timeout'", client.LastError); // the http protocol took that one
    }
}
