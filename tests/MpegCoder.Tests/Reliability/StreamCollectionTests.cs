using System.Runtime.CompilerServices;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Reliability;

/// <summary>
/// Nothing static keeps a stream alive: one its owner dropped without disposing it, after it ended, is
/// collected like any other object, with metrics enabled (the hosting package enables them) or not.
/// </summary>
public class StreamCollectionTests
{
    [Fact]
    public async Task An_undisposed_stream_that_ended_is_collected()
    {
        MpegCoderMetrics.Enable();
        var weak = await OpenAndReadToTheEnd(Clips.BarcodeClip(1));
        for (int i = 0; i < 50 && weak.TryGetTarget(out _); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(20);
        }
        Assert.False(weak.TryGetTarget(out _), "the stream is still reachable after it ended and its owner dropped it");
    }

    /// <summary>Opens a stream on a short file, reads it to its end and returns only a weak reference to it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference<VideoStream>> OpenAndReadToTheEnd(string path)
    {
        var stream = await VideoStream.OpenAsync(path);
        int frames = 0;
        await foreach (var frame in stream.ReadFramesAsync())
            frames++;
        Assert.Equal(25, frames);
        Assert.Equal(StreamState.Closed, stream.State);
        return new WeakReference<VideoStream>(stream);
    }
}

/// <summary>A file's end is the end of the stream, also with a reconnect policy (the hosting package always sets one).</summary>
public class FileEndTests
{
    [Fact]
    public async Task A_file_with_a_reconnect_policy_ends_at_its_end_instead_of_replaying()
    {
        var options = new StreamOptions { Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(50) } };
        var states = new List<(StreamState State, string? Reason)>();
        await using var stream = await VideoStream.OpenAsync(Clips.BarcodeClip(1), options);
        stream.StateChanged += (_, e) => { lock (states) states.Add((e.State, e.Reason)); };
        var indices = new List<int>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var frame in stream.ReadFramesAsync(timeout.Token))
        {
            indices.Add(Barcode.ReadFrame(frame.Pixels, stream.Width, stream.Height).top);
            if (indices.Count > 60) break; // replaying: the test fails below
        }
        Assert.Equal(Enumerable.Range(0, 25), indices);
        Assert.Equal(StreamState.Closed, stream.State);
        lock (states)
        {
            Assert.DoesNotContain(states, s => s.State == StreamState.Reconnecting);
            Assert.Contains(states, s => s.State == StreamState.Closed && s.Reason!.StartsWith("the stream ended", StringComparison.Ordinal));
        }
    }
}
