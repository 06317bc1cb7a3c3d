using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using MpegCoder.Tests.Protocols;
using Xunit;

namespace MpegCoder.Tests.Recording;

/// <summary>A live RTSP camera with a microphone (H.264 and AAC from one clock), for the recorder's live audio tests.</summary>
public sealed class AacCameraFixture : IDisposable
{
    public RtspTestServer Server { get; } = RtspTestServer.Start(audio: TestAudio.Aac);
    public void Dispose() => Server.Dispose();
}

/// <summary>
/// The recorder on a live camera that sends AAC beside its H.264, as IP cameras do: segments keep the
/// audio in step with their video; a relay to an RTMP server (nginx) publishes both streams.
/// </summary>
public class RecorderLiveAudioTests(AacCameraFixture camera, NginxFixture nginx) : IClassFixture<AacCameraFixture>, IClassFixture<NginxFixture>
{
    [Fact]
    public async Task A_live_cameras_segments_hold_its_audio_in_step_with_the_video_and_every_frame_once()
    {
        using var folder = new TempFolder("recorder-live-audio");
        await using var stream = await VideoStream.OpenAsync(camera.Server.Url, new StreamOptions { RtspTransport = RtspTransport.Tcp });
        Assert.True(await stream.WaitForNewFrameAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        string[] containers = ["mkv", "mp4", "ts"];
        var recorders = containers.Select(c => stream.StartRecording(new RecordingOptions
        {
            Path = folder.File($"live-{{1:000}}.{c}"),
            SegmentDuration = TimeSpan.FromSeconds(2),
        })).ToList();
        await Task.Delay(7500);
        foreach (var recorder in recorders) await recorder.StopAsync();

        foreach (var (recorder, container) in recorders.Zip(containers))
        {
            var files = recorder.Files;
            Assert.InRange(files.Count, 3, 5);
            Assert.Equal(0, recorder.Statistics.PacketsDropped);
            var frames = new List<int>();
            for (int f = 0; f < files.Count; f++)
            {
                var file = files[f];
                string name = $"{container} {Path.GetFileName(file.Path)}";
                Assert.Equal("aac", file.AudioCodec);
                frames.AddRange(RecordedClip.Frames(file.Path));
                var (video, audio, audioFrame) = RecordedPackets.Split(file.Path);
                Assert.True(audio.Count > 0, $"{name}: no audio packet");
                // The first file starts at the connection's first keyframe, which FFmpeg's RTSP demuxer may leave
                // without a timestamp: its audio is checked from the second file on, where every cut is the recorder's.
                if (f == 0) continue;
                RecordedPackets.AssertInStep(name, video, audio, audioFrame, last: f == files.Count - 1);
            }
            RecordedClip.AssertConsecutive(frames, $"{container}: the segments' frames");
        }
    }

    [Fact]
    public async Task A_relay_to_rtmp_publishes_the_cameras_audio_beside_its_video()
    {
        await using var stream = await VideoStream.OpenAsync(camera.Server.Url, new StreamOptions { RtspTransport = RtspTransport.Tcp });
        string url = nginx.Server.RtmpUrl("relay-audio");
        await using var relay = stream.StartRecording(new RecordingOptions { Path = url });
        await Task.Delay(1500); // nginx knows the stream once the publisher has sent its header and a few packets
        string ffprobe = ExternalTool.Require("ffprobe", "ffmpeg");
        var probe = ExternalTool.RunChecked(ffprobe, ["-v", "error", "-rw_timeout", "5000000", "-show_entries", "stream=codec_name,sample_rate", "-of", "csv=p=0", url],
            TimeSpan.FromSeconds(20));
        var streams = probe.StdOutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order().ToList();
        Assert.Equal(["aac,48000", "h264"], streams);
        await relay.StopAsync();
        Assert.Equal("aac", relay.Files.Single().AudioCodec);
        Assert.Equal(0, relay.Statistics.PacketsDropped);
    }
}
