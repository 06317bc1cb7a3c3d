using System.Diagnostics;
using MpegCoder.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Faults;

/// <summary>
/// A stop while an sftp server stalls: libssh waits for the server in its own loop and never asks FFmpeg's
/// interrupt callback, so only the library's watch of the connection can end the writer's read. With a stall
/// timeout far away (30 s), Clear and Dispose must still return within 1 s and release the connection.
/// </summary>
[Collection(nameof(FaultCollection))]
public class SftpStallTests(FaultServers servers, ITestOutputHelper output)
{
    [Fact]
    public void Clear_and_Dispose_return_at_once_while_the_sftp_server_stalls()
    {
        using var source = FaultySource.Create(servers, SourceKind.SftpFile, SourceFault.Stall);
        source.WarmUp();
        var before = OpenResources.Now(source.Port);
        var client = new MpegClient();
        client.Options = source.Options(client.Options) with { StallTimeout = TimeSpan.FromSeconds(30) };
        Assert.True(client.FFmpegSetup(source.Address), client.LastError);
        Assert.True(client.Start(), client.LastError);

        // Take every frame the stalled connection delivered: the writer is then blocked in an sftp read.
        long lastFrame = Stopwatch.GetTimestamp();
        int frames = 0;
        var reading = Bounded.Start(() =>
        {
            while (client.ExtractFrame() is not null)
            {
                Interlocked.Increment(ref frames);
                Interlocked.Exchange(ref lastFrame, Stopwatch.GetTimestamp());
            }
            return true;
        });
        Assert.True(Bounded.Until(() => source.HasFired && Stopwatch.GetElapsedTime(Interlocked.Read(ref lastFrame)) > TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(15)),
            $"the reads never waited on the stalled server ({frames} frames, fired: {source.HasFired})");
        Assert.False(reading.IsCompleted, $"the stream ended before the stop: {client.LastError}");

        Bounded.Call("Clear", FaultMatrix.Stop, client.Clear);
        Assert.Equal(StreamState.Closed, client.State);
        Assert.True(Bounded.Until(() => reading.IsCompleted, FaultMatrix.Stop), "ExtractFrame still waiting after Clear");
        Bounded.Call("Dispose", FaultMatrix.Stop, client.Dispose);
        output.WriteLine($"{frames} frames before the stall; cleared and disposed while it lasted");
        source.Dispose();
        Bounded.Released(before, source.Port, "MpegClient cleared while its sftp server stalled");
    }
}
