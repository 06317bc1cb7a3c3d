using System.Diagnostics;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Client;

/// <summary>
/// The port against a real GStreamer RTSP server on 127.0.0.1 serving a live 25 fps barcode stream:
/// every frame shows its own index, so the tests check which frames arrive, not only that some do.
/// </summary>
public class MpegClientRtspTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly RtspTestServer _server = fixture.Server;

    private MpegClient Connect(int width = 0, int height = 0, int readSize = 5, int cacheSize = 12, (int, int)? rate = null)
    {
        var client = new MpegClient();
        client.SetParameter(widthDst: width, heightDst: height, readSize: readSize, cacheSize: cacheSize, dstFrameRate: rate);
        // Over TCP no packet is lost, however loaded the machine: these tests are about the port's
        // semantics (the transports themselves are compared in Protocols/RtspProtocolTests).
        client.Options = client.Options with { RtspTransport = RtspTransport.Tcp };
        Assert.True(client.FFmpegSetup(_server.Url), client.LastError);
        Assert.True(client.Start());
        return client;
    }

    [Fact]
    public void Frames_have_the_requested_shape_and_show_the_stream()
    {
        using var client = Connect(width: 480, height: 360);
        var batch = Frames.WaitForBatch(client, 5, Wait);
        Assert.Equal([5, 360, 480, 3], Enumerable.Range(0, 4).Select(batch.GetLength));
        var indices = Frames.Whole(batch);
        Assert.Equal(Enumerable.Range(indices[0], 5), indices); // consecutive, oldest first

        using var native = Connect(readSize: 2, cacheSize: 4);
        var sourceSized = Frames.WaitForBatch(native, 2, Wait);
        Assert.Equal([2, 240, 320, 3], Enumerable.Range(0, 4).Select(sourceSized.GetLength));
        Frames.Whole(sourceSized);
        Assert.Equal(320, native.GetParameter("width"));
        Assert.Equal(25.0, (double)native.GetParameter("srcFrameRate")!, 1);
    }

    [Fact]
    public void The_newest_frames_are_fresh_and_keep_coming()
    {
        using var client = Connect();
        Frames.WaitForBatch(client, 5, Wait);
        Thread.Sleep(500); // past the burst a new RTSP connection can start with
        int first = Frames.Whole(client.ExtractFrame()!)[^1];
        var clock = Stopwatch.StartNew();
        Thread.Sleep(2000);
        var batch = client.ExtractFrame()!;
        double expected = clock.Elapsed.TotalSeconds * 25;
        var indices = Frames.Whole(batch);
        Assert.Equal(Enumerable.Range(indices[0], 5), indices);
        // Two seconds of a 25 fps stream later, the newest frame is as many frames further.
        Assert.InRange(indices[^1] - first, expected - 12, expected + 12);
        // And it arrived a moment ago: the ring holds what the server sends now, not a backlog.
        var newest = client.Session!;
        var info = new FrameMetadata[1];
        newest.Reads.PeekNewest(1, new byte[newest.FrameBytes], info);
        double ageMs = Stopwatch.GetElapsedTime(info[0].ReceivedTimestamp).TotalMilliseconds;
        Assert.InRange(ageMs, 0, 200);
    }

    [Fact]
    public void A_25_fps_stream_at_5_fps_gives_every_fifth_frame_five_times_a_second()
    {
        using var client = Connect(rate: (5, 1));
        Frames.WaitForBatch(client, 5, Wait);
        long stored = client.Session!.Stored;
        var clock = Stopwatch.StartNew();
        Thread.Sleep(2000);
        long storedLater = client.Session!.Stored;
        double expected = clock.Elapsed.TotalSeconds * 5;
        var indices = Frames.Whole(client.ExtractFrame()!);
        Assert.All(indices.Zip(indices.Skip(1)), pair => Assert.Equal(5, pair.Second - pair.First));
        Assert.InRange(storedLater - stored, expected - 3, expected + 3); // 5 frames a second
        Assert.True(client.Statistics.FramesDropped > 3 * storedLater, "dropped frames are counted");
    }

    [Fact]
    public void The_first_stored_frame_is_a_keyframe_and_nothing_is_padded()
    {
        // The server sends a keyframe every 25 frames, at indices 0, 25, 50, ... Joining mid-stream,
        // the frames before the next keyframe must not be stored (they would be grey garbage).
        using var client = Connect(readSize: 60, cacheSize: 60);
        Frames.WaitUntil(() => client.ExtractFrame()!.GetLength(0) >= 3, Wait, "3 frames");
        var batch = client.ExtractFrame()!;
        Assert.InRange(batch.GetLength(0), 3, 59); // only the frames that exist: no black padding
        var indices = Frames.Whole(batch);
        // The decoder's own word: the oldest frame in the ring is a keyframe. (The pusher puts one every 25
        // frames it encodes, at indices 0, 25, 50... unless a starved machine made it skip a source frame.)
        var metadata = new FrameMetadata[60];
        int read = client.Session!.Reads.ReadNewest(60, new byte[60 * 320 * 240 * 3], metadata, "count");
        bool ringHoldsTheFirst = client.Statistics.FramesStored <= 60; // nothing overwritten yet: the oldest read is the first stored
        var oldest = metadata.Take(read).MinBy(m => m.Sequence);
        Assert.True(ringHoldsTheFirst ? oldest.IsKeyFrame : indices[0] % 25 == 0,
            $"the first stored frame is {indices[0]}, not a keyframe; frames {string.Join(",", indices)}; {client.Statistics}");
        Assert.Equal(Enumerable.Range(indices[0], indices.Count), indices);
    }

    [Fact]
    public void The_span_overload_copies_the_same_frames_without_allocating()
    {
        using var client = Connect(readSize: 3, cacheSize: 6);
        Frames.WaitForBatch(client, 3, Wait);
        var buffer = new byte[3 * client.FrameBytes];
        client.Terminate(); // freeze, so both reads see the same frames
        Assert.Equal(3, client.ExtractFrame(buffer));
        var array = client.ExtractFrame()!;
        Assert.Equal(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(
            ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(array), array.Length).ToArray(), buffer);
        Assert.Throws<ArgumentException>(() => client.ExtractFrame(new byte[client.FrameBytes]));

        for (int i = 0; i < 200; i++) client.ExtractFrame(buffer); // warm up: past tiered compilation's call counting
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) client.ExtractFrame(buffer);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Terminate_freezes_the_frames_and_start_resumes()
    {
        using var client = Connect();
        Frames.WaitForBatch(client, 5, Wait);
        client.Terminate();
        var frozen = Frames.Whole(client.ExtractFrame()!);
        Thread.Sleep(600);
        Assert.Equal(frozen, Frames.Whole(client.ExtractFrame()!));
        Assert.Contains("writer stopped", client.ToString());

        Assert.True(client.Start());
        Frames.WaitUntil(() => Frames.Whole(client.ExtractFrame()!)[^1] > frozen[^1] + 5, Wait, "fresh frames after Start");
        var resumed = Frames.Whole(client.ExtractFrame()!);
        Assert.True(resumed[^1] > frozen[^1] + 5);
    }

    [Fact]
    public void Clear_then_a_new_setup_works_on_the_same_client()
    {
        using var client = Connect();
        Frames.WaitForBatch(client, 5, Wait);
        client.Clear();
        Assert.Throws<InvalidOperationException>(() => client.ExtractFrame());
        Assert.Equal(_server.Url, client.GetParameter("videoAddress"));
        Assert.True(client.FFmpegSetup(), client.LastError); // the address is kept
        Assert.True(client.Start());
        Frames.Whole(Frames.WaitForBatch(client, 5, Wait));
        client.Dispose();
        client.Dispose();
    }

    [Fact]
    public void Four_readers_while_the_writer_runs_never_see_a_torn_frame()
    {
        using var client = Connect(width: 640, height: 480, readSize: 3, cacheSize: 6);
        Frames.WaitForBatch(client, 3, Wait);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long batches = 0;
        var readers = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            while (DateTime.UtcNow < until)
            {
                var indices = Frames.Indices(client.ExtractFrame()!);
                if (indices.Count != 3) errors.Enqueue($"got {indices.Count} frames");
                for (int i = 0; i < indices.Count; i++)
                {
                    if (indices[i].top != indices[i].bottom) errors.Enqueue($"torn frame {indices[i]}");
                    if (i > 0 && indices[i].top != indices[i - 1].top + 1) errors.Enqueue("batch not consecutive");
                }
                Interlocked.Increment(ref batches);
            }
        })).ToList();
        readers.ForEach(r => r.Start());
        readers.ForEach(r => r.Join());
        Assert.Empty(errors);
        Assert.True(batches > 100, $"only {batches} reads");
    }
}

/// <summary>The remote side closing: this class kills its own server.</summary>
public class MpegClientRemoteCloseTests
{
    [Fact]
    public void When_the_server_goes_away_extract_frame_returns_null()
    {
        using var server = RtspTestServer.Start();
        using var client = new MpegClient();
        client.SetParameter(readSize: 5, cacheSize: 10);
        Assert.True(client.FFmpegSetup(server.Url), client.LastError);
        Assert.True(client.Start());
        Frames.WaitForBatch(client, 5, TimeSpan.FromSeconds(15));
        server.StopServer();
        // TCP sees the close at once; UDP (FFmpeg's default RTSP transport) ends at the stall timeout.
        Frames.WaitUntil(() => client.ExtractFrame() is null, MpegClient.DefaultStallTimeout + TimeSpan.FromSeconds(5), "the end of the stream");
        Assert.NotNull(client.LastError);
        Assert.False(client.Start());
        client.Clear();
    }
}
