using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MpegCoder.Decoding;
using MpegCoder.Lifecycle;
using MpegCoder.Recording;

namespace MpegCoder.Streaming;

/// <summary>
/// A fixed ring of frame slots shared by one writer thread and any number of reader threads.
/// </summary>
/// <remarks>
/// Invariants (checked by <see cref="CheckInvariants"/>, asserted in Debug builds after every commit and take):
/// <list type="bullet">
/// <item>Exactly one thread writes (the stream's writer thread); it stores frame number s into slot s % Capacity.</item>
/// <item><see cref="Published"/> is the number of frames stored; frames Published-1 ... Published-Capacity
///   are complete and each slot's metadata carries its own sequence number. Published grows only after the
///   slot's pixels and info are written and its lock released.</item>
/// <item>Each slot has its own lock: a writer holds it exclusively while it fills the slot; readers share it
///   while they copy. So no reader ever copies a half-written slot, and the writer never overwrites a slot
///   that is being copied: it waits for those readers instead (the ring is about 2x the read size so it
///   rarely has to).</item>
/// <item>The writer holds at most one slot lock and waits for nothing while holding it; readers only ever
///   wait for the writer. Hence no cycle, no deadlock, whatever the number of readers. A write is a
///   <see cref="SlotWrite"/> scope: disposing it without a commit gives the slot back, so an exception
///   between the two never leaves a slot locked and never hangs a reader.</item>
/// <item>A writer waiting for a slot raises a flag that keeps new readers off that slot, so a stream of
///   readers cannot starve it; those readers wanted a frame that is about to be overwritten anyway.</item>
/// <item>In a lossless ring, frames are taken through cursors (<see cref="OpenCursor"/>): each reader has its own
///   position, and the writer waits for the slowest. <c>_slowest</c> is a lower bound on every open cursor's
///   position and only grows: 0 &lt;= _slowest &lt;= cursor.Position &lt;= Published &lt;= _slowest + Capacity. The
///   writer never begins a frame while Published - _slowest == Capacity (it waits in <see cref="WaitForRoom"/>),
///   so a frame at or after any cursor is never overwritten. A new cursor starts at _slowest: the frames from
///   there on are all still stored. See FrameRing.Cursors.cs.</item>
/// </list>
/// The pixel buffers live on the pinned object heap, so the writer can hand their address to native code.
/// </remarks>
internal sealed unsafe partial class FrameRing
{
    private const int Free = 0;
    private const int Writing = -1;
    private const int WriterWaiting = 1 << 30;

    private readonly Slot[] _slots;
    private readonly ManualResetEventSlim? _room;
    private long _published;
    private long _oldest; // raised past a frame whose slot an aborted write left unusable
    private long _newestTimestamp; // the newest frame's ReceivedTimestamp; 0 before the first

    /// <param name="capacity">Slots.</param>
    /// <param name="frameBytes">Bytes of one frame.</param>
    /// <param name="lossless">Whether the writer waits for readers to take frames instead of overwriting them.</param>
    public FrameRing(int capacity, int frameBytes, bool lossless = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameBytes, 1);
        FrameBytes = frameBytes;
        Lossless = lossless;
        if (lossless) _room = new ManualResetEventSlim(false);
        _slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++) _slots[i] = new Slot(frameBytes);
    }

    public int Capacity => _slots.Length;

    public int FrameBytes { get; }

    /// <summary>Whether the writer waits for readers (<see cref="WaitForRoom"/>) instead of overwriting untaken frames.</summary>
    public bool Lossless { get; }

    /// <summary>Number of frames stored since the ring was made.</summary>
    public long Published => Volatile.Read(ref _published);

    /// <summary>When the newest frame was stored (its <see cref="FrameMetadata.ReceivedTimestamp"/>), or 0 before the first.</summary>
    public long NewestTimestamp => Volatile.Read(ref _newestTimestamp);

    /// <summary>Frames a non-consuming read can return now: min(Published, Capacity), less a frame an aborted write spoiled.</summary>
    public int Available => (int)(Published - Oldest(Published));

    /// <summary>The oldest frame still readable when <paramref name="published"/> frames are stored.</summary>
    private long Oldest(long published) => Math.Max(Math.Max(published - Capacity, 0), Volatile.Read(ref _oldest));

    /// <summary>
    /// Writer only. Locks the slot of the next frame, waiting for readers still copying it, and returns the
    /// write scope: write <see cref="FrameBytes"/> to its <see cref="SlotWrite.Pointer"/>, then
    /// <see cref="SlotWrite.Commit"/>; disposing it uncommitted gives the slot back unpublished.
    /// </summary>
    public SlotWrite BeginWrite()
    {
        Debug.Assert(!Lossless || Published - Slowest < Capacity, "a lossless writer must wait for room first");
        var slot = _slots[_published % _slots.Length];
        var spin = new SpinWait();
        while (true)
        {
            int state = Volatile.Read(ref slot.State);
            if ((state & ~WriterWaiting) == 0 && Interlocked.CompareExchange(ref slot.State, Writing, state) == state)
                break;
            if ((state & WriterWaiting) == 0)
                Interlocked.CompareExchange(ref slot.State, state | WriterWaiting, state);
            spin.SpinOnce(sleep1Threshold: 20);
        }
        slot.Info = slot.Info with { Sequence = -1 };
        return new SlotWrite(this, slot);
    }

    /// <summary>
    /// Lossless rings, writer only: waits, without spinning, until the slowest cursor has taken the frame whose
    /// slot the next write reuses. Returns false at once when <paramref name="stop"/> asks the writer to stop
    /// (see <see cref="WakeWriter"/>). Other rings never wait.
    /// </summary>
    /// <remarks>
    /// Per frame this is two volatile reads: the cursors are looked at (under the cursors' lock, a scan of a
    /// small array) only when the bound <c>_slowest</c> says the ring is full.
    /// </remarks>
    public bool WaitForRoom(StreamInterrupt stop)
    {
        if (_room is null || Published - Slowest < Capacity) return true;
        while (true)
        {
            _room.Reset();
            // Re-check after the reset: a take or a stop that came before it would otherwise be lost.
            if (Published - RaiseSlowest() < Capacity) return true;
            if (stop.StopRequested) return false;
            _room.Wait();
        }
    }

    /// <summary>Wakes a writer waiting in <see cref="WaitForRoom"/> so that it sees a stop request.</summary>
    public void WakeWriter() => _room?.Set();

    private void Commit(Slot slot, in FrameMetadata metadata)
    {
        long sequence = _published;
        Debug.Assert(ReferenceEquals(slot, _slots[sequence % _slots.Length]), "commit of a slot that is not the next one");
        slot.Info = metadata with { Sequence = sequence };
        Volatile.Write(ref slot.State, Free);
        Volatile.Write(ref _published, sequence + 1);
        Volatile.Write(ref _newestTimestamp, metadata.ReceivedTimestamp);
        AssertInvariants(writer: true);
    }

    /// <summary>
    /// Gives the slot back unpublished. Its pixels may be half overwritten, so the frame it held is gone:
    /// readers are told first (<c>_oldest</c>), then the slot is released, so none waits for that frame.
    /// </summary>
    private void Abort(Slot slot)
    {
        Volatile.Write(ref _oldest, Math.Max(_published - Capacity + 1, 0));
        Volatile.Write(ref slot.State, Free);
    }

    /// <summary>
    /// Copies the newest <paramref name="count"/> frames, oldest first, into <paramref name="destination"/>
    /// (count x FrameBytes) and their info into <paramref name="infos"/> (may be empty). Returns how many
    /// were copied: fewer than asked only while fewer frames than that have been stored. Never pads.
    /// Consumes nothing, even in a lossless ring.
    /// </summary>
    public int CopyNewest(int count, Span<byte> destination, Span<FrameMetadata> infos)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Capacity);
        while (true)
        {
            long published = Published;
            int k = (int)Math.Min(count, published - Oldest(published));
            if (destination.Length < (long)k * FrameBytes) throw new ArgumentException("Destination too small.", nameof(destination));
            if (TryCopyRange(published - k, k, destination, infos)) return k;
            // The writer overwrote one of them between our snapshot and our lock: take a newer snapshot.
        }
    }

    /// <summary>
    /// Copies frame <paramref name="next"/> or, when it is no longer stored (overwritten, or spoiled by an
    /// aborted write), the oldest frame after it that is; advances <paramref name="next"/> past the frame
    /// copied. False, at once, when no frame at or after <paramref name="next"/> is stored yet.
    /// </summary>
    /// <remarks>
    /// Never spins: a copy fails only when the writer moved the ring on since the snapshot (a commit raises
    /// <see cref="Published"/>, an abort raises <c>_oldest</c> before it frees the slot), and the next round
    /// skips past that frame. So one call makes at most a few rounds, whatever the writer does next.
    /// </remarks>
    public bool TryCopyNext(ref long next, Span<byte> destination, out FrameMetadata metadata)
    {
        while (true)
        {
            long published = Published;
            long oldest = Oldest(published);
            if (next < oldest) next = oldest; // gone: skip ahead (the gap shows in the sequence numbers)
            if (next >= published)
            {
                metadata = default;
                return false;
            }
            if (TryCopy(next, destination, out metadata))
            {
                next++;
                return true;
            }
        }
    }

    /// <summary>Copies frames first .. first+k-1 under their slot locks; false if one of them is no longer there.</summary>
    private bool TryCopyRange(long first, int k, Span<byte> destination, Span<FrameMetadata> infos)
    {
        int locked = 0;
        bool current = true;
        for (; locked < k; locked++)
        {
            var slot = _slots[(first + locked) % _slots.Length];
            EnterRead(slot);
            if (slot.Info.Sequence != first + locked)
            {
                ExitRead(slot);
                current = false;
                break;
            }
        }
        if (current)
        {
            for (int i = 0; i < k; i++)
            {
                var slot = _slots[(first + i) % _slots.Length];
                slot.Buffer.AsSpan().CopyTo(destination.Slice(i * FrameBytes, FrameBytes));
                if (i < infos.Length) infos[i] = slot.Info;
            }
        }
        for (int i = 0; i < locked; i++) ExitRead(_slots[(first + i) % _slots.Length]);
        return current;
    }

    /// <summary>
    /// Copies the frame with sequence number <paramref name="sequence"/> if it is still in the ring.
    /// Returns false when it is not stored yet or has been overwritten.
    /// </summary>
    public bool TryCopy(long sequence, Span<byte> destination, out FrameMetadata metadata)
    {
        metadata = default;
        if (sequence < 0 || sequence >= Published) return false;
        var slot = _slots[sequence % _slots.Length];
        EnterRead(slot);
        try
        {
            if (slot.Info.Sequence != sequence) return false;
            slot.Buffer.AsSpan().CopyTo(destination);
            metadata = slot.Info;
            return true;
        }
        finally
        {
            ExitRead(slot);
        }
    }

    /// <summary>
    /// The invariants of the remarks, as a description of the first one broken, or null. Exact when called
    /// by the writer between two frames, or by the owner of <paramref name="taker"/> (it then checks the frames
    /// at and after its cursor, which the writer cannot touch).
    /// </summary>
    internal string? CheckInvariants(bool writer, Cursor? taker = null)
    {
        long published = Published;
        long slowest = Slowest;
        if (Lossless && (slowest < 0 || published - slowest > Capacity))
            return $"lossless ring: slowest cursor bound {slowest}, published {published}, capacity {Capacity}";
        if (!Lossless && slowest != 0) return $"a ring that overwrites holds its writer at {slowest}";
        if (CheckCursors(slowest) is { } cursors) return cursors;
        long oldest = writer ? Oldest(published) : taker?.Position ?? published;
        for (long s = oldest; s < published; s++)
        {
            var slot = _slots[s % _slots.Length];
            if (slot.Info.Sequence != s) return $"slot {s % _slots.Length} holds frame {slot.Info.Sequence}, expected {s}";
            int state = Volatile.Read(ref slot.State) & ~WriterWaiting;
            if (state < 0) return $"slot of stored frame {s} is locked for writing";
        }
        return null;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants(bool writer, Cursor? taker = null)
    {
        string? broken = CheckInvariants(writer, taker);
        Debug.Assert(broken is null, broken);
    }

    private static void EnterRead(Slot slot)
    {
        var spin = new SpinWait();
        while (true)
        {
            int state = Volatile.Read(ref slot.State);
            if (state >= 0 && (state & WriterWaiting) == 0 && Interlocked.CompareExchange(ref slot.State, state + 1, state) == state)
                return;
            // Bounded: the writer holds a slot only for one conversion, and its SlotWrite scope gives the
            // slot back even when that conversion throws.
            spin.SpinOnce(sleep1Threshold: 20);
        }
    }

    private static void ExitRead(Slot slot)
    {
        // A waiting writer may have set its flag meanwhile: decrement without touching the flag.
        Interlocked.Decrement(ref slot.State);
    }

    /// <summary>
    /// One frame being written: the slot stays locked until <see cref="Commit"/> publishes it or
    /// <see cref="Dispose"/> gives it back unpublished (use it with <c>using</c>).
    /// </summary>
    public ref struct SlotWrite
    {
        private readonly FrameRing _ring;
        private readonly Slot _slot;
        private bool _done;

        internal SlotWrite(FrameRing ring, Slot slot)
        {
            _ring = ring;
            _slot = slot;
            _done = false;
        }

        /// <summary>Where the frame's <see cref="FrameBytes"/> go.</summary>
        public readonly byte* Pointer => _slot.Pointer;

        /// <summary>Publishes the frame; the metadata's sequence number is set here.</summary>
        public void Commit(in FrameMetadata metadata)
        {
            Debug.Assert(!_done, "a slot write committed twice");
            _done = true;
            _ring.Commit(_slot, metadata);
        }

        /// <summary>Gives the slot back without publishing, unless it was committed.</summary>
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            _ring.Abort(_slot);
        }
    }

    internal sealed class Slot
    {
        public readonly byte[] Buffer;
        public readonly byte* Pointer;
        public int State;
        public FrameMetadata Info = new() { Sequence = -1 };

        public Slot(int frameBytes)
        {
            Buffer = GC.AllocateUninitializedArray<byte>(frameBytes, pinned: true);
            Pointer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Buffer));
        }
    }
}
