using System.Diagnostics;
using MpegCoder.Recording;
using MpegCoder.Streaming;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Recording;

/// <summary>
/// What a recorder reports and keeps over its life on the live barcode stream: no file without a packet,
/// events that follow the order of Trigger and EndEvent, bounded memory over long recordings, a clear
/// refusal on an ended stream and of options FFmpeg does not know.
/// </summary>
public class RecorderLifecycleTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    private readonly RtspTestServer _server = fixture.Server;

    [Fact]
    public async Task A_recorder_stopped_before_its_first_packet_leaves_no_file_and_reports_none()
    {
        using var folder = new TempFolder("recorder-empty");
        await using var stream = await RecordedClip.OpenLive(_server);
        stream.Pause(); // the connection stays open, and no packet reaches the recorder
        int raised = 0;
        var recorder = stream.StartRecording(new RecordingOptions { Path = folder.File("empty-{1}.mp4") });
        recorder.FileFinished += (_, _) => Interlocked.Increment(ref raised);
        await recorder.StopAsync();

        Assert.Empty(recorder.Files);
        Assert.Equal(0, recorder.Statistics.FilesFinished);
        Assert.Equal(0, Volatile.Read(ref raised));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public async Task A_trigger_right_after_EndEvent_while_the_recorder_is_busy_starts_a_new_event()
    {
        using var folder = new TempFolder("recorder-order");
        await using var stream = await RecordedClip.OpenLive(_server);
        using var inHandler = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        await using var recorder = stream.StartRecording(new RecordingOptions
        {
            Path = folder.File("event-{1:000}.mkv"),
            WaitForTrigger = true,
            SegmentDuration = TimeSpan.FromSeconds(1),
        });
        int finished = 0;
        recorder.FileFinished += (_, _) =>
        {
            if (Interlocked.Increment(ref finished) != 1) return;
            inHandler.Set();   // the first segment's cut: the recorder's thread is busy here
            release.Wait(TimeSpan.FromSeconds(20));
        };
        recorder.Trigger();
        Assert.True(inHandler.Wait(TimeSpan.FromSeconds(10)), "the event's first segment was never cut");
        recorder.EndEvent();
        recorder.Trigger(); // the last call: an event must be running once the recorder catches up
        release.Set();

        // The ended event's file, then the new event's segments.
        RecordedClip.WaitUntil(() => recorder.Files.Count >= 4, TimeSpan.FromSeconds(15), "the new event's segments");
        Assert.NotNull(recorder.CurrentPath);
    }

    [Theory]
    [InlineData("T", true, false, false)]
    [InlineData("E", false, true, false)]
    [InlineData("ET", false, true, true)]
    [InlineData("TE", true, true, false)]
    [InlineData("TET", true, true, true)]
    [InlineData("TETE", true, true, false)]
    [InlineData("ETTE", true, true, false)]
    public void Event_commands_keep_the_order_of_the_calls(string calls, bool triggerBefore, bool end, bool triggerAfter)
    {
        var commands = new EventCommands();
        foreach (char call in calls)
            if (call == 'T') commands.Trigger();
            else commands.EndEvent();
        Assert.Equal((triggerBefore, end, triggerAfter), commands.Take());
        Assert.Equal((false, false, false), commands.Take());
    }

    [Fact]
    public async Task Files_lists_the_newest_FilesKept_files_while_every_name_stays_distinct()
    {
        using var folder = new TempFolder("recorder-kept");
        await using var stream = await RecordedClip.OpenLive(_server);
        var all = new List<RecordedFile>();
        var recorder = stream.StartRecording(new RecordingOptions
        {
            Path = folder.File("same.ts"), // one name: the recorder numbers the repeats
            SegmentDuration = TimeSpan.FromSeconds(1),
            FilesKept = 2,
        });
        recorder.FileFinished += (_, file) => { lock (all) all.Add(file); };
        RecordedClip.WaitUntil(() => { lock (all) return all.Count >= 4; }, TimeSpan.FromSeconds(20), "four segments");
        await recorder.StopAsync();

        lock (all)
        {
            Assert.Equal(all.Count, recorder.Statistics.FilesFinished);
            Assert.Equal(all.TakeLast(2), recorder.Files);
            Assert.Equal(all.Count, all.Select(f => f.Path).Distinct().Count());
            Assert.All(all, f => Assert.True(File.Exists(f.Path), f.Path));
        }
    }

    [Fact]
    public void The_name_memory_is_bounded_and_repeats_of_one_name_never_collide()
    {
        using var folder = new TempFolder("recorder-names");
        var target = RecordingTarget.Check(new RecordingOptions { Path = folder.File("cam.mp4") });
        var names = new HashSet<string>();
        for (int i = 0; i < 5000; i++) Assert.True(names.Add(target.Next(DateTimeOffset.Now)), $"name {i} repeats");
        Assert.InRange(target.Remembered, 1, RecordingTarget.NamesRemembered);

        // Names from the time: each second gets its own; a second that repeats is numbered.
        var timed = RecordingTarget.Check(new RecordingOptions { Path = folder.File("cam-{0:HHmmss}.mp4") });
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var timedNames = new HashSet<string>();
        for (int i = 0; i < 5000; i++) Assert.True(timedNames.Add(timed.Next(start.AddSeconds(i / 2))), $"timed name {i} repeats");
        Assert.InRange(timed.Remembered, 1, RecordingTarget.NamesRemembered);
    }

    [Fact]
    public async Task StartRecording_on_a_stream_that_has_ended_fails_at_once_with_the_reason()
    {
        using var folder = new TempFolder("recorder-ended");
        string clip = Clips.BarcodeClip(seconds: 1);
        await using (var stream = await VideoStream.OpenAsync(clip, new StreamOptions { FullRing = FullRingPolicy.OverwriteOldest }))
        {
            RecordedClip.WaitUntil(() => stream.State == StreamState.Closed, TimeSpan.FromSeconds(20), "the end of the file");
            var clock = Stopwatch.StartNew();
            var e = Assert.Throws<RecordingException>(() => stream.StartRecording(new RecordingOptions { Path = folder.File("late.mp4") }));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"refused after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Contains("has ended", e.Message);
        }

        using var client = new MpegClient();
        client.Options = client.Options with { FullRing = FullRingPolicy.OverwriteOldest };
        Assert.True(client.FFmpegSetup(clip), client.LastError);
        Assert.True(client.Start());
        RecordedClip.WaitUntil(() => client.State == StreamState.Closed, TimeSpan.FromSeconds(20), "the end of the file");
        var refused = Assert.Throws<RecordingException>(() => client.StartRecording(new RecordingOptions { Path = folder.File("late.mkv") }));
        Assert.Contains("has ended", refused.Message);
        Assert.Equal(0, client.Session!.TapCount);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public async Task Misspelt_FFmpegOptions_are_refused_by_name()
    {
        using var folder = new TempFolder("recorder-options");
        await using var stream = await RecordedClip.OpenLive(_server);
        var options = new Dictionary<string, string> { ["movflags"] = "+faststart", ["movflagz"] = "+faststart" };
        var e = Assert.Throws<RecordingException>(() => stream.StartRecording(new RecordingOptions { Path = folder.File("typo.mp4"), FFmpegOptions = options }));
        Assert.Contains("FFmpeg did not recognise the option(s) 'movflagz'", e.Message);
        Assert.DoesNotContain("'movflags'", e.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));

        // Waiting for a trigger, the first file is opened later: the recorder fails then, naming the option.
        var waiting = stream.StartRecording(new RecordingOptions { Path = folder.File("event.mp4"), WaitForTrigger = true, FFmpegOptions = options });
        waiting.Trigger();
        var failed = await Assert.ThrowsAsync<RecordingException>(() => waiting.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("'movflagz'", failed.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
