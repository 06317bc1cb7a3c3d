using System.Text;
using System.Text.RegularExpressions;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Engine;

/// <summary>
/// DumpFile reads the format context that the writer's av_read_frame changes; the two must never overlap.
/// Runs alone: it redirects the process's standard error to read the dumps.
/// </summary>
[Collection(AloneCollection.Name)]
public class DumpWhileStreamingTests
{
    [Fact]
    public void Two_hundred_dumps_while_a_live_mpeg_ts_stream_runs_all_whole_and_the_stream_goes_on()
    {
        using var source = FfmpegLiveSource.ServeHttp();
        using var client = new MpegClient();
        client.Options = client.Options with { ReadSize = 2 };
        Assert.True(client.FFmpegSetup(source.Url), client.LastError);
        Assert.True(client.Start());
        Frames.WaitForBatch(client, 2, TimeSpan.FromSeconds(20));
        long storedBefore = client.Statistics.FramesStored;

        var captured = new StringWriter(new StringBuilder());
        var previous = Console.Error;
        Console.SetError(TextWriter.Synchronized(captured));
        try
        {
            for (int i = 0; i < 200; i++) client.DumpFile();
        }
        finally
        {
            Console.SetError(previous);
        }

        string text = captured.ToString();
        // Each dump is one "Input #0, mpegts" header followed by the video stream line, intact.
        Assert.Equal(200, Regex.Matches(text, @"Input #0, mpegts, from ").Count);
        Assert.Equal(200, Regex.Matches(text, @"Stream #0:0\S*: Video: h264 .*320x240").Count);
        Assert.Equal(StreamState.Streaming, client.State);
        Frames.WaitUntil(() => client.Statistics.FramesStored > storedBefore + 10, TimeSpan.FromSeconds(20), "the stream to go on");
        Assert.Equal(Frames.Whole(client.ExtractFrame()!)[0] + 1, Frames.Whole(client.ExtractFrame()!)[1]);
    }

    [Fact]
    public void A_dump_never_runs_while_the_writer_is_inside_a_read()
    {
        using var server = RtspTestServer.Start();
        using var client = new MpegClient();
        client.Options = client.Options with { RtspTransport = RtspTransport.Tcp, StallTimeout = TimeSpan.FromSeconds(30) };
        Assert.True(client.FFmpegSetup(server.Url), client.LastError);
        Assert.True(client.Start());
        Assert.True(client.WaitForNewFrame(0, TimeSpan.FromSeconds(20)), client.LastError);
        var previous = Console.Error;
        Console.SetError(TextWriter.Null);
        try
        {
            Signals.Freeze(server.ServerPid);
            var dumped = new ManualResetEventSlim();
            try
            {
                Thread.Sleep(500); // the writer is now blocked in av_read_frame
                new Thread(() => { client.DumpFile(); dumped.Set(); }) { IsBackground = true }.Start();
                Assert.False(dumped.Wait(TimeSpan.FromMilliseconds(700)), "the dump ran during the writer's read");
            }
            finally
            {
                Signals.Thaw(server.ServerPid);
            }
            Assert.True(dumped.Wait(TimeSpan.FromSeconds(10)), "the dump did not run once the read returned");
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Equal(StreamState.Streaming, client.State);
    }
}
