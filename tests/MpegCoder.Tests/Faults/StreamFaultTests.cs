using MpegCoder.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Faults;

/// <summary>
/// <see cref="VideoStream"/> against each fault of its sources: ReadFramesAsync completes within the stall
/// timeout + 1 s of the fault, the reason is in Statistics.LastError and the state is Closed; the frames
/// read before the fault are whole (from a file: every one in order from the first); Dispose returns within
/// 1 s; fds and connections come back. And handlers of StateChanged that throw, or dispose the stream.
/// </summary>
[Collection(nameof(FaultCollection))]
public class StreamFaultTests(FaultServers servers, ITestOutputHelper output)
{
    private static readonly TimeSpan EndBound = FaultMatrix.StallTimeout + Bounded.Slack;

    private static int Index(VideoFrame frame)
    {
        var (top, bottom) = Barcode.ReadFrame(frame.Pixels, frame.Width, frame.Height);
        Assert.True(top == bottom, $"torn frame: top shows {top}, bottom {bottom}");
        return top;
    }

    private static VideoStream Open(FaultySource source)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var (stream, _) = Bounded.Call("OpenAsync", FaultMatrix.OpenTimeout + Bounded.Slack,
                    () => VideoStream.OpenAsync(source.Address, source.Options(new StreamOptions())).GetAwaiter().GetResult());
                return stream;
            }
            catch (AggregateException e) when (e.InnerException is StreamOpenException && !source.HasFired && attempt < 2)
            {
                // Before any fault: the open is the setting, not the subject. On a loaded machine the RTSP server
                // has once answered a DESCRIBE that FFmpeg could not use ("Invalid data"); the second open is judged.
                Console.Error.WriteLine($"fault test: the open before the fault failed, tried again: {e.InnerException.Message}");
            }
        }
    }

    /// <summary>
    /// Reads every frame until the stream ends, triggering a live source's fault after <paramref name="before"/>
    /// frames; the result has the indices and how long the end came after the last frame.
    /// </summary>
    private static Task<(List<int> indices, TimeSpan endAfterLastFrame)> ReadUntilEnd(VideoStream stream, FaultySource source, int before) => Bounded.Start(() =>
    {
        var indices = new List<int>();
        var lastFrame = System.Diagnostics.Stopwatch.StartNew();
        var frames = stream.ReadFramesAsync().GetAsyncEnumerator();
        try
        {
            while (frames.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                using (var frame = frames.Current) indices.Add(Index(frame));
                lastFrame.Restart();
                if (indices.Count == before) source.Trigger();
            }
        }
        finally
        {
            frames.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return (indices, lastFrame.Elapsed);
    });

    [Theory]
    [MemberData(nameof(FaultMatrix.SourceCells), MemberType = typeof(FaultMatrix))]
    public void A_source_fault_completes_ReadFramesAsync_in_time_with_the_reason_and_releases_everything(SourceKind kind, SourceFault fault)
    {
        using var source = FaultySource.Create(servers, kind, fault);
        source.WarmUp();
        var before = OpenResources.Now(source.Port);
        var stream = Open(source);
        var reading = ReadUntilEnd(stream, source, 3);
        Assert.True(Bounded.Until(() => source.HasFired, TimeSpan.FromSeconds(10)), "no frames before the fault");
        Assert.True(Bounded.Until(() => reading.IsCompleted, EndBound + TimeSpan.FromSeconds(5)),
            $"ReadFramesAsync still running {source.SinceFired.TotalSeconds:0.0} s after the fault");
        var (indices, endAfterLastFrame) = Bounded.Result(reading);
        // Live: from the fault (the last frame came just before it). A file: from its last frame, since what the
        // kernel had buffered (megabytes) is delivered after the fault.
        var late = source.Live ? source.SinceFired : endAfterLastFrame;
        Assert.True(late <= EndBound + ClientFaultTests.Poll, $"ReadFramesAsync completed {late.TotalSeconds:0.00} s after the {(source.Live ? "fault" : "last frame")}, past {EndBound.TotalSeconds} s");
        Assert.Equal(StreamState.Closed, stream.State);
        Assert.False(string.IsNullOrEmpty(stream.Statistics.LastError), "no reason for the end");
        output.WriteLine($"{kind} {fault}: {indices.Count} frames, ended {late.TotalSeconds:0.00} s after the fault or last frame: {stream.Statistics.LastError}");
        if (source.Live)
            Assert.True(indices.Zip(indices.Skip(1)).All(p => p.First < p.Second), $"out of order: {string.Join(',', indices)}");
        else
        {
            // A reset discards what the kernel had received and not yet handed over (TCP), so after a cut the
                // frames before it may be few; after a stall every byte before it is delivered.
                Assert.True(indices.Count is >= 2 * FaultServers.Fps and < 10 * FaultServers.Fps || (fault == SourceFault.Cut && indices.Count < 10 * FaultServers.Fps),
                    $"{indices.Count} frames before the fault");
            Assert.Equal(Enumerable.Range(0, indices.Count), indices);
        }

        Bounded.Call("Dispose", FaultMatrix.Stop, stream.Dispose);
        source.Dispose();
        Bounded.Released(before, source.Port, $"VideoStream after {kind} {fault}");
    }

    [Fact]
    public void A_StateChanged_handler_that_disposes_the_stream_on_Closed_returns_and_so_do_later_calls()
    {
        using var source = FaultySource.Create(servers, SourceKind.LiveRtsp, SourceFault.Stall);
        source.WarmUp();
        var before = OpenResources.Now(source.Port);
        var stream = Open(source);
        var handler = MisbehavingHandler<StreamStateChangedEventArgs>.Stopping(stream.Dispose, e => e.State == StreamState.Closed);
        stream.StateChanged += handler.Handle;
        var reading = ReadUntilEnd(stream, source, 3);
        Assert.True(Bounded.Until(() => source.HasFired, TimeSpan.FromSeconds(10)), "no frames before the fault");
        Assert.True(Bounded.Until(() => handler.ActReturned.IsCompleted, EndBound + FaultMatrix.Stop + TimeSpan.FromSeconds(1)),
            $"Dispose called from the StateChanged handler on Closed did not return ({source.SinceFired.TotalSeconds:0.0} s after the stall)");
        Assert.Null(handler.ActReturned.Exception);
        Assert.True(source.SinceFired <= EndBound + FaultMatrix.Stop, $"the handler's Dispose returned {source.SinceFired.TotalSeconds:0.00} s after the stall");
        Assert.True(Bounded.Until(() => reading.IsCompleted, FaultMatrix.Stop), "ReadFramesAsync did not complete");
        Bounded.Call("a second Dispose", FaultMatrix.Stop, stream.Dispose);
        source.Dispose();
        Bounded.Released(before, source.Port, "VideoStream disposed from its own handler");
    }

    [Fact]
    public void A_StateChanged_handler_that_throws_changes_nothing()
    {
        using var source = FaultySource.Create(servers, SourceKind.LiveRtsp, SourceFault.Stall);
        source.WarmUp();
        var before = OpenResources.Now(source.Port);
        var stream = Open(source);
        var handler = MisbehavingHandler<StreamStateChangedEventArgs>.Throwing();
        stream.StateChanged += handler.Handle;
        var reading = ReadUntilEnd(stream, source, 10);
        Assert.True(Bounded.Until(() => source.HasFired, TimeSpan.FromSeconds(10)), "no frames before the fault: the throwing handler stopped the stream");
        Assert.True(Bounded.Until(() => reading.IsCompleted, EndBound + TimeSpan.FromSeconds(2)), "ReadFramesAsync did not complete");
        Assert.True(source.SinceFired <= EndBound + ClientFaultTests.Poll, $"ended {source.SinceFired.TotalSeconds:0.00} s after the stall");
        Assert.Equal(StreamState.Closed, stream.State);
        Assert.Contains("stalled", stream.Statistics.LastError);
        Assert.True(handler.Calls >= 1, $"the handler saw {handler.Calls} changes");
        Bounded.Call("Dispose", FaultMatrix.Stop, stream.Dispose);
        source.Dispose();
        Bounded.Released(before, source.Port, "VideoStream with a throwing handler");
    }
}
