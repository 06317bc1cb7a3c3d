using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Protocols;

/// <summary>rtsp:// against GStreamer's RTSP server: each transport chosen per client, both at once.</summary>
[Collection(nameof(LiveProtocolCollection))]
public class RtspProtocolTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    private readonly RtspTestServer _server = fixture.Server;

    [Fact]
    public void Tcp_interleaved_udp_and_ffmpegs_default_each_give_the_live_stream_side_by_side()
    {
        using var tcp = ProtocolAssert.Open(_server.Url, o => o with { RtspTransport = RtspTransport.Tcp });
        using var udp = ProtocolAssert.Open(_server.Url, o => o with { RtspTransport = RtspTransport.Udp });
        using var chosen = ProtocolAssert.Open(_server.Url);
        // Each client hands its own transport to its own avformat_open_input.
        Assert.Equal("tcp", tcp.Session!.Settings.FormatOptions(_server.Url)["rtsp_transport"]);
        Assert.Equal("udp", udp.Session!.Settings.FormatOptions(_server.Url)["rtsp_transport"]);
        Assert.False(chosen.Session!.Settings.FormatOptions(_server.Url).ContainsKey("rtsp_transport"));
        ProtocolAssert.IsLive(tcp);
        ProtocolAssert.IsLive(udp);
        ProtocolAssert.IsLive(chosen);
    }
}

/// <summary>rtsp:// with a user and password that need percent-encoding ('@', ':', '%').</summary>
[Collection(nameof(LiveProtocolCollection))]
public class RtspCredentialTests(AuthenticatedRtspFixture fixture) : IClassFixture<AuthenticatedRtspFixture>
{
    private readonly RtspTestServer _server = fixture.Server;

    [Fact]
    public void Percent_encoded_credentials_log_in_and_are_never_shown()
    {
        Assert.Contains("vi%40ewer:s3%3Acr%40t%25x@", _server.AuthenticatedUrl);
        using var client = ProtocolAssert.Open(_server.AuthenticatedUrl, o => o with { RtspTransport = RtspTransport.Tcp });
        ProtocolAssert.IsLive(client);
        ProtocolAssert.HidesSecrets(client.ToString(), AuthenticatedRtspFixture.User, AuthenticatedRtspFixture.Password);
        Assert.Contains("rtsp://***@127.0.0.1", client.ToString());
    }

    [Fact]
    public void A_wrong_password_is_refused_with_the_reason_and_without_the_secrets()
    {
        using var client = new MpegClient();
        string wrong = _server.AuthenticatedUrl.Replace("s3%3Acr%40t", "s3%3Awr%40ng", StringComparison.Ordinal);
        Assert.False(client.FFmpegSetup(wrong));
        Assert.Contains("401", client.LastError);
        ProtocolAssert.HidesSecrets(client.LastError, AuthenticatedRtspFixture.User, "s3:wr@ng%x");
        Assert.False(client.FFmpegSetup(_server.Url)); // no credentials at all
        Assert.Contains("401", client.LastError);
    }
}
