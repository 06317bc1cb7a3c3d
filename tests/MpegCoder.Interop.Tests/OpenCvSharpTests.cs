using MpegCoder.OpenCvSharp;
using MpegCoder.Tests.Infrastructure;
using OpenCvSharp;
using Xunit;

namespace MpegCoder.Interop.Tests;

public class OpenCvSharpTests(LiveStreamFixture live) : IClassFixture<LiveStreamFixture>
{
    [Fact]
    public async Task A_frame_is_a_Mat_over_its_own_pixels_in_BGR_order()
    {
        await using var stream = await OpenCvFrames.OpenAsync(Clips.BarcodeClip(2));
        Assert.Equal(FramePixelFormat.Bgr24, stream.PixelFormat);
        int checkedFrames = 0;
        await foreach (var frame in stream.ReadFramesAsync())
        {
            using (frame)
            using (var view = frame.AsMat())
            {
                Mat mat = view.Mat;
                Assert.Equal((frame.Height, frame.Width, MatType.CV_8UC3), (mat.Rows, mat.Cols, mat.Type()));
                unsafe
                {
                    fixed (byte* pixels = frame.Pixels)
                        Assert.Equal((IntPtr)pixels, mat.Data); // no copy: the Mat's data is the frame's buffer
                }
                // OpenCV reads the same picture: its BGR to RGB conversion carries the frame's barcode.
                using var rgb = new Mat();
                Cv2.CvtColor(mat, rgb, ColorConversionCodes.BGR2RGB);
                Assert.True(rgb.GetArray(out Vec3b[] values));
                byte[] bytes = values.SelectMany(v => new[] { v.Item0, v.Item1, v.Item2 }).ToArray();
                var (top, bottom) = Barcode.ReadFrame(bytes, frame.Width, frame.Height);
                var (expectedTop, _) = Barcode.ReadFrame(frame.Pixels, frame.Width, frame.Height);
                Assert.Equal(top, bottom);
                Assert.Equal(expectedTop, top);
                Assert.InRange(top, 0, 49);
                checkedFrames++;
            }
        }
        Assert.True(checkedFrames > 0);
    }

    [Fact]
    public async Task The_newest_frames_of_a_live_stream_are_read_straight_into_the_callers_Mats()
    {
        await using var stream = await OpenCvFrames.OpenAsync(live.Server.Url, new StreamOptions { ReadSize = 5, CacheSize = 10 });
        using var mats = FrameMats.For(stream, 5);
        await WaitForFrames(stream, 5);
        Assert.Equal(5, mats.ReadNewest(stream));
        var indices = Enumerable.Range(0, 5).Select(i => ReadIndex(mats[i])).ToArray();
        var sequences = mats.Metadata.ToArray().Select(m => m.Sequence).ToArray();
        for (int i = 1; i < 5; i++)
        {
            Assert.Equal(indices[i - 1] + 1, indices[i]);           // consecutive, oldest first
            Assert.Equal(sequences[i - 1] + 1, sequences[i]);
        }
        // The Mats are reused: the next read overwrites them in place, allocating nothing.
        IntPtr first = mats[0].Data;
        await stream.WaitForNewFrameAsync(mats.Metadata[4].Sequence);
        Assert.Equal(5, mats.ReadNewest(stream));
        Assert.Equal(first, mats[0].Data);
        Assert.True(ReadIndex(mats[4]) > indices[4]);
    }

    [Fact]
    public void The_port_reads_into_Mats_too()
    {
        using var client = new MpegClient();
        client.Options = client.Options with { PixelFormat = FramePixelFormat.Bgr24 };
        client.SetParameter(readSize: 3, cacheSize: 6);
        Assert.True(client.FFmpegSetup(live.Server.Url), client.LastError);
        client.Start();
        using var mats = new FrameMats(3, live.Server.Width, live.Server.Height);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (mats.ReadNewest(client) < 3 && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        Assert.Equal(3, mats.Count);
        Assert.Equal(ReadIndex(mats[0]) + 2, ReadIndex(mats[2]));
    }

    [Fact]
    public async Task ReadNewest_on_a_file_returns_the_newest_frame_and_takes_nothing()
    {
        // A file's writer waits for its readers: with a ring of 2 and nobody taking, frames 0 and 1 are stored.
        string clip = Clips.BarcodeClip(2);
        await using (var stream = await OpenCvFrames.OpenAsync(clip))
        {
            using var mats = FrameMats.For(stream, 1);
            await WaitForFrames(stream, 1);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(1, mats.ReadNewest(stream));
                Assert.Equal((1L, 1L), (mats.Metadata[0].Sequence, stream.NewestSequence));
                Assert.Equal(1, ReadIndex(mats[0]));
                Thread.Sleep(100); // room for a writer that a read had wrongly released
            }
            // Newest reads beside an enumeration take none of its frames.
            var reading = Task.Run(async () =>
            {
                var indices = new List<long>();
                await foreach (var frame in stream.ReadFramesAsync())
                    using (frame) indices.Add(frame.Metadata.Sequence);
                return indices;
            });
            while (!reading.IsCompleted) mats.ReadNewest(stream);
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), await reading.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        using var client = new MpegClient();
        client.Options = client.Options with { PixelFormat = FramePixelFormat.Bgr24 };
        Assert.True(client.FFmpegSetup(clip), client.LastError);
        Assert.True(client.Start());
        using var clientMats = new FrameMats(1, 320, 240);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (client.Statistics.FramesStored < 2 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(1, clientMats.ReadNewest(client));
            Assert.Equal(1, ReadIndex(clientMats[0]));
            Thread.Sleep(100);
            Assert.Equal(2, client.Statistics.FramesStored);
        }
        Assert.Equal(0, FirstIndex(client.ExtractFrame()!)); // the port's own read still starts at the first frame
    }

    private static int FirstIndex(byte[,,,] batch)
    {
        var bgr = new byte[batch.GetLength(1) * batch.GetLength(2) * 3];
        Buffer.BlockCopy(batch, 0, bgr, 0, bgr.Length);
        using var mat = Mat.FromPixelData(batch.GetLength(1), batch.GetLength(2), MatType.CV_8UC3, bgr);
        return ReadIndex(mat);
    }

    [Fact]
    public void Mats_of_another_size_are_refused_with_the_reason()
    {
        using var client = new MpegClient();
        client.SetParameter(readSize: 1);
        Assert.True(client.FFmpegSetup(live.Server.Url), client.LastError);
        using var mats = new FrameMats(1, 64, 64);
        var error = Assert.Throws<ArgumentException>(() => mats.ReadNewest(client));
        Assert.Contains("do not match", error.Message);
    }

    internal static async Task WaitForFrames(VideoStream stream, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (stream.NewestSequence < count)
            await stream.WaitForNewFrameAsync(stream.NewestSequence, timeout.Token);
    }

    private static int ReadIndex(Mat bgr)
    {
        Assert.True(bgr.GetArray(out Vec3b[] values));
        byte[] bytes = values.SelectMany(v => new[] { v.Item2, v.Item1, v.Item0 }).ToArray();
        var (top, bottom) = Barcode.ReadFrame(bytes, bgr.Cols, bgr.Rows);
        Assert.Equal(top, bottom);
        return top;
    }
}
