using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Recording;

/// <summary>
/// StreamRecorder on the live barcode RTSP stream (25 fps, a keyframe every 25 frames): the packets the
/// stream's one connection already delivers are copied, not decoded, into segment files, read back with
/// the ffmpeg CLI frame by frame.
/// </summary>
public class StreamRecorderTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    private const int Fps = 25;
    private readonly RtspTestServer _server = fixture.Server;

    [Fact]
    public async Task Ten_seconds_in_2_s_segments_of_mp4_mkv_and_ts_start_at_keyframes_and_hold_every_frame_once_while_the_stream_decodes()
    {
        using var folder = new TempFolder("recorder");
        await using var stream = await VideoStream.OpenAsync(_server.Url, new StreamOptions { RtspTransport = RtspTransport.Tcp });
        Assert.True(await stream.WaitForNewFrameAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        // The packets the open read ahead to probe the stream are decoded in a burst: wait until the stream is live,
        // so that the newest decoded frame says which packet the reader is at.
        await Task.Delay(1500);
        long decodedBefore = stream.Statistics.FramesDecoded;

        string[] containers = ["mp4", "mkv", "ts"];
        var startedAt = new List<int>();
        var recorders = containers.Select(c =>
        {
            startedAt.Add(RecordedClip.NewestIndex(stream));
            return stream.StartRecording(new RecordingOptions
            {
                Path = folder.File($"seg-{{1:000}}.{c}"),
                SegmentDuration = TimeSpan.FromSeconds(2),
            });
        }).ToList();
        var finished = new List<RecordedFile>();
        recorders[0].FileFinished += (_, file) => { lock (finished) finished.Add(file); };

        // The decoding goes on meanwhile: fresh frames all along, from the same connection.
        var seenWhileRecording = new List<int>();
        for (int i = 0; i < 20; i++)
        {
            await Task.Delay(500);
            seenWhileRecording.Add(RecordedClip.NewestIndex(stream));
        }
        foreach (var recorder in recorders) await recorder.StopAsync();
        int indexAfter = RecordedClip.NewestIndex(stream);

        Assert.True(stream.Statistics.FramesDecoded - decodedBefore >= 8 * Fps, $"the stream decoded only {stream.Statistics.FramesDecoded - decodedBefore} frames while recording");
        Assert.True(seenWhileRecording.Zip(seenWhileRecording.Skip(1)).All(p => p.Second > p.First), $"decoded frames stalled while recording: {string.Join(",", seenWhileRecording)}");

        for (int c = 0; c < containers.Length; c++)
        {
            var recorder = recorders[c];
            var files = recorder.Files;
            Assert.InRange(files.Count, 4, 7);
            Assert.Equal(files.Count, recorder.Statistics.FilesFinished);
            Assert.Equal(0, recorder.Statistics.PacketsDropped);
            var all = new List<int>();
            string listing = string.Join("; ", files.Select(f => $"{Path.GetFileName(f.Path)}: {f.Packets} packets, {f.Bytes} B, {new FileInfo(f.Path).Length} B on disk, {f.Duration.TotalSeconds:0.00} s"));
            for (int f = 0; f < files.Count; f++)
            {
                Assert.True(files[f].Packets > 0, $"{containers[c]}: an empty file; {listing}");
                var frames = RecordedClip.Frames(files[f].Path);
                string what = $"{containers[c]} segment {f} ({Path.GetFileName(files[f].Path)})";
                RecordedClip.AssertConsecutive(frames, what);
                Assert.True(frames[0] % Fps == 0, $"{what} starts at frame {frames[0]}, not at a keyframe (every {Fps} frames)");
                Assert.Equal(frames.Count, files[f].Packets);
                if (f < files.Count - 1)
                {
                    Assert.True(frames.Count == 2 * Fps, $"{what} holds {frames.Count} frames; a 2 s segment cut at a keyframe holds 50");
                    Assert.InRange(files[f].Duration.TotalSeconds, 1.95, 2.05);
                }
                all.AddRange(frames);
            }
            RecordedClip.AssertConsecutive(all, $"{containers[c]} segments together");
            // From the first keyframe after the start: the decoded frames lag the packets by the decoder's few frames of delay.
            Assert.True(all[0] >= startedAt[c] - 5 && all[0] <= startedAt[c] + Fps + 10, $"{containers[c]} starts at {all[0]}; the stream showed {startedAt[c]} when its recording started");
            Assert.True(all[^1] >= indexAfter - 10, $"{containers[c]} ends at {all[^1]}; the stream showed {indexAfter} when recording stopped");
            Assert.True(all.Count >= 9 * Fps, $"{containers[c]}: only {all.Count} frames in 10 s");
        }
        lock (finished) Assert.Equal(recorders[0].Files, finished);
    }

    [Fact]
    public void MpegClient_records_the_stream_its_ExtractFrame_reads()
    {
        using var folder = new TempFolder("recorder-port");
        using var client = new MpegClient();
        client.SetParameter(readSize: 1, cacheSize: 4);
        client.Options = client.Options with { RtspTransport = RtspTransport.Tcp };
        Assert.True(client.FFmpegSetup(_server.Url), client.LastError);
        Assert.True(client.Start());
        string path = folder.File("port.mkv");
        using (var recorder = client.StartRecording(new RecordingOptions { Path = path }))
        {
            Assert.Equal(path, recorder.CurrentPath);
            Assert.Equal(1, client.Session!.TapCount);
            var indices = new List<int>();
            var frame = new byte[client.FrameBytes];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(3))
            {
                if (client.ExtractFrame(frame, 1) == 1) indices.Add(Barcode.ReadFrame(frame, 320, 240).top);
                Thread.Sleep(100);
            }
            Assert.True(indices.Distinct().Count() >= 20, $"ExtractFrame gave {indices.Distinct().Count()} distinct frames in 3 s while recording");
        }
        Assert.Equal(0, client.Session!.TapCount); // stopped: detached from the stream
        var frames = RecordedClip.Frames(path);
        RecordedClip.AssertConsecutive(frames, "the port's recording");
        Assert.True(frames.Count >= 2 * Fps - 5, $"only {frames.Count} frames in 3 s");
    }

    [Fact]
    public async Task A_trigger_writes_a_file_that_starts_a_pre_event_buffer_earlier_at_a_keyframe()
    {
        using var folder = new TempFolder("recorder-event");
        await using var stream = await VideoStream.OpenAsync(_server.Url, new StreamOptions { RtspTransport = RtspTransport.Tcp });
        await using var recorder = stream.StartRecording(new RecordingOptions
        {
            Path = folder.File("event-{0:HHmmss}.mp4"),
            WaitForTrigger = true,
            PreEventBuffer = TimeSpan.FromSeconds(2),
            PostEventDuration = TimeSpan.FromSeconds(1.5),
        });
        Assert.Null(recorder.CurrentPath);
        await Task.Delay(4000); // more than the buffer holds
        Assert.Empty(recorder.Files);
        int atTrigger = RecordedClip.NewestIndex(stream);
        recorder.Trigger();
        RecordedClip.WaitUntil(() => recorder.Files.Count == 1, TimeSpan.FromSeconds(10), "the event's file");
        int afterEvent = RecordedClip.NewestIndex(stream);

        var file = recorder.Files[0];
        var frames = RecordedClip.Frames(file.Path);
        RecordedClip.AssertConsecutive(frames, "the event");
        Assert.True(frames[0] % Fps == 0, $"the event starts at frame {frames[0]}, not at a keyframe");
        // 2 s (50 frames) before the trigger, or up to one GOP (25 frames) more since the buffer starts at a keyframe;
        // a few frames of slack for the decoder's delay behind the packets.
        int earliest = atTrigger - 2 * Fps - Fps - 8, latest = atTrigger - 2 * Fps + 8;
        Assert.True(frames[0] >= earliest && frames[0] <= latest, $"the event starts at {frames[0]}; the trigger came at {atTrigger}, expected {earliest}..{latest}");
        Assert.True(frames[^1] >= atTrigger + Fps && frames[^1] <= afterEvent + 8, $"the event ends at {frames[^1]}; trigger at {atTrigger}, 1.5 s later expected");
        Assert.Null(recorder.CurrentPath); // back to buffering
    }
}
