using System.Globalization;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// The live test source with audio, read back with the ffmpeg CLI: H.264 video and an AAC or G.711 µ-law
/// stream whose timestamps lie on the video's timeline, so that tests of audio/video sync can trust them.
/// </summary>
public class RtspTestServerAudioTests
{
    /// <summary>How far apart audio and video may be on the timeline; a frame or two of packetisation, far below a broken relay.</summary>
    private const double Tolerance = 0.5;

    [Theory]
    [InlineData(TestAudio.Aac)]
    [InlineData(TestAudio.Mulaw)]
    public void Probe_shows_the_video_and_the_audio_on_one_timeline(TestAudio audio)
    {
        using var server = RtspTestServer.Start(audio: audio);
        Assert.Equal(audio, server.Audio);
        var r = ExternalTool.Run(ExternalTool.Require("ffprobe", "ffmpeg"), [
            "-v", "error", "-rtsp_transport", "tcp", "-timeout", "5000000", "-read_intervals", "%+3",
            "-show_entries", "stream=index,codec_type,codec_name,width,sample_rate:packet=stream_index,pts_time",
            .. FfprobeSections.Format, server.Url,
        ], TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0 && !r.TimedOut, $"ffprobe failed: {r}\n{server.Logs}");

        var (video, sound) = VideoAndAudio(FfprobeSections.Parse(r.StdOutText, "stream"), audio, r.StdOutText);

        // Packets in the order they arrived: each video frame comes with the audio of its moment, so
        // the newest audio timestamp read before a frame is close to the frame's own.
        int pairs = 0;
        double? newestAudio = null;
        foreach (var packet in FfprobeSections.Parse(r.StdOutText, "packet"))
        {
            if (packet.Field("pts_time") is not { } text)
                continue;
            double pts = Seconds(text);
            if (packet.Field("stream_index") == sound)
                newestAudio = pts;
            else if (packet.Field("stream_index") == video && newestAudio is { } a)
            {
                Assert.True(Math.Abs(pts - a) < Tolerance, $"video at {pts:F3} s arrived next to audio at {a:F3} s:\n{r.StdOutText}");
                pairs++;
            }
        }
        Assert.True(pairs >= 25, $"only {pairs} video frames came after audio:\n{r.StdOutText}");
    }

    [Theory]
    [InlineData(TestAudio.Aac)]
    [InlineData(TestAudio.Mulaw)]
    public void A_recording_holds_both_streams_over_the_same_time(TestAudio audio)
    {
        using var server = RtspTestServer.Start(audio: audio);
        using var folder = new TempFolder("audio-recording");
        string file = folder.File("out.mkv");
        var rec = ExternalTool.Run(ExternalTool.Require("ffmpeg", "ffmpeg"), [
            "-nostdin", "-v", "error", "-rtsp_transport", "tcp", "-timeout", "5000000",
            "-i", server.Url, "-t", "3", "-c", "copy", file,
        ], TimeSpan.FromSeconds(30));
        Assert.True(rec.ExitCode == 0 && !rec.TimedOut, $"recording failed: {rec}\n{server.Logs}");

        var r = ExternalTool.RunChecked(ExternalTool.Require("ffprobe", "ffmpeg"), [
            "-v", "error", "-show_entries",
            "stream=index,codec_type,codec_name,width,sample_rate:packet=stream_index,pts_time,duration_time",
            .. FfprobeSections.Format, file,
        ], TimeSpan.FromSeconds(30));
        var (video, sound) = VideoAndAudio(FfprobeSections.Parse(r.StdOutText, "stream"), audio, r.StdOutText);
        var packets = FfprobeSections.Parse(r.StdOutText, "packet");
        var (videoStart, videoEnd) = Span(packets, video);
        var (audioStart, audioEnd) = Span(packets, sound);
        string spans = $"video {videoStart:F3}..{videoEnd:F3} s, audio {audioStart:F3}..{audioEnd:F3} s";

        Assert.True(videoEnd - videoStart > 2, $"the video covers less than 2 s: {spans}");
        Assert.True(Math.Abs(audioStart - videoStart) < Tolerance, $"the streams start apart: {spans}");
        Assert.True(Math.Abs((audioEnd - audioStart) - (videoEnd - videoStart)) < Tolerance, $"the streams last differently: {spans}");
    }

    [Fact]
    public void A_restarted_server_serves_the_audio_again()
    {
        using var server = RtspTestServer.Start(audio: TestAudio.Mulaw);
        server.StopServer();
        server.RestartServer(); // returns once the video and the µ-law audio are delivered
        var r = ExternalTool.RunChecked(ExternalTool.Require("ffprobe", "ffmpeg"), [
            "-v", "error", "-rtsp_transport", "tcp", "-timeout", "5000000",
            "-show_entries", "stream=index,codec_type,codec_name,width,sample_rate", .. FfprobeSections.Format, server.Url,
        ], TimeSpan.FromSeconds(20));
        VideoAndAudio(FfprobeSections.Parse(r.StdOutText, "stream"), TestAudio.Mulaw, r.StdOutText);
    }

    /// <summary>The index of the H.264 video stream (at the server's width) and of the audio stream asked for.</summary>
    private static (string video, string audio) VideoAndAudio(List<Dictionary<string, string>> streams, TestAudio audio, string output)
    {
        var video = streams.SingleOrDefault(s => s.Field("codec_type") == "video");
        var sound = streams.SingleOrDefault(s => s.Field("codec_type") == "audio");
        Assert.True(video is not null && sound is not null, $"expected one video and one audio stream:\n{output}");
        Assert.Equal("h264", video.Field("codec_name"));
        Assert.Equal("320", video.Field("width"));
        Assert.Equal(audio.CodecName(), sound.Field("codec_name"));
        Assert.Equal(audio.SampleRate().ToString(CultureInfo.InvariantCulture), sound.Field("sample_rate"));
        return (video.Field("index")!, sound.Field("index")!);
    }

    /// <summary>From the first packet's start to the last one's end, in seconds.</summary>
    private static (double start, double end) Span(List<Dictionary<string, string>> packets, string stream)
    {
        var times = packets
            .Where(p => p.Field("stream_index") == stream && p.Field("pts_time") is not null)
            .Select(p => (pts: Seconds(p.Field("pts_time")!), duration: p.Field("duration_time") is { } d ? Seconds(d) : 0))
            .ToList();
        Assert.NotEmpty(times);
        return (times.Min(t => t.pts), times.Max(t => t.pts + t.duration));
    }

    private static double Seconds(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
