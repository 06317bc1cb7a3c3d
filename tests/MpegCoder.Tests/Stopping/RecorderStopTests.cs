using System.Diagnostics;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Stopping;

/// <summary>A recorder whose server stopped reading stops promptly: Dispose and StopAsync never wait for the whole I/O timeout.</summary>
public class RecorderStopTests
{
    [Fact]
    public async Task Dispose_of_a_recorder_pushing_to_a_server_that_never_reads_returns_within_2_s()
    {
        using var server = RtspTestServer.Start();
        using var silent = new SilentServer(receiveBufferSize: 1024); // accepts the push and never reads it
        await using var stream = await VideoStream.OpenAsync(server.Url, new StreamOptions { RtspTransport = RtspTransport.Tcp });
        var recorder = stream.StartRecording(new RecordingOptions
        {
            Path = $"tcp://127.0.0.1:{silent.Port}",
            QueueCapacity = 16,
            IoTimeout = TimeSpan.FromSeconds(30),
            FFmpegOptions = new Dictionary<string, string> { ["send_buffer_size"] = "4096" }, // a few KB in flight, then writes block
        });
        // Wait until the queue fills behind the blocked write.
        var wait = Stopwatch.StartNew();
        while (recorder.Statistics.PacketsDropped == 0 && wait.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(50);
        Assert.True(recorder.Statistics.PacketsDropped > 0, $"the push never blocked: {recorder.Statistics}");
        Assert.False(recorder.Completion.IsCompleted);

        var clock = Stopwatch.StartNew();
        await StopFromHandlerTests.Within(TimeSpan.FromSeconds(2), recorder.Dispose); // 1 s of stall allowed once stopping, + 1 s
        Assert.True(recorder.Completion.IsCompleted, "Dispose returned before the recorder ended");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"Dispose took {clock.Elapsed}");
        await Assert.ThrowsAsync<RecordingException>(recorder.StopAsync); // the aborted push is the reason
        await recorder.DisposeAsync();
        Assert.Equal(StreamState.Streaming, stream.State); // decoding goes on
    }
}
