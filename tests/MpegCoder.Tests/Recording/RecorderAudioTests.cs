using System.Globalization;
using MpegCoder.Decoding;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Lifecycle;
using MpegCoder.Native;
using MpegCoder.Recording;
using MpegCoder.Streaming;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Tests.Recording;

/// <summary>
/// The recorder keeps the source's audio beside its video, without decoding it: files with a barcode video
/// and a tone in AAC, G.711 µ-law and Opus, recorded in 2 s segments into every container, read back with
/// ffprobe packet by packet. Each segment's audio starts at its first keyframe's instant (within one audio
/// frame) and ends where the next segment's starts; together the segments hold every audio packet of the
/// source once. A codec a container cannot carry is left out with one warning.
/// </summary>
public class RecorderAudioTests
{
    /// <summary>One recorder of a test: its container, whether its files should hold the audio.</summary>
    private sealed record Case(string Container, bool CarriesAudio, bool Audio = true);

    [Theory]
    [InlineData("aac", "mp4,mkv,ts,flv", "")]
    [InlineData("pcm_mulaw", "mkv,flv", "mp4,ts")]
    [InlineData("libopus", "mp4,mkv,ts", "flv")]
    public async Task Audio_is_recorded_in_every_container_that_carries_it_each_segment_in_step_with_its_video(
        string audioCodec, string carrying, string leavingOut)
    {
        const int Seconds = 9;
        string clip = Clips.BarcodeClipWithAudio(Seconds, audioCodec);
        string codecName = audioCodec == "libopus" ? "opus" : audioCodec;
        // The source's audio from its first keyframe on (an AAC encoder's priming puts the video 21 ms after the audio's start).
        var sourcePackets = RecordedPackets.Read(clip);
        double firstKeyframe = sourcePackets.Where(p => !p.Audio).Min(p => p.Pts);
        var sourceAudio = sourcePackets.Where(p => p.Audio && p.Pts >= firstKeyframe).ToList();
        Assert.True(sourceAudio.Count > Seconds * 40, $"the clip has {sourceAudio.Count} audio packets");

        var cases = carrying.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => new Case(c, true))
            .Concat(leavingOut.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => new Case(c, false)))
            .Append(new Case("mkv", false, Audio: false)) // turned off
            .ToList();
        using var folder = new TempFolder("recorder-audio");
        var logger = new ListLogger();
        var (recorders, decoded) = await RecordWholeClip(clip, logger, cases.Select((c, i) => new RecordingOptions
        {
            Path = folder.File($"{i}-{c.Container}-{{1:000}}.{c.Container}"),
            SegmentDuration = TimeSpan.FromSeconds(2),
            Audio = c.Audio,
        }).ToList());
        Assert.Equal(Seconds * 25, decoded); // the stream decodes the video only, every frame of it

        for (int r = 0; r < cases.Count; r++)
        {
            var (recorder, c) = (recorders[r], cases[r]);
            string what = $"{codecName} in {c.Container}{(c.Audio ? "" : " with Audio off")}";
            var files = recorder.Files;
            Assert.InRange(files.Count, 4, 5);
            Assert.Equal(0, recorder.Statistics.PacketsDropped);
            var audioPackets = new List<RecordedPackets.Packet>();
            var perFile = new List<string>();
            var frames = new List<int>();
            foreach (var file in files)
            {
                string name = $"{what}: {Path.GetFileName(file.Path)}";
                Assert.Equal("h264", file.VideoCodec);
                Assert.Equal(c.CarriesAudio ? codecName : null, file.AudioCodec);
                Assert.Equal(c.CarriesAudio ? ["h264", codecName] : ["h264"], StreamCodecs(file.Path));
                frames.AddRange(RecordedClip.Frames(file.Path));
                if (!c.CarriesAudio) continue;

                var (video, audio, audioFrame) = RecordedPackets.Split(file.Path);
                RecordedPackets.AssertInStep(name, video, audio, audioFrame, last: file == files[^1]);
                audioPackets.AddRange(audio);
                perFile.Add($"{Path.GetFileName(file.Path)}: {audio.Count} audio packets from {audio.Min(p => p.Pts):0.000} s");
            }
            RecordedClip.AssertConsecutive(frames, $"{what}: the segments' frames");
            Assert.Equal(Seconds * 25, frames.Count);
            if (c.CarriesAudio)
                Assert.True(audioPackets.Count == sourceAudio.Count,
                    $"{what}: the segments hold {audioPackets.Count} audio packets; the source has {sourceAudio.Count} from the first keyframe on ({string.Join("; ", perFile)})");
        }
        // Left out: one warning per recorder, naming the codec.
        int warned = logger.Lines.Count(l => l.StartsWith("Warning:", StringComparison.Ordinal) && l.Contains("audio is left out") && l.Contains(codecName));
        Assert.True(warned == cases.Count(c => c.Audio && !c.CarriesAudio), $"{warned} warnings: {string.Join(" | ", logger.Lines)}");
    }

    [Fact]
    public async Task An_event_file_keeps_the_audio_of_its_pre_event_buffer_in_step_with_the_video()
    {
        string clip = Clips.BarcodeClipWithAudio(9, "aac");
        using var folder = new TempFolder("recorder-audio-event");
        FFmpegLibrary.EnsureLoaded();
        using var session = StreamSession.Open(clip, new StreamOptions { CacheSize = 4, FullRing = FullRingPolicy.OverwriteOldest },
            new StreamInterrupt(), new StreamLog(null));
        var pipeline = session.CurrentPipeline!;
        var recorder = StreamRecorder.Start(session, new RecordingOptions
        {
            Path = folder.File("event.mkv"), WaitForTrigger = true, PreEventBuffer = TimeSpan.FromSeconds(2), QueueCapacity = 4000,
        });
        while (session.Statistics.FramesDecoded < 4 * 25) Assert.True(pipeline.PumpOnce() >= 0);
        RecordedClip.WaitUntil(() => recorder.Statistics.PacketsReceived > 0, TimeSpan.FromSeconds(5), "the recorder's first packets");
        await Task.Delay(200); // the recorder's thread takes in what is queued: the buffer then holds about 2 s before frame 100
        recorder.Trigger();
        while (pipeline.PumpOnce() >= 0) { }
        await recorder.StopAsync();

        var file = recorder.Files.Single();
        Assert.Equal("aac", file.AudioCodec);
        var frames = RecordedClip.Frames(file.Path);
        RecordedClip.AssertConsecutive(frames, "the event file");
        Assert.True(frames[0] % 25 == 0 && frames[0] <= 75, $"the event file starts at frame {frames[0]}: at a keyframe, up to a GOP before 2 s before frame 100");
        var (video, audio, audioFrame) = RecordedPackets.Split(file.Path);
        RecordedPackets.AssertInStep("the event file", video, audio, audioFrame, last: true);
        Assert.True(audio.Max(p => p.Pts) > video.Max(p => p.Pts) - 0.1, "the event file's audio runs to its last frame");
    }

    [Fact]
    public unsafe void The_interleaver_puts_the_two_streams_in_time_order_and_waits_no_longer_than_its_window()
    {
        FFmpegLibrary.EnsureLoaded();
        var layout = FFmpegLoader.Layout;
        using var interleaver = new PacketInterleaver();
        using var packet = PacketHandle.Allocate();
        var taken = new List<string>();
        void Add(bool audio, long ms)
        {
            Assert.Equal(0, ffmpeg.av_new_packet(packet.Ptr, 4));
            new AVPacketFields(packet.Ptr, layout).pts = ms;
            interleaver.Add(packet.Ptr, audio, arrival: 0, time: TimeSpan.FromMilliseconds(ms).Ticks);
        }
        void Take(bool flush)
        {
            while (interleaver.TryTake(flush, out var entry))
            {
                taken.Add($"{(entry.Audio ? 'a' : 'v')}{new AVPacketFields(entry.Packet.Ptr, layout).pts}");
                interleaver.Return(entry.Packet);
            }
        }

        // The audio runs late: a video packet waits until an audio one at or after it arrives.
        Add(false, 0); Take(false);
        Add(false, 40); Take(false);
        Assert.Empty(taken);
        Add(true, 0); Take(false);     // equal times: the video first
        Add(true, 21); Take(false);
        Add(true, 42); Take(false);
        Assert.Equal(["v0", "a0", "a21", "v40"], taken);
        // The video falls silent: the audio goes once it is the window older than the newest packet.
        taken.Clear();
        for (long ms = 63; ms <= 63 + 21 * 30; ms += 21) { Add(true, ms); Take(false); }
        Assert.Equal("a42", taken[0]);
        Assert.All(taken, t => Assert.StartsWith("a", t));
        Assert.InRange(interleaver.Count, 20, 25); // about 500 ms of 21 ms packets wait
        Take(flush: true);
        Assert.Equal(0, interleaver.Count);
    }

    [Fact]
    public unsafe void An_audio_packet_does_not_end_a_loss_in_the_queue()
    {
        FFmpegLibrary.EnsureLoaded();
        var layout = FFmpegLoader.Layout;
        using var source = StreamSource.Open(Clips.BarcodeClipWithAudio(2, "aac"), null, new StreamInterrupt(), TimeSpan.FromSeconds(10));
        using var recording = new RecordingSource(source, withAudio: true);
        Assert.True(recording.HasAudio);
        using var queue = new PacketQueue(2);
        using var packet = PacketHandle.Allocate();
        void Offer(int stream, bool key)
        {
            ffmpeg.av_packet_unref(packet.Ptr);
            Assert.Equal(0, ffmpeg.av_new_packet(packet.Ptr, 4));
            var p = new AVPacketFields(packet.Ptr, layout);
            p.stream_index = stream;
            p.flags = key ? AV_PKT_FLAG_KEY : 0;
            queue.Offer(packet.Ptr, recording);
        }
        Offer(recording.VideoIndex, key: true);
        Offer(recording.VideoIndex, key: false);
        Offer(recording.VideoIndex, key: false); // full: a loss begins
        using (var taken = PacketHandle.Allocate())
            while (queue.TryTake(taken.Ptr, out _, out _)) ffmpeg.av_packet_unref(taken.Ptr);
        Offer(recording.AudioIndex, key: true);  // audio is flagged key, but cannot make the video decodable
        Offer(recording.VideoIndex, key: false);
        Assert.Equal(3, queue.Dropped);
        Offer(recording.VideoIndex, key: true);  // the next video keyframe ends the loss
        Assert.Equal(3, queue.Dropped);
    }

    /// <summary>Pumps the clip from its first packet to its end through a session with the recorders attached, then stops them.</summary>
    private static async Task<(List<StreamRecorder> Recorders, long Decoded)> RecordWholeClip(string clip, ListLogger logger, List<RecordingOptions> options)
    {
        FFmpegLibrary.EnsureLoaded();
        var streamOptions = new StreamOptions { CacheSize = 4, FullRing = FullRingPolicy.OverwriteOldest };
        using var session = StreamSession.Open(clip, streamOptions, new StreamInterrupt(), new StreamLog(logger));
        var pipeline = session.CurrentPipeline!;
        // The queue holds the whole clip: the test reads faster than real time.
        var recorders = options.Select(o => StreamRecorder.Start(session, o with { QueueCapacity = 4000 })).ToList();
        int ret;
        while ((ret = pipeline.PumpOnce()) >= 0) { }
        Assert.Equal(AVERROR_EOF, ret);
        while (!pipeline.Drain()) { }
        foreach (var recorder in recorders) await recorder.StopAsync();
        return (recorders, session.Statistics.FramesDecoded);
    }

    /// <summary>The codec of each of the file's streams, in order ("h264", "aac").</summary>
    private static List<string> StreamCodecs(string path)
    {
        string ffprobe = ExternalTool.Require("ffprobe", "ffmpeg");
        return [.. ExternalTool.RunChecked(ffprobe, ["-v", "error", "-show_entries", "stream=index,codec_name", "-of", "csv=p=0", path], TimeSpan.FromSeconds(30))
            .StdOutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(',')).DistinctBy(f => f[0]).Select(f => f[1])];
    }
}
