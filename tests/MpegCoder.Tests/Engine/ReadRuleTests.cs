using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Engine;

/// <summary>
/// The read rule on a file, whose writer waits for its readers: a newest read returns the newest stored
/// frames and moves nothing on; each ReadFramesAsync enumeration is its own cursor, so every enumeration
/// gets every frame, the writer waits for the slowest, and a disposed enumeration no longer holds it.
/// Frames are checked by their barcodes.
/// </summary>
public class ReadRuleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static int Index(ReadOnlySpan<byte> pixels, int width, int height)
    {
        var (top, bottom) = Barcode.ReadFrame(pixels, width, height);
        Assert.Equal(top, bottom);
        return top;
    }

    /// <summary>Opens the 75-frame clip and waits until its ring (2 frames) is full: the writer then waits.</summary>
    private static async Task<VideoStream> OpenFullAsync()
    {
        var stream = await VideoStream.OpenAsync(Clips.BarcodeClip(seconds: 3));
        using var timeout = new CancellationTokenSource(Wait);
        while (stream.NewestSequence < 1) await stream.WaitForNewFrameAsync(stream.NewestSequence, timeout.Token);
        return stream;
    }

    /// <summary>Every frame of <paramref name="frames"/> to its end, as barcode indices.</summary>
    private static async Task<List<int>> IndicesAsync(IAsyncEnumerator<VideoFrame> frames)
    {
        await Task.Yield();
        var indices = new List<int>();
        await using (frames)
        {
            while (await frames.MoveNextAsync())
                using (var frame = frames.Current)
                    indices.Add(Index(frame.Pixels, frame.Width, frame.Height));
        }
        return indices;
    }

    [Fact]
    public async Task Newest_reads_on_a_file_return_the_newest_frames_and_move_nothing_on()
    {
        await using var stream = await OpenFullAsync();
        var seen = new List<(long Read, long Newest)>();
        var pixels = new byte[stream.FrameBytes];
        var metadata = new FrameMetadata[1];
        for (int i = 0; i < 3; i++)
        {
            var batch = stream.ExtractFrames(1);
            Assert.Equal(1, batch.Count);
            seen.Add((batch.Metadata[0].Sequence, stream.NewestSequence));
            Assert.Equal(1, stream.CopyNewestFrames(pixels, metadata, 1));
            seen.Add((metadata[0].Sequence, stream.NewestSequence));
            Assert.Equal((int)metadata[0].Sequence, Index(pixels, stream.Width, stream.Height));
            Thread.Sleep(100); // room for a writer that a read had wrongly released
        }
        Assert.Equal(Enumerable.Repeat((1L, 1L), 6), seen);
        Assert.Equal(2, stream.Statistics.FramesStored);
    }

    [Fact]
    public async Task Newest_reads_do_not_steal_frames_from_an_enumeration()
    {
        await using var stream = await OpenFullAsync();
        var reading = IndicesAsync(stream.ReadFramesAsync().GetAsyncEnumerator());
        var pixels = new byte[stream.FrameBytes];
        int newest = 0;
        while (!reading.IsCompleted)
        {
            newest += stream.CopyNewestFrames(pixels, count: 1);
            newest += stream.ExtractFrames(1).Count;
        }
        Assert.Equal(Enumerable.Range(0, 75), await reading.WaitAsync(Wait));
        Assert.True(newest > 0);
    }

    [Fact]
    public async Task Two_enumerations_of_one_file_each_get_every_frame_once_in_order()
    {
        await using var stream = await VideoStream.OpenAsync(Clips.BarcodeClip(seconds: 3));
        using var timeout = new CancellationTokenSource(Wait);
        var frames = stream.ReadFramesAsync(timeout.Token);
        var first = frames.GetAsyncEnumerator();
        var second = frames.GetAsyncEnumerator();
        var both = await Task.WhenAll(Task.Run(() => IndicesAsync(first)), Task.Run(() => IndicesAsync(second)));
        Assert.Equal(Enumerable.Range(0, 75), both[0]);
        Assert.Equal(Enumerable.Range(0, 75), both[1]);
    }

    [Fact]
    public async Task A_disposed_enumeration_no_longer_holds_the_writer()
    {
        await using var stream = await VideoStream.OpenAsync(Clips.BarcodeClip(seconds: 3));
        using var timeout = new CancellationTokenSource(Wait);
        var reader = stream.ReadFramesAsync(timeout.Token).GetAsyncEnumerator();
        // One enumeration that reads a frame and stops, one that never moves: both disposed.
        var quitter = stream.ReadFramesAsync(timeout.Token).GetAsyncEnumerator();
        Assert.True(await quitter.MoveNextAsync());
        quitter.Current.Dispose();
        await quitter.DisposeAsync();
        await stream.ReadFramesAsync(timeout.Token).GetAsyncEnumerator().DisposeAsync();
        Assert.Equal(Enumerable.Range(0, 75), await IndicesAsync(reader));
    }

    [Fact]
    public async Task The_ports_newest_read_does_not_take_what_ExtractFrame_returns()
    {
        using var client = new MpegClient();
        Assert.True(client.FFmpegSetup(Clips.BarcodeClip(seconds: 3)), client.LastError);
        Assert.True(client.Start());
        Frames.WaitUntil(() => client.Statistics.FramesStored == 2, Wait, "a full ring");
        var pixels = new byte[client.FrameBytes];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(1, client.CopyNewestFrames(pixels));
            Assert.Equal(1, Index(pixels, 320, 240));
            Thread.Sleep(100);
            Assert.Equal(2, client.Statistics.FramesStored);
        }
        var indices = new List<int>();
        var newest = Task.Run(() =>
        {
            var buffer = new byte[client.FrameBytes];
            while (client.State != StreamState.Closed) client.CopyNewestFrames(buffer);
        });
        byte[,,,]? batch;
        while ((batch = client.ExtractFrame()) != null) indices.AddRange(Frames.Whole(batch));
        Assert.Equal(Enumerable.Range(0, 75), indices);
        await newest.WaitAsync(Wait);
        Assert.Equal(1, client.CopyNewestFrames(pixels)); // the last frame stays readable
        Assert.Equal(74, Index(pixels, 320, 240));
    }
}
