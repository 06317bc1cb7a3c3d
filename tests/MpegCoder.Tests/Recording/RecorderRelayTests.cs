using MpegCoder.Tests.Client;
using MpegCoder.Tests.Encoder;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using MpegCoder.Tests.Protocols;
using Xunit;

namespace MpegCoder.Tests.Recording;

/// <summary>
/// A recorder relays the live RTSP stream to nginx's RTMP module without re-encoding, and an MpegClient
/// plays it back from nginx frame-exact; a reconnection of the source closes the file and starts the next
/// one at the new connection's first keyframe.
/// </summary>
public class RecorderRelayTests(NginxFixture nginx, RtspServerFixture rtsp) : IClassFixture<NginxFixture>, IClassFixture<RtspServerFixture>
{
    private const int Fps = 25;

    [Fact]
    public async Task A_relay_to_rtmp_plays_back_every_frame_in_order()
    {
        await using var stream = await VideoStream.OpenAsync(rtsp.Server.Url, new StreamOptions { RtspTransport = RtspTransport.Tcp });
        string url = nginx.Server.RtmpUrl("relay");
        await using var relay = stream.StartRecording(new RecordingOptions { Path = url });
        Assert.Equal(url, relay.CurrentPath);
        await Task.Delay(1000); // nginx knows the stream once the publisher has sent its header and a few packets
        using (var reader = PushReader.Open(url, ProtocolAssert.QuickProbe))
        {
            int first = RecordedClip.NewestIndex(stream);
            reader.WaitFor(first + 4 * Fps, TimeSpan.FromSeconds(15));
            reader.AssertConsecutive(atLeast: 3 * Fps);
        }
        await relay.StopAsync();
        Assert.Single(relay.Files);
        Assert.Equal(url, relay.Files[0].Path);
        Assert.Equal(0, relay.Statistics.PacketsDropped);
    }

    [Theory]
    [InlineData("srt")]    // MPEG-TS to an SRT listener
    [InlineData("rtsp")]   // RTSP publishing (ANNOUNCE/RECORD) over TCP
    public async Task A_relay_to_srt_or_rtsp_plays_back_every_frame_in_order(string protocol)
    {
        await using var stream = await VideoStream.OpenAsync(rtsp.Server.Url, new StreamOptions { RtspTransport = RtspTransport.Tcp });
        string name = $"relay-{protocol}";
        // ffmpeg takes the push and copies it on to nginx, where the client plays it.
        using var relay = protocol == "srt" ? FfmpegRelay.Srt(nginx.Server, name) : FfmpegRelay.Rtsp(nginx.Server, name);
        await using var recorder = stream.StartRecording(new RecordingOptions { Path = relay.PushUrl });
        PushReader? reader = null;
        RecordedClip.WaitUntil(() => (reader = PushReader.TryOpen(nginx.Server.RtmpUrl(name), ProtocolAssert.QuickProbe)) is not null,
            TimeSpan.FromSeconds(15), $"the relayed stream on nginx ({relay.Logs})");
        using (reader)
        {
            int first = RecordedClip.NewestIndex(stream);
            reader!.WaitFor(first + 3 * Fps, TimeSpan.FromSeconds(15));
            reader.AssertConsecutive(atLeast: 2 * Fps);
        }
        await recorder.StopAsync();
        Assert.Equal(0, recorder.Statistics.PacketsDropped);
    }

    [Fact]
    public async Task A_reconnection_finishes_the_file_and_the_next_starts_at_a_keyframe()
    {
        using var folder = new TempFolder("recorder-reconnect");
        using var server = RtspTestServer.Start();
        var options = new StreamOptions
        {
            RtspTransport = RtspTransport.Tcp,
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(300), MaxDelay = TimeSpan.FromSeconds(1) },
            StallTimeout = TimeSpan.FromSeconds(2),
        };
        await using var stream = await VideoStream.OpenAsync(server.Url, options);
        await using var recorder = stream.StartRecording(new RecordingOptions { Path = folder.File("cam-{1}.mkv") });
        await Task.Delay(2000);
        server.StopServer();
        RecordedClip.WaitUntil(() => recorder.Files.Count == 1, TimeSpan.FromSeconds(10), "the first file to be finished when the connection ends");
        server.RestartServer();
        RecordedClip.WaitUntil(() => stream.Statistics.Reconnects >= 1, TimeSpan.FromSeconds(20), "the reconnection");
        await Task.Delay(2500);
        await recorder.StopAsync();

        var files = recorder.Files;
        Assert.Equal(2, files.Count);
        var before = RecordedClip.Frames(files[0].Path);
        var after = RecordedClip.Frames(files[1].Path);
        RecordedClip.AssertConsecutive(before, "before the reconnection");
        RecordedClip.AssertConsecutive(after, "after the reconnection");
        Assert.True(before.Count >= Fps, $"only {before.Count} frames before the reconnection");
        Assert.True(after.Count >= Fps, $"only {after.Count} frames after the reconnection");
        Assert.True(after[0] % Fps == 0 && after[0] > before[^1], $"the second file starts at {after[0]} after the first ended at {before[^1]}");
        Assert.True(files[1].Duration < TimeSpan.FromSeconds(10), $"the second file's timestamps start near 0: {files[1].Duration}");
    }
}
