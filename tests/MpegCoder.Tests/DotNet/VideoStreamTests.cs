using System.Diagnostics;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.DotNet;

/// <summary>The .NET face against the live barcode server: metadata, async reads, waiting, zero-allocation copies.</summary>
public class VideoStreamTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly RtspTestServer _server = fixture.Server;

    private static List<int> Indices(ReadOnlySpan<byte> frames, int width, int height)
    {
        var indices = Barcode.ReadAll(frames, width, height);
        foreach (var (top, bottom) in indices) Assert.True(top == bottom, $"torn frame {top}/{bottom}");
        return indices.Select(i => i.top).ToList();
    }

    [Fact]
    public async Task Batches_carry_sequence_timestamps_arrival_and_keyframes()
    {
        await using var stream = await VideoStream.OpenAsync(_server.Url, new StreamOptions { ReadSize = 30, CacheSize = 30, RtspTransport = RtspTransport.Tcp });
        Assert.Equal(StreamState.Streaming, stream.State);
        Assert.True(await stream.WaitForNewFrameAsync(28).AsTask().WaitAsync(Wait));
        var batch = stream.ExtractFrames();
        Assert.Equal(30, batch.Count);
        var indices = Indices(batch.Data.Span, batch.Width, batch.Height);
        var meta = batch.Metadata.ToArray();
        var deltas = new List<double>();
        for (int i = 1; i < meta.Length; i++)
        {
            Assert.Equal(meta[i - 1].Sequence + 1, meta[i].Sequence);
            Assert.Equal(indices[i - 1] + 1, indices[i]);
            Assert.True(meta[i].ReceivedAt >= meta[i - 1].ReceivedAt);
            if (meta[i].PresentationTime is { } t && meta[i - 1].PresentationTime is { } previous)
                deltas.Add((t - previous).TotalMilliseconds);
        }
        // Live RTP timestamps are FFmpeg's to smooth and rebase while it synchronises with the sender
        // (the first frames after joining may have none): here they only have to move forward overall.
        // Their exact steps are checked on a file below.
        Assert.True(deltas.Count >= meta.Length / 2, $"only {deltas.Count} frames with timestamps");
        Assert.True(deltas.Sum() > 0, "presentation times advance");
        for (int i = 0; i < meta.Length; i++)
            Assert.True(meta[i].IsKeyFrame == (indices[i] % 25 == 0), $"frame {indices[i]}: keyframe flag {meta[i].IsKeyFrame}");
        Assert.InRange((DateTimeOffset.UtcNow - meta[^1].ReceivedAt).TotalSeconds, 0, 1);
        Assert.NotNull(meta[^1].PresentationTime);
        Assert.True(stream.NewestSequence >= meta[^1].Sequence);
    }

    [Fact]
    public async Task A_files_frames_carry_its_exact_timestamps()
    {
        await using var stream = await VideoStream.OpenAsync(Clips.BarcodeClip(2), new StreamOptions { CacheSize = 50 });
        Assert.False(await stream.WaitForNewFrameAsync(long.MaxValue - 1).AsTask().WaitAsync(Wait)); // read to its end
        var batch = stream.ExtractFrames(50);
        Assert.Equal(Enumerable.Range(0, 50), Indices(batch.Data.Span, batch.Width, batch.Height));
        var meta = batch.Metadata.ToArray();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), meta.Select(m => m.Sequence));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (TimeSpan?)TimeSpan.FromMilliseconds(40 * i)), meta.Select(m => m.PresentationTime));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i % 25 == 0), meta.Select(m => m.IsKeyFrame));
        Assert.Equal((1, 12800), stream.Info.TimeBase);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => 512L * i), meta.Select(m => m.Pts));
    }

    [Fact]
    public async Task ReadFramesAsync_yields_every_new_frame_once_in_order()
    {
        await using var stream = await VideoStream.OpenAsync(_server.Url, new StreamOptions { CacheSize = 50, RtspTransport = RtspTransport.Tcp });
        var sequences = new List<long>();
        var indices = new List<int>();
        using var cancel = new CancellationTokenSource(Wait);
        await foreach (var frame in stream.ReadFramesAsync(cancel.Token))
        {
            using (frame)
            {
                sequences.Add(frame.Metadata.Sequence);
                indices.AddRange(Indices(frame.Pixels, frame.Width, frame.Height));
            }
            if (sequences.Count == 40) break;
        }
        Assert.Equal(Enumerable.Range((int)sequences[0], 40).Select(i => (long)i), sequences);
        Assert.Equal(Enumerable.Range(indices[0], 40), indices);
    }

    [Fact]
    public async Task ReadFramesAsync_completes_when_the_stream_ends()
    {
        // A file waits for its reader: every frame, then the end.
        await using (var file = await VideoStream.OpenAsync(Clips.BarcodeClip(2), new StreamOptions { CacheSize = 60 }))
        {
            int all = 0;
            await foreach (var frame in file.ReadFramesAsync().WithCancellation(new CancellationTokenSource(Wait).Token))
                using (frame) all++;
            Assert.Equal(StreamState.Closed, file.State);
            Assert.Equal(50, all);
            Assert.Equal(49, file.ExtractFrames(1).Metadata[0].Sequence); // a newest read still returns the last frames
        }

        // Forced to overwrite, the file is read faster than anyone reads it: the reader sees what is left.
        await using var stream = await VideoStream.OpenAsync(Clips.BarcodeClip(2), new StreamOptions { CacheSize = 60, FullRing = FullRingPolicy.OverwriteOldest });
        int count = 0;
        await foreach (var frame in stream.ReadFramesAsync().WithCancellation(new CancellationTokenSource(Wait).Token))
            using (frame) count++;
        Assert.Equal(StreamState.Closed, stream.State);
        Assert.InRange(count, 1, 50);
        Assert.False(await stream.WaitForNewFrameAsync(stream.NewestSequence));
        Assert.Equal(50, stream.ExtractFrames(50).Count); // unlike the port, the last frames stay readable
    }

    [Fact]
    public async Task The_span_copy_allocates_nothing()
    {
        await using var stream = await VideoStream.OpenAsync(_server.Url, new StreamOptions { ReadSize = 5, CacheSize = 10 });
        Assert.True(await stream.WaitForNewFrameAsync(5).AsTask().WaitAsync(Wait));
        var buffer = new byte[5 * stream.FrameBytes];
        var metadata = new FrameMetadata[5];
        Assert.Equal(5, stream.CopyNewestFrames(buffer, metadata));
        for (int i = 0; i < 200; i++) stream.CopyNewestFrames(buffer, metadata); // warm up: past tiered compilation's call counting
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) stream.CopyNewestFrames(buffer, metadata);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(Enumerable.Range((int)metadata[0].Sequence, 5).Select(i => (long)i), metadata.Select(m => m.Sequence));
        Indices(buffer, stream.Width, stream.Height);
    }

    [Fact]
    public async Task Pause_resume_and_dispose_are_state_changes()
    {
        var states = new System.Collections.Concurrent.ConcurrentQueue<StreamState>();
        var stream = await VideoStream.OpenAsync(_server.Url);
        stream.StateChanged += (_, e) => states.Enqueue(e.State);
        Assert.True(await stream.WaitForNewFrameAsync().AsTask().WaitAsync(Wait));
        stream.Pause();
        Assert.Equal(StreamState.Paused, stream.State);
        long frozen = stream.NewestSequence;
        Thread.Sleep(300);
        Assert.Equal(frozen, stream.NewestSequence);
        Assert.True(stream.Resume());
        Assert.True(await stream.WaitForNewFrameAsync(frozen).AsTask().WaitAsync(Wait));
        await stream.DisposeAsync();
        Assert.Equal([StreamState.Paused, StreamState.Streaming, StreamState.Closed], states.ToArray());
        Assert.False(stream.Resume());
    }

    [Theory]
    [InlineData(FramePixelFormat.Rgb24, 3)]
    [InlineData(FramePixelFormat.Bgr24, 3)]
    [InlineData(FramePixelFormat.Rgba, 4)]
    [InlineData(FramePixelFormat.Gray8, 1)]
    public async Task Pixel_formats_have_their_layout(FramePixelFormat format, int bytesPerPixel)
    {
        // A pure red clip tells the channel order apart; every format also has the expected size.
        string folder = Directory.CreateTempSubdirectory("mpegcoder-red").FullName;
        string red = Path.Combine(folder, "red.mp4");
        ExternalTool.RunChecked("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=red:s=64x48:r=25", "-frames:v", "5",
            "-c:v", "libx264", "-pix_fmt", "yuv444p", "-qp", "0", red], TimeSpan.FromMinutes(1));
        await using var stream = await VideoStream.OpenAsync(red, new StreamOptions { PixelFormat = format, CacheSize = 5 });
        Assert.True(await stream.WaitForNewFrameAsync().AsTask().WaitAsync(Wait));
        var frame = stream.ExtractFrames(1).Frame(0);
        Assert.Equal(64 * 48 * bytesPerPixel, frame.Length);
        byte[] pixel = frame[..bytesPerPixel].ToArray();
        byte[] expected = format switch
        {
            FramePixelFormat.Rgb24 => [255, 0, 0],
            FramePixelFormat.Bgr24 => [0, 0, 255],
            FramePixelFormat.Rgba => [255, 0, 0, 255],
            _ => [76], // BT.601 luma of pure red (16..235 range scaled to full)
        };
        for (int i = 0; i < bytesPerPixel; i++)
            Assert.InRange(pixel[i], expected[i] - 12, expected[i] + 12);
    }
}

/// <summary>Opening: cancellation, typed errors, and the per-client logger.</summary>
public class VideoStreamOpenTests
{
    [Fact]
    public async Task Cancelling_interrupts_an_open_that_would_block()
    {
        using var silent = new SilentServer();
        // Loading FFmpeg's libraries (the first open in a process) is not an FFmpeg call that can be
        // interrupted and may take a second on a busy machine: done before the clock starts.
        FFmpegLibrary.EnsureLoaded();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            VideoStream.OpenAsync($"rtsp://127.0.0.1:{silent.Port}/video", new StreamOptions { OpenTimeout = TimeSpan.FromSeconds(30) }, cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_failed_open_throws_a_typed_exception_with_ffmpegs_code_and_log()
    {
        var e = await Assert.ThrowsAsync<StreamOpenException>(() => VideoStream.OpenAsync("rtsp://user:pw@127.0.0.1:9/video"));
        Assert.Equal(-111, e.FFmpegErrorCode); // AVERROR(ECONNREFUSED)
        Assert.Contains("Connection refused", e.Message);
        Assert.Contains("rtsp://***@127.0.0.1:9/video", e.Message);
        Assert.DoesNotContain("pw", e.Message);
        Assert.Contains("Connection refused", e.FFmpegLog);
    }

    [Fact]
    public async Task The_clients_logger_gets_ffmpegs_lines_for_that_client()
    {
        var logger = new ListLogger();
        await Assert.ThrowsAsync<StreamOpenException>(() =>
            VideoStream.OpenAsync("rtsp://127.0.0.1:9/video", new StreamOptions { Logger = logger }));
        Assert.Contains(logger.Lines, l => l.Contains("FFmpeg: ") && l.Contains("Connection refused"));
    }
}
