using System.Diagnostics;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Stopping;

/// <summary>
/// No call waits for its own thread: Dispose, Pause, Terminate and Clear called from a handler the library
/// raises on its writer thread return at once, any number of times, and every later call still works.
/// </summary>
public class StopFromHandlerTests
{
    /// <summary>How long a handler's stop may take: it returns at once, so this is only the bound for a loaded machine.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(2);

    /// <summary>A file read to its end without waiting for a reader: the stream closes by itself, on its writer thread.</summary>
    private static readonly StreamOptions ToTheEnd = new() { FullRing = FullRingPolicy.OverwriteOldest };

    [Fact]
    public async Task A_StateChanged_handler_that_disposes_the_stream_on_Closed_returns_and_later_calls_do_not_hang()
    {
        var handled = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = await VideoStream.OpenAsync(Clips.BarcodeClip(1), ToTheEnd);
        stream.StateChanged += (_, e) =>
        {
            if (e.State != StreamState.Closed) return;
            var clock = Stopwatch.StartNew();
            stream.Dispose();
            stream.Dispose(); // any number of times
            stream.Pause();
            handled.TrySetResult(clock.Elapsed);
        };
        var took = await handled.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(took < Prompt, $"Dispose in the handler took {took}");

        // The writer released everything as it ended: later calls from another thread return at once.
        await Within(Prompt, () =>
        {
            stream.Pause();
            Assert.False(stream.Resume());
            stream.Dispose();
        });
        await stream.DisposeAsync().AsTask().WaitAsync(Prompt);
        Assert.Equal(StreamState.Closed, stream.State);
    }

    [Fact]
    public async Task A_StateChanged_handler_that_pauses_returns_and_the_stream_resumes()
    {
        var paused = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        int pauses = 0;
        var stream = await VideoStream.OpenAsync(Clips.BarcodeClip(4), new StreamOptions { FrameRate = (1, 1) });
        stream.StateChanged += (_, e) =>
        {
            if (e.State != StreamState.Streaming || Interlocked.Increment(ref pauses) > 1) return;
            var clock = Stopwatch.StartNew();
            stream.Pause();
            stream.Pause();
            paused.TrySetResult(clock.Elapsed);
        };
        // Pause and resume from this thread until the writer has raised Streaming again with the handler attached.
        stream.Pause();
        Assert.True(stream.Resume());
        var took = await paused.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(took < Prompt, $"Pause in the handler took {took}");
        await Within(Prompt, () => Frames.WaitUntil(() => stream.State == StreamState.Paused, Prompt, "the pause"));

        // Pause, Resume and Dispose from another thread still work.
        await Within(Prompt, () =>
        {
            stream.Pause();
            Assert.True(stream.Resume());
        });
        await Within(Prompt, () => Frames.WaitUntil(() => stream.State == StreamState.Streaming, Prompt, "the resume"));
        Assert.NotEqual(0, stream.ExtractFrames(2).Count); // the file's frames go on coming
        await Within(Prompt, stream.Dispose);
    }

    [Fact]
    public async Task A_handler_on_the_writer_thread_that_clears_the_client_returns_and_the_client_sets_up_again()
    {
        string clip = Clips.BarcodeClip(1);
        var client = new MpegClient(); // disposed below, within a bound: a deadlocked client must fail the test, not hang it
        client.Options = client.Options with { FullRing = FullRingPolicy.OverwriteOldest };
        Assert.True(client.FFmpegSetup(clip), client.LastError);
        var cleared = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool disposedAtOnce = false;
        client.Session!.StateChanged += (_, e) =>
        {
            if (e.State != StreamState.Closed) return;
            var clock = Stopwatch.StartNew();
            disposedAtOnce = client.DisposeAsync().IsCompletedSuccessfully; // on the writer thread: done before it returns
            client.Terminate();
            client.Clear();
            client.Dispose();
            cleared.TrySetResult(clock.Elapsed);
        };
        Assert.True(client.Start());
        var took = await cleared.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(took < Prompt, $"Clear in the handler took {took}");
        Assert.True(disposedAtOnce, "DisposeAsync on the writer thread did not complete at once");

        await Within(TimeSpan.FromSeconds(10), () =>
        {
            client.Terminate();
            client.Clear();
            Assert.True(client.FFmpegSetup(clip), client.LastError);
            Assert.True(client.Start());
            client.Clear();
        });
        Assert.True(client.FFmpegSetup(clip), client.LastError);
        Assert.True(client.Start());
        await client.DisposeAsync().AsTask().WaitAsync(Prompt); // from another thread: stops the writer, off the caller's thread
        Assert.Equal(StreamState.Closed, client.State);
    }

    /// <summary>Runs <paramref name="action"/> on another thread and fails if it has not returned within <paramref name="bound"/> (a hang fails the test instead of hanging the run).</summary>
    internal static async Task Within(TimeSpan bound, Action action)
    {
        var run = Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var clock = Stopwatch.StartNew();
        try
        {
            await run.WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the call did not return within {bound.TotalSeconds} s (still running after {clock.Elapsed})");
        }
    }
}
