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
        using var write = ring.BeginWrite();
        new Span<byte>(write.Pointer, FrameBytes).Fill((byte)(value % 251));
        write.Commit(new FrameMetadata(0, value * 10, null, default, value, value == 0));
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
        using (ring.BeginWrite())
        {
            // disposed without a commit: given back
        }
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
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var writer = new Thread(() =>
        {
            for (long v = 0; DateTime.UtcNow < stop; v++)
            {
                using var write = ring.BeginWrite();
                new Span<byte>(write.Pointer, 4096).Fill((byte)(v % 251));
                write.Commit(new FrameMetadata(0, v, null, default, v, false));
                if (v % 64 == 0 && ring.CheckInvariants(writer: true) is { } broken) failures.Enqueue(broken);
                written = v + 1;
            }
        });
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
        Assert.Null(ring.CheckInvariants(writer: true));
        Assert.True(written > 1000, $"writer stored only {written} frames");
        Assert.True(batches > 1000, $"readers made only {batches} reads");
    }

    [Fact]
    public void A_throw_between_begin_and_commit_gives_the_slot_back_and_never_hangs_a_reader()
    {
        var ring = new FrameRing(2, FrameBytes);
        Write(ring, 0);
        Write(ring, 1);
        // The next write takes the slot of frame 0, which a read of both frames needs.
        Assert.Throws<InvalidOperationException>((Action)(() =>
        {
            using var write = ring.BeginWrite();
            new Span<byte>(write.Pointer, FrameBytes).Fill(99);
            throw new InvalidOperationException("the conversion failed");
        }));
        FrameMetadata[]? infos = null;
        var reader = new Thread(() => { var (count, _, all) = Read(ring, 2); infos = all[..count]; }) { IsBackground = true };
        reader.Start();
        Assert.True(reader.Join(TimeSpan.FromSeconds(5)), "a reader hung on the slot of a failed write");
        // Frame 0's slot was half overwritten: it is gone, and the read returns what is left.
        Assert.Equal([1L], infos!.Select(i => i.Sequence));
        Write(ring, 2);
        var (n, _, latest) = Read(ring, 2);
        Assert.Equal([1L, 2L], latest[..n].Select(i => i.Sequence));
        Assert.Null(ring.CheckInvariants(writer: true));
    }

    [Fact]
    public void A_lossless_ring_hands_out_every_frame_once_in_order_and_the_writer_waits_for_room()
    {
        var ring = new FrameRing(3, FrameBytes, lossless: true);
        var stop = new StreamInterrupt();
        const int total = 500;
        var writer = new Thread(() =>
        {
            for (long v = 0; v < total; v++)
            {
                Assert.True(ring.WaitForRoom(stop));
                Write(ring, v);
            }
        });
        writer.Start();
        var seen = new List<long>();
        var bytes = new byte[2 * FrameBytes];
        var infos = new FrameMetadata[2];
        while (seen.Count < total)
        {
            int n = ring.TakeOldest(2, bytes, infos);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal((byte)(infos[i].Sequence % 251), bytes[i * FrameBytes]);
                seen.Add(infos[i].Sequence);
            }
            Assert.Null(ring.CheckInvariants(writer: false));
        }
        writer.Join();
        Assert.Equal(Enumerable.Range(0, total).Select(i => (long)i), seen);
        Assert.Equal(0, ring.Untaken);
    }

    [Fact]
    public void A_writer_waiting_for_room_returns_at_once_when_asked_to_stop_and_burns_no_cpu()
    {
        var ring = new FrameRing(2, FrameBytes, lossless: true);
        Write(ring, 0);
        Write(ring, 1);
        var stop = new StreamInterrupt();
        bool? result = null;
        long cpuTicks = -1;
        var writer = new Thread(() =>
        {
            long before = ThreadCpuTicks();
            result = ring.WaitForRoom(stop);
            cpuTicks = ThreadCpuTicks() - before;
        });
        writer.Start();
        Thread.Sleep(500);
        Assert.True(writer.IsAlive, "the writer did not wait for a full ring");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        stop.RequestStop();
        ring.WakeWriter();
        Assert.True(writer.Join(TimeSpan.FromSeconds(2)));
        Assert.True(clock.ElapsedMilliseconds < 500);
        Assert.False(result);
        Assert.InRange(cpuTicks, 0, 5); // the waiting thread's own CPU time, in 10 ms ticks, over 500 ms
        // A take makes room: the wait then succeeds.
        stop.ClearStop();
        Assert.Equal(1, ring.TakeOldest(1, new byte[FrameBytes], default));
        Assert.True(ring.WaitForRoom(stop));
    }

    /// <summary>The calling thread's user + system CPU time in clock ticks (Linux: /proc/thread-self/stat).</summary>
    private static long ThreadCpuTicks()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15)
    }
}
