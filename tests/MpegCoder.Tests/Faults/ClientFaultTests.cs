using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Faults;

/// <summary>
/// The port's client (<see cref="MpegClient"/>) against each fault of its sources: the stream ends within
/// the stall timeout + 1 s of the fault, with the reason in LastError and the state Closed; the frames read
/// before the fault are whole (and, from a file, every one in order from the first); Dispose returns within
/// 1 s; the process's fds and connections come back to where they were.
/// </summary>
[Collection(nameof(FaultCollection))]
public class ClientFaultTests(FaultServers servers, ITestOutputHelper output)
{
    private static readonly TimeSpan EndBound = FaultMatrix.StallTimeout + Bounded.Slack;

    /// <summary>The tests see an end by polling every 20 ms; this much lateness is theirs.</summary>
    internal static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    [Theory]
    [MemberData(nameof(FaultMatrix.SourceCells), MemberType = typeof(FaultMatrix))]
    public void A_source_fault_ends_the_stream_in_time_with_the_reason_and_releases_everything(SourceKind kind, SourceFault fault)
    {
        var source = FaultySource.Create(servers, kind, fault);
        try
        {
            source.WarmUp();
            var before = OpenResources.Now(source.Port);
            var client = new MpegClient();
            client.Options = source.Options(client.Options);
            var (opened, _) = Bounded.Call("FFmpegSetup", FaultMatrix.OpenTimeout + Bounded.Slack, () => client.FFmpegSetup(source.Address));
            Assert.True(opened, client.LastError);
            Assert.True(client.Start(), client.LastError);

            var indices = new List<int>();
            if (source.Live)
            {
                indices.AddRange(Frames.Whole(Frames.WaitForBatch(client, 3, TimeSpan.FromSeconds(10))));
                source.Trigger();
                // A live stream's end shows in its state first; ExtractFrame may still hand out the last frames.
                Assert.True(Bounded.Until(() => client.State == StreamState.Closed, EndBound + TimeSpan.FromSeconds(2)), $"state {client.State}");
                Assert.True(source.SinceFired <= EndBound + Poll, $"the stream ended {source.SinceFired.TotalSeconds:0.00} s after the fault, past {EndBound.TotalSeconds} s");
            }
            else
            {
                // A file: each call takes the next frame, until the fault (half-way through its bytes) ends the stream.
                // The bound runs from the last frame delivered: what the kernel had buffered comes first.
                var lastFrame = System.Diagnostics.Stopwatch.StartNew();
                while (true)
                {
                    var (batch, _) = Bounded.Call("ExtractFrame", EndBound, () => client.ExtractFrame());
                    if (batch is null) break;
                    indices.AddRange(Frames.Whole(batch));
                    lastFrame.Restart();
                }
                Assert.True(lastFrame.Elapsed <= EndBound + Poll, $"the stream ended {lastFrame.Elapsed.TotalSeconds:0.00} s after its last frame, past {EndBound.TotalSeconds} s");
                Assert.True(source.HasFired, "the file was read without its fault");
                // A reset discards what the kernel had received and not yet handed over (TCP), so after a cut the
                // frames before it may be few; after a stall every byte before it is delivered.
                Assert.True(indices.Count is >= 2 * FaultServers.Fps and < 10 * FaultServers.Fps || (fault == SourceFault.Cut && indices.Count < 10 * FaultServers.Fps),
                    $"{indices.Count} frames before the fault");
                Assert.Equal(Enumerable.Range(0, indices.Count), indices);
            }
            Assert.True(Bounded.Until(() => client.State == StreamState.Closed, TimeSpan.FromSeconds(1)), $"state {client.State}");
            Assert.False(string.IsNullOrEmpty(client.LastError), "no reason for the end");
            output.WriteLine($"{kind} {fault}: {indices.Count} frames; {client.LastError}");

            Bounded.Call("Dispose", FaultMatrix.Stop, client.Dispose);
            source.Dispose();
            Bounded.Released(before, source.Port, $"MpegClient after {kind} {fault}");
        }
        finally
        {
            source.Dispose();
        }
    }

    [Fact]
    public void A_frozen_ftp_server_fails_setup_within_the_open_timeout_and_releases_everything()
    {
        using var source = FaultySource.Create(servers, SourceKind.FtpFile, SourceFault.Freeze);
        source.WarmUp();
        var before = OpenResources.Now(source.Port);
        var client = new MpegClient();
        client.Options = source.Options(client.Options);
        source.Trigger();
        var (opened, took) = Bounded.Call("FFmpegSetup", FaultMatrix.OpenTimeout + Bounded.Slack, () => client.FFmpegSetup(source.Address));
        Assert.False(opened);
        Assert.Matches("(?i)time(d )?out", client.LastError ?? "");
        output.WriteLine($"setup failed after {took.TotalSeconds:0.00} s: {client.LastError}");
        Bounded.Call("Dispose", FaultMatrix.Stop, client.Dispose);
        source.Dispose();
        Bounded.Released(before, source.Port, "MpegClient after a frozen FTP server");
    }

    [Fact]
    public void Clear_and_Dispose_return_at_once_while_the_live_server_is_frozen()
    {
        using var source = FaultySource.Create(servers, SourceKind.LiveRtsp, SourceFault.Freeze);
        source.WarmUp();
        var before = OpenResources.Now(source.Port);
        var client = new MpegClient();
        client.Options = source.Options(client.Options) with { StallTimeout = TimeSpan.FromSeconds(30) };
        Assert.True(client.FFmpegSetup(source.Address), client.LastError);
        Assert.True(client.Start());
        Frames.WaitForBatch(client, 2, TimeSpan.FromSeconds(10));
        source.Trigger();
        Thread.Sleep(300); // the writer is now blocked in a read nothing will answer
        Bounded.Call("Clear", FaultMatrix.Stop, client.Clear);
        Assert.Equal(StreamState.Closed, client.State);
        Bounded.Call("Dispose", FaultMatrix.Stop, client.Dispose);
        source.Dispose();
        Bounded.Released(before, source.Port, "MpegClient cleared while its server was frozen");
    }
}
