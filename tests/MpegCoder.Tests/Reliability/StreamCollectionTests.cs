using System.Runtime.CompilerServices;
using MpegCoder.Recording;
using MpegCoder.Streaming;
using MpegCoder.Tests.Faults;
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
    public void An_undisposed_stream_that_ended_is_collected()
    {
        MpegCoderMetrics.Enable();
        var weak = OpenAndReadToTheEnd(Clips.BarcodeClip(1));
        for (int i = 0; i < 50 && IsAlive(weak); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(20);
        }
        Assert.False(IsAlive(weak), "the stream is still reachable after it ended and its owner dropped it");
    }

    /// <summary>In a frame of its own, so that no hidden local of the test keeps the target alive.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsAlive(WeakReference<StreamSession> weak) => weak.TryGetTarget(out _);

    /// <summary>Opens a port client on a short file, reads it to its end and returns only a weak reference to its stream.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference<StreamSession> OpenAndReadToTheEnd(string path)
    {
        var client = new MpegClient();
        Assert.True(client.FFmpegSetup(path), client.LastError);
        Assert.True(client.Start());
        int frames = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (client.ExtractFrame(1) is { } batch && DateTime.UtcNow < deadline) frames += batch.GetLength(0);
        Assert.Equal(25, frames);
        return new WeakReference<StreamSession>(client.Session!);
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
        // StateChanged is raised on the writer thread just after the state is set, so the reader can get
        // to the end a moment before the handler has run.
        Assert.True(Bounded.Until(() => { lock (states) return states.Any(s => s.State == StreamState.Closed); }, TimeSpan.FromSeconds(2)), "no Closed event");
        lock (states)
        {
            Assert.DoesNotContain(states, s => s.State == StreamState.Reconnecting);
            Assert.Contains(states, s => s.State == StreamState.Closed && s.Reason!.StartsWith("the stream ended", StringComparison.Ordinal));
        }
    }
}
