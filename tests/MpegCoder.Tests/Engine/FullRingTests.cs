using System.Diagnostics;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Engine;

/// <summary>
/// The full-ring policy: a file (no clock) gives every frame exactly once, in order, through both faces,
/// with the default ring; a live stream keeps giving its newest frames; either can be forced.
/// </summary>
public class FullRingTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly RtspTestServer _server = fixture.Server;

    [Fact]
    public async Task ReadFramesAsync_over_a_file_yields_every_frame_once_in_order_with_the_default_ring_then_completes()
    {
        string clip = Clips.BarcodeClip(seconds: 3); // 75 frames
        await using var stream = await VideoStream.OpenAsync(clip);
        Assert.Equal(2, stream.Capacity);
        var indices = new List<int>();
        var sequences = new List<long>();
        using var timeout = new CancellationTokenSource(Wait);
        await foreach (var frame in stream.ReadFramesAsync(timeout.Token))
            using (frame)
            {
                var (top, bottom) = Barcode.ReadFrame(frame.Pixels, frame.Width, frame.Height);
                Assert.Equal(top, bottom);
                indices.Add(top);
                sequences.Add(frame.Metadata.Sequence);
            }
        Assert.Equal(Enumerable.Range(0, 75), indices);
        Assert.Equal(Enumerable.Range(0, 75).Select(i => (long)i), sequences);
        Assert.Equal(StreamState.Closed, stream.State);
        Assert.Contains("end of file", stream.Statistics.LastError);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void The_ports_read_loop_over_a_file_returns_every_frame_once_in_order_in_batches_then_null(int readSize)
    {
        string clip = Clips.BarcodeClip(seconds: 3);
        using var client = new MpegClient();
        client.SetParameter(readSize: readSize);
        Assert.True(client.FFmpegSetup(clip), client.LastError);
        Assert.True(client.Start());
        var indices = new List<int>();
        var sizes = new List<int>();
        byte[,,,]? batch;
        var clock = Stopwatch.StartNew();
        while ((batch = client.ExtractFrame()) != null)
        {
            Assert.True(clock.Elapsed < Wait, "the read loop did not end");
            sizes.Add(batch.GetLength(0));
            indices.AddRange(Frames.Whole(batch));
        }
        Assert.Equal(Enumerable.Range(0, 75), indices);
        Assert.All(sizes[..^1], n => Assert.Equal(readSize, n));
        Assert.Equal(75 % readSize == 0 ? readSize : 75 % readSize, sizes[^1]);
        Assert.Null(client.ExtractFrame());
        Assert.Equal(-1, client.ExtractFrame(new byte[readSize * client.FrameBytes]));
        Assert.Contains("end of file", client.LastError);
    }

    [Fact]
    public void Auto_overwrites_for_a_live_stream_and_waits_for_a_file()
    {
        using var live = new MpegClient();
        live.Options = live.Options with { RtspTransport = RtspTransport.Tcp };
        Assert.True(live.FFmpegSetup(_server.Url), live.LastError);
        Assert.False(live.Session!.Reads.Lossless);
        using var file = new MpegClient();
        Assert.True(file.FFmpegSetup(Clips.BarcodeClip(seconds: 1)), file.LastError);
        Assert.True(file.Session!.Reads.Lossless);
    }

    [Fact]
    public void Forcing_overwrite_on_a_file_gives_the_newest_frames_and_forcing_wait_on_a_live_stream_loses_none()
    {
        // A file that overwrites: the writer races to the end; the last frames are what remains.
        using (var file = new MpegClient())
        {
            file.Options = file.Options with { FullRing = FullRingPolicy.OverwriteOldest, ReadSize = 2 };
            Assert.True(file.FFmpegSetup(Clips.BarcodeClip(seconds: 3)), file.LastError);
            Assert.True(file.Start());
            Frames.WaitUntil(() => file.State == StreamState.Closed, Wait, "the end of the file");
            Assert.Null(file.ExtractFrame());
            var last = new byte[2 * file.FrameBytes];
            Assert.Equal(2, file.Session!.Reads.PeekNewest(2, last, default));
            Assert.Equal([73, 74], Barcode.ReadAll(last, 320, 240).Select(i => i.top));
        }

        // A live stream that waits: a slow reader still gets consecutive frames.
        using var live = new MpegClient();
        live.Options = live.Options with { RtspTransport = RtspTransport.Tcp, FullRing = FullRingPolicy.WaitForReader, ReadSize = 3 };
        Assert.True(live.FFmpegSetup(_server.Url), live.LastError);
        Assert.True(live.Start());
        var indices = new List<int>();
        for (int i = 0; i < 5; i++)
        {
            indices.AddRange(Frames.Whole(live.ExtractFrame()!));
            Thread.Sleep(200); // slower than the stream: a ring that overwrites would skip frames here
        }
        Assert.Equal(Enumerable.Range(indices[0], 15), indices);
    }

    [Fact]
    public void A_writer_waiting_for_a_reader_stops_at_once_and_resumes_without_losing_a_frame()
    {
        using var client = new MpegClient();
        client.SetParameter(readSize: 5);
        Assert.True(client.FFmpegSetup(Clips.BarcodeClip(seconds: 3)), client.LastError);
        Assert.True(client.Start());
        Frames.WaitUntil(() => client.Statistics.FramesStored == 10, Wait, "a full ring");
        Thread.Sleep(300);
        Assert.Equal(10, client.Statistics.FramesStored); // waiting for a reader, not overwriting
        Assert.Equal(StreamState.Streaming, client.State);

        var clock = Stopwatch.StartNew();
        client.Terminate();
        Assert.True(clock.ElapsedMilliseconds < 500, $"Terminate took {clock.ElapsedMilliseconds} ms");
        var indices = new List<int>(Frames.Whole(client.ExtractFrame()!)); // paused: no wait
        Assert.True(client.Start());
        byte[,,,]? batch;
        while ((batch = client.ExtractFrame()) != null) indices.AddRange(Frames.Whole(batch));
        Assert.Equal(Enumerable.Range(0, 75), indices);

        // Clear and Dispose return at once too, with the writer waiting.
        foreach (var (name, release) in new (string, Action)[] { ("Clear", client.Clear), ("Dispose", client.Dispose) })
        {
            Assert.True(client.FFmpegSetup(), client.LastError);
            Assert.True(client.Start());
            Frames.WaitUntil(() => client.Statistics.FramesStored == 10, Wait, "a full ring");
            clock.Restart();
            release();
            Assert.True(clock.ElapsedMilliseconds < 500, $"{name} took {clock.ElapsedMilliseconds} ms");
        }
    }
}
