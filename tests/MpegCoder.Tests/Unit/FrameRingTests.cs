using MpegCoder.Lifecycle;
using MpegCoder.Recording;
using MpegCoder.Streaming;
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
        write.Commit(new FrameMetadata { Pts = value * 10, ReceivedTimestamp = value, IsKeyFrame = value == 0 });
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
                write.Commit(new FrameMetadata { Pts = v, ReceivedTimestamp = v });
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
        using var cursor = ring.OpenCursor();
        writer.Start();
        var seen = new List<long>();
        var bytes = new byte[2 * FrameBytes];
        var infos = new FrameMetadata[2];
        while (seen.Count < total)
        {
            int n = cursor.Take(2, bytes, infos);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal((byte)(infos[i].Sequence % 251), bytes[i * FrameBytes]);
                seen.Add(infos[i].Sequence);
            }
            Assert.Null(ring.CheckInvariants(writer: false, cursor));
        }
        writer.Join();
        Assert.Equal(Enumerable.Range(0, total).Select(i => (long)i), seen);
        Assert.Equal(0, cursor.Untaken);
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
        using var cursor = ring.OpenCursor();
        Assert.Equal(1, cursor.Take(1, new byte[FrameBytes], default));
        Assert.True(ring.WaitForRoom(stop));
    }

    /// <summary>Takes every frame of <paramref name="cursor"/> that is stored now, one at a time.</summary>
    private static List<long> TakeAll(FrameRing.Cursor cursor)
    {
        var taken = new List<long>();
        var bytes = new byte[FrameBytes];
        while (cursor.TryTakeNext(bytes, out var info))
        {
            Assert.Equal((byte)(info.Sequence % 251), bytes[0]);
            taken.Add(info.Sequence);
        }
        return taken;
    }

    /// <summary>Writes frames while the ring has room for them (the writer's check), from <paramref name="next"/> on; returns the next frame number.</summary>
    private static long WriteWhileRoom(FrameRing ring, long next, long upTo)
    {
        var stop = new StreamInterrupt();
        stop.RequestStop(); // a full ring answers false at once instead of waiting
        while (next < upTo && ring.WaitForRoom(stop)) Write(ring, next++);
        return next;
    }

    [Fact]
    public void Two_cursors_each_take_every_frame_once_and_the_writer_waits_for_the_slower()
    {
        var ring = new FrameRing(3, FrameBytes, lossless: true);
        using var fast = ring.OpenCursor();
        using var slow = ring.OpenCursor();
        var fastSeen = new List<long>();
        var slowSeen = new List<long>();
        long next = WriteWhileRoom(ring, 0, 100);
        Assert.Equal(3, next); // full: nobody has taken anything
        for (int round = 0; round < 40; round++)
        {
            fastSeen.AddRange(TakeAll(fast));
            next = WriteWhileRoom(ring, next, 100);
            Assert.Equal(slow.Position + 3, ring.Published); // the fast cursor alone does not make room
            if (round % 4 == 3) slowSeen.AddRange(TakeAll(slow));
            next = WriteWhileRoom(ring, next, 100);
            Assert.Null(ring.CheckInvariants(writer: true));
        }
        fastSeen.AddRange(TakeAll(fast));
        slowSeen.AddRange(TakeAll(slow));
        Assert.Equal(Enumerable.Range(0, (int)next).Select(i => (long)i), fastSeen);
        Assert.Equal(Enumerable.Range(0, (int)next).Select(i => (long)i), slowSeen);
    }

    [Fact]
    public void A_closed_cursor_no_longer_holds_the_writer_and_the_next_goes_on_where_the_last_stopped()
    {
        var ring = new FrameRing(2, FrameBytes, lossless: true);
        var reader = ring.OpenCursor();
        var idle = ring.OpenCursor();
        long next = WriteWhileRoom(ring, 0, 10);
        Assert.Equal([0L, 1L], TakeAll(reader));
        Assert.Equal(2, next = WriteWhileRoom(ring, next, 10)); // the idle cursor holds the writer
        idle.Dispose();
        idle.Dispose(); // idempotent
        Assert.Equal(4, next = WriteWhileRoom(ring, next, 10));
        Assert.Equal([2L, 3L], TakeAll(reader));
        Assert.Equal(0, reader.Take(1, new byte[FrameBytes], default)); // nothing left: a take copies none
        reader.Dispose();
        // No cursor open: the writer still stops at a full ring, and the next cursor starts where the last stopped.
        Assert.Equal(6, next = WriteWhileRoom(ring, next, 10));
        using var later = ring.OpenCursor();
        Assert.Equal(4, later.Position);
        Assert.Equal([4L, 5L], TakeAll(later));
        Assert.Null(ring.CheckInvariants(writer: true));
    }

    [Fact]
    public void The_first_cursor_starts_at_the_first_frame_and_a_newest_copy_takes_nothing()
    {
        var ring = new FrameRing(3, FrameBytes, lossless: true);
        long next = WriteWhileRoom(ring, 0, 10);
        Assert.Equal(3, next);
        for (int i = 0; i < 3; i++)
        {
            var (count, _, infos) = Read(ring, 1);
            Assert.Equal(1, count);
            Assert.Equal(2, infos[0].Sequence); // the newest, every time
        }
        Assert.Equal(3, WriteWhileRoom(ring, next, 10)); // and the writer still waits
        using var cursor = ring.OpenCursor();
        Assert.Equal([0L, 1L, 2L], TakeAll(cursor));
    }

    [Fact]
    public void Cursors_open_and_close_while_the_writer_runs_without_losing_a_frame()
    {
        var ring = new FrameRing(4, FrameBytes, lossless: true);
        var stop = new StreamInterrupt();
        const int total = 3000;
        using var steady = ring.OpenCursor();
        var writer = new Thread(() =>
        {
            for (long v = 0; v < total; v++)
            {
                if (!ring.WaitForRoom(stop)) return;
                Write(ring, v);
            }
        });
        writer.Start();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var churn = new Thread(() =>
        {
            var bytes = new byte[FrameBytes];
            while (steady.Position < total - 50)
            {
                using var cursor = ring.OpenCursor();
                long expected = cursor.Position;
                for (int i = 0; i < 5 && cursor.Position < total; )
                {
                    if (!cursor.TryTakeNext(bytes, out var info)) { Thread.Yield(); continue; }
                    if (info.Sequence != expected++) failures.Enqueue($"a churning cursor got {info.Sequence}, expected {expected - 1}");
                    if (bytes[0] != (byte)(info.Sequence % 251)) failures.Enqueue($"frame {info.Sequence} overwritten while a cursor held it");
                    i++;
                }
            }
        });
        churn.Start();
        var seen = new List<long>();
        var one = new byte[FrameBytes];
        while (seen.Count < total)
        {
            if (steady.TryTakeNext(one, out var info)) seen.Add(info.Sequence);
            else Thread.Yield();
        }
        writer.Join();
        churn.Join();
        Assert.Empty(failures);
        Assert.Equal(Enumerable.Range(0, total).Select(i => (long)i), seen);
    }

    [Fact]
    public void A_slot_given_back_unconverted_leaves_a_reader_of_the_next_frame_waiting_not_spinning()
    {
        // An overwriting ring whose writer gives back the slot of the oldest frame (a conversion failed):
        // that frame is gone, and the next-frame read skips it at once and then has nothing to copy.
        var ring = new FrameRing(2, FrameBytes);
        Write(ring, 0);
        Write(ring, 1);
        long next = 0;
        using (ring.BeginWrite())
        {
            // disposed without a commit: the conversion failed
        }
        bool[] results = new bool[3];
        long firstSequence = -1;
        long cpuTicks = -1;
        var reader = new Thread(() =>
        {
            long before = ThreadCpuTicks();
            var bytes = new byte[FrameBytes];
            results[0] = ring.TryCopyNext(ref next, bytes, out var first);
            firstSequence = first.Sequence;
            for (int i = 1; i < 3; i++) results[i] = ring.TryCopyNext(ref next, bytes, out _);
            cpuTicks = ThreadCpuTicks() - before;
        }) { IsBackground = true };
        reader.Start();
        Assert.True(reader.Join(TimeSpan.FromSeconds(5)), "the read of the next frame spun on the given-back slot");
        Assert.Equal([true, false, false], results);
        Assert.Equal(1, firstSequence);
        Assert.Equal(2, next);
        Assert.InRange(cpuTicks, 0, 5);
    }

    /// <summary>The calling thread's user + system CPU time in clock ticks (Linux: /proc/thread-self/stat).</summary>
    private static long ThreadCpuTicks()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15)
    }
}
