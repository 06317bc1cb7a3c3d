using MpegCoder.Pipeline;
using Xunit;

namespace MpegCoder.Tests.Unit;

/// <summary>The ring without FFmpeg: frames are plain byte patterns written through the writer API.</summary>
public unsafe class FrameRingTests
{
    private const int FrameBytes = 64;

    /// <summary>Writes frame number <paramref name="value"/>: every byte of it is value % 251.</summary>
    private static void Write(FrameRing ring, long value)
    {
        byte* slot = ring.BeginWrite();
        new Span<byte>(slot, FrameBytes).Fill((byte)(value % 251));
        ring.Commit(new FrameMetadata(0, value * 10, null, default, value, value == 0));
    }

    private static (int count, byte[] bytes, FrameMetadata[] infos) Read(FrameRing ring, int n)
    {
        var bytes = new byte[n * FrameBytes];
        var infos = new FrameMetadata[n];
        int count = ring.CopyNewest(n, bytes, infos);
        return (count, bytes, infos);
    }

    [Fact]
    public void Empty_ring_returns_nothing()
    {
        var ring = new FrameRing(4, FrameBytes);
        Assert.Equal(0, Read(ring, 3).count);
        Assert.Equal(0, ring.Available);
    }

    [Fact]
    public void Fewer_frames_than_asked_returns_only_real_frames_oldest_first()
    {
        var ring = new FrameRing(8, FrameBytes);
        Write(ring, 0);
        Write(ring, 1);
        var (count, bytes, infos) = Read(ring, 5);
        Assert.Equal(2, count);
        Assert.Equal([0L, 1L], infos[..2].Select(i => i.Sequence));
        Assert.All(bytes.AsSpan(0, FrameBytes).ToArray(), b => Assert.Equal(0, b));
        Assert.All(bytes.AsSpan(FrameBytes, FrameBytes).ToArray(), b => Assert.Equal(1, b));
        Assert.Equal(10, infos[1].Pts);
        Assert.True(infos[0].IsKeyFrame);
    }

    [Fact]
    public void After_wrapping_returns_the_newest_frames_in_order()
    {
        var ring = new FrameRing(12, FrameBytes);
        for (int i = 0; i < 25; i++) Write(ring, i);
        var (count, bytes, infos) = Read(ring, 5);
        Assert.Equal(5, count);
        Assert.Equal([20L, 21L, 22L, 23L, 24L], infos.Select(i => i.Sequence));
        for (int i = 0; i < 5; i++) Assert.Equal(20 + i, bytes[i * FrameBytes]);
        Assert.Equal(12, Read(ring, 12).count);
    }

    [Fact]
    public void An_aborted_write_publishes_nothing()
    {
        var ring = new FrameRing(3, FrameBytes);
        Write(ring, 0);
        ring.BeginWrite();
        ring.Abort();
        Write(ring, 1);
        var (count, _, infos) = Read(ring, 3);
        Assert.Equal(2, count);
        Assert.Equal([0L, 1L], infos[..2].Select(i => i.Sequence));
    }

    [Fact]
    public void Reading_more_than_the_capacity_is_rejected()
    {
        var ring = new FrameRing(3, FrameBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.CopyNewest(4, new byte[4 * FrameBytes], default));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.CopyNewest(-1, new byte[FrameBytes], default));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameRing(0, FrameBytes));
    }

    [Fact]
    public void Concurrent_readers_never_see_a_torn_or_out_of_order_frame()
    {
        // One writer fills whole frames with one byte value; four readers check that every frame they
        // copy is uniform (not torn) and that each batch is consecutive, oldest first.
        var ring = new FrameRing(6, 4096);
        var stop = DateTime.UtcNow + TimeSpan.FromSeconds(1.5);
        long written = 0;
        var writer = new Thread(() =>
        {
            for (long v = 0; DateTime.UtcNow < stop; v++)
            {
                byte* slot = ring.BeginWrite();
                new Span<byte>(slot, 4096).Fill((byte)(v % 251));
                ring.Commit(new FrameMetadata(0, v, null, default, v, false));
                written = v + 1;
            }
        });
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long batches = 0;
        var readers = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            var bytes = new byte[3 * 4096];
            var infos = new FrameMetadata[3];
            while (DateTime.UtcNow < stop)
            {
                int count = ring.CopyNewest(3, bytes, infos);
                for (int i = 0; i < count; i++)
                {
                    var frame = bytes.AsSpan(i * 4096, 4096);
                    byte expected = (byte)(infos[i].Sequence % 251);
                    if (frame.IndexOfAnyExcept(expected) >= 0) failures.Enqueue($"torn frame {infos[i].Sequence}");
                    if (i > 0 && infos[i].Sequence != infos[i - 1].Sequence + 1) failures.Enqueue("batch not consecutive");
                }
                Interlocked.Increment(ref batches);
            }
        })).ToList();
        writer.Start();
        readers.ForEach(r => r.Start());
        writer.Join();
        readers.ForEach(r => r.Join());
        Assert.Empty(failures);
        Assert.True(written > 1000, $"writer stored only {written} frames");
        Assert.True(batches > 1000, $"readers made only {batches} reads");
    }
}
