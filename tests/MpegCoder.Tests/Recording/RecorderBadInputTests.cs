using System.Diagnostics;
using System.Net.Sockets;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Recording;

/// <summary>
/// Targets a recorder cannot write fail StartRecording with a clear RecordingException, quickly, and leave
/// nothing attached to the stream, which goes on decoding; options that cannot work throw argument exceptions.
/// </summary>
public class RecorderBadInputTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    private readonly RtspTestServer _server = fixture.Server;

    private MpegClient Client()
    {
        var client = new MpegClient();
        client.SetParameter(readSize: 1, cacheSize: 4);
        client.Options = client.Options with { RtspTransport = RtspTransport.Tcp };
        Assert.True(client.FFmpegSetup(_server.Url), client.LastError);
        Assert.True(client.Start());
        return client;
    }

    /// <summary>Asserts StartRecording throws a RecordingException containing every one of <paramref name="words"/>, within a few seconds, and leaves no tap.</summary>
    private static void AssertRefused(MpegClient client, RecordingOptions options, params string[] words)
    {
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<RecordingException>(() => client.StartRecording(options));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refused after {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (string word in words) Assert.Contains(word, e.Message);
        Assert.Equal(0, client.Session!.TapCount);
    }

    [Fact]
    public void Unknown_containers_missing_folders_and_unwritable_paths_are_refused_with_the_reason()
    {
        using var folder = new TempFolder("recorder-bad");
        using var client = Client();
        AssertRefused(client, new RecordingOptions { Path = folder.File("clip.nosuchcontainer") }, "clip.nosuchcontainer", "extension");
        AssertRefused(client, new RecordingOptions { Path = folder.File("missing/clip.mp4") }, "does not exist");
        Directory.CreateDirectory(folder.File("taken.mp4")); // a folder where the file would go
        AssertRefused(client, new RecordingOptions { Path = folder.File("taken.mp4") }, "taken.mp4", "Is a directory");

        // The stream is unharmed and can still be recorded.
        using var recorder = client.StartRecording(new RecordingOptions { Path = folder.File("fine.ts") });
        Assert.Equal(1, client.Session!.TapCount);
    }

    [Fact]
    public void A_push_to_a_server_that_refuses_fails_with_the_reason_and_hides_credentials()
    {
        using var client = Client();
        int closed = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
        AssertRefused(client, new RecordingOptions { Path = $"rtmp://user:secret@127.0.0.1:{closed}/live/x" }, "rtmp://***@127.0.0.1", "Connection refused");
        var e = Assert.Throws<RecordingException>(() => client.StartRecording(new RecordingOptions { Path = $"rtmp://user:secret@127.0.0.1:{closed}/live/x" }));
        Assert.DoesNotContain("secret", e.Message);
        AssertRefused(client, new RecordingOptions { Path = $"srt://127.0.0.1:{closed}?connect_timeout=1000" }, "srt://127.0.0.1");
    }

    [Fact]
    public async Task A_stalled_server_never_stalls_decoding_the_queue_drops_and_the_recorder_fails_with_the_reason()
    {
        using var silent = new SilentServer(receiveBufferSize: 1024); // accepts the push and never reads it
        await using var stream = await VideoStream.OpenAsync(_server.Url, new StreamOptions { RtspTransport = RtspTransport.Tcp });
        var recorder = stream.StartRecording(new RecordingOptions
        {
            Path = $"tcp://127.0.0.1:{silent.Port}",
            QueueCapacity = 16,
            IoTimeout = TimeSpan.FromSeconds(3),
            FFmpegOptions = new Dictionary<string, string> { ["send_buffer_size"] = "4096" }, // a few KB in flight, then writes block
        });
        long decodedBefore = stream.Statistics.FramesDecoded;
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RecordingException>(() => recorder.Completion.WaitAsync(TimeSpan.FromSeconds(40)));
        double seconds = clock.Elapsed.TotalSeconds;
        long decoded = stream.Statistics.FramesDecoded - decodedBefore;

        Assert.Contains("tcp://127.0.0.1", e.Message);
        Assert.Contains("no progress within 3 s", e.Message);
        Assert.True(recorder.Statistics.PacketsDropped > 0, $"nothing dropped while the server stalled: {recorder.Statistics}");
        Assert.True(decoded >= (seconds - 1) * 25 * 0.8, $"only {decoded} frames decoded in {seconds:0.0} s while the push stalled");
        await Assert.ThrowsAsync<RecordingException>(recorder.StopAsync);
        await recorder.DisposeAsync(); // does not throw
        Assert.Equal(1, silent.Accepted);
    }

    [Fact]
    public void Options_that_cannot_work_throw_argument_exceptions()
    {
        using var client = Client();
        Assert.Throws<ArgumentException>(() => client.StartRecording(new RecordingOptions()));
        Assert.Throws<ArgumentException>(() => client.StartRecording(new RecordingOptions { Path = "rtmp://127.0.0.1/live/x", SegmentDuration = TimeSpan.FromSeconds(2) }));
        Assert.Throws<ArgumentException>(() => client.StartRecording(new RecordingOptions { Path = "a.mp4", PreEventBuffer = TimeSpan.FromSeconds(2) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.StartRecording(new RecordingOptions { Path = "a.mp4", SegmentDuration = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => client.StartRecording(new RecordingOptions { Path = "a-{0:yyyy.mp4" }));
        Assert.Equal(0, client.Session!.TapCount);
        using var idle = new MpegClient();
        Assert.Throws<InvalidOperationException>(() => idle.StartRecording(new RecordingOptions { Path = "a.mp4" }));
    }

    [Fact]
    public async Task Trigger_on_a_continuous_recorder_is_a_mistake_and_a_closed_stream_stops_its_recorder()
    {
        using var folder = new TempFolder("recorder-close");
        var client = Client();
        var recorder = client.StartRecording(new RecordingOptions { Path = folder.File("a.mkv") });
        Assert.Throws<InvalidOperationException>(recorder.Trigger);
        await Task.Delay(1500);
        client.Clear(); // the stream goes away: the recorder finishes its file and stops
        await recorder.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Single(recorder.Files);
        Assert.True(recorder.Files[0].Packets > 0);
        RecordedClip.AssertConsecutive(RecordedClip.Frames(recorder.Files[0].Path), "the file of a cleared client");
        recorder.Dispose();
        client.Dispose();
    }
}
