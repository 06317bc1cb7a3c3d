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
        Assert.True(WaitUntilStalled(recorder, TimeSpan.FromSeconds(20)), $"the push never blocked: {recorder.Statistics}");
        Assert.True(recorder.Statistics.PacketsDropped > 0, $"the queue did not fill behind the blocked write: {recorder.Statistics}");
        Assert.False(recorder.Completion.IsCompleted);

        var clock = Stopwatch.StartNew();
        await StopFromHandlerTests.Within(TimeSpan.FromSeconds(2), recorder.Dispose); // 1 s of stall allowed once stopping, + 1 s
        Assert.True(recorder.Completion.IsCompleted, "Dispose returned before the recorder ended");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"Dispose took {clock.Elapsed}");
        var failure = await Assert.ThrowsAsync<RecordingException>(recorder.StopAsync); // the aborted push is the reason
        Assert.Contains("no progress within 1 s", failure.Message); // the stop's limit, not the 30 s IoTimeout
        await recorder.DisposeAsync();
        Assert.Equal(StreamState.Streaming, stream.State); // decoding goes on
    }

    [Fact]
    public async Task A_cancelled_StopAsync_ends_the_wait_and_the_recorder_still_stops()
    {
        using var server = RtspTestServer.Start();
        using var silent = new SilentServer(receiveBufferSize: 1024);
        await using var stream = await VideoStream.OpenAsync(server.Url, new StreamOptions { RtspTransport = RtspTransport.Tcp });
        await using var recorder = stream.StartRecording(new RecordingOptions
        {
            Path = $"tcp://127.0.0.1:{silent.Port}",
            QueueCapacity = 16,
            IoTimeout = TimeSpan.FromSeconds(30),
            FFmpegOptions = new Dictionary<string, string> { ["send_buffer_size"] = "4096" },
        });
        Assert.True(WaitUntilStalled(recorder, TimeSpan.FromSeconds(20)), $"the push never blocked: {recorder.Statistics}");

        // The blocked write holds the stop for its 1 s limit: a wait cancelled before that ends first.
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recorder.StopAsync(soon.Token));
        Assert.False(recorder.Completion.IsCompleted, "the stop was over before the wait was cancelled: the test proves nothing");
        var failure = await Assert.ThrowsAsync<RecordingException>(() => recorder.Completion.WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Contains("no progress within 1 s", failure.Message); // the cancelled wait did not undo the stop
    }

    /// <summary>
    /// Waits until the recorder is inside a write that does not return: its first packets are written, then
    /// no packet is written for a second while more packets arrive than its queue holds. Dropped packets alone
    /// prove nothing: the packets of a stream's first second (read by its open to probe the stream) reach a
    /// recorder started at once in a burst that can overflow the queue while the push still takes everything,
    /// and a stop then writes the queue and the trailer without a fault.
    /// </summary>
    private static bool WaitUntilStalled(StreamRecorder recorder, TimeSpan limit)
    {
        var wait = Stopwatch.StartNew();
        var still = Stopwatch.StartNew(); // since the written count last moved
        var last = recorder.Statistics;
        while (wait.Elapsed < limit)
        {
            Thread.Sleep(50);
            var now = recorder.Statistics;
            if (now.PacketsWritten != last.PacketsWritten || now.PacketsWritten == 0)
            {
                last = now;
                still.Restart();
            }
            else if (still.Elapsed >= TimeSpan.FromSeconds(1) && now.PacketsReceived - last.PacketsReceived > recorder.Options.QueueCapacity)
            {
                return true;
            }
        }
        return false;
    }
}
