using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MpegCoder.Pipeline;

/// <summary>
/// A fixed ring of frame slots shared by one writer thread and any number of reader threads.
/// </summary>
/// <remarks>
/// Invariants:
/// <list type="bullet">
/// <item>Exactly one thread writes (the stream's writer thread); it stores frame number s into slot s % Capacity.</item>
/// <item><see cref="Published"/> is the number of frames stored; frames Published-1 ... Published-Capacity
///   are complete. It grows only after the slot's pixels and info are written and its lock released.</item>
/// <item>Each slot has its own lock: a writer holds it exclusively while it fills the slot; readers share it
///   while they copy. So no reader ever copies a half-written slot, and the writer never overwrites a slot
///   that is being copied: it waits for those readers instead (the ring is about 2x the read size so it
///   rarely has to).</item>
/// <item>The writer holds at most one slot lock and waits for nothing while holding it; readers only ever
///   wait for the writer. Hence no cycle, no deadlock, whatever the number of readers.</item>
/// <item>A writer waiting for a slot raises a flag that keeps new readers off that slot, so a stream of
///   readers cannot starve it; those readers wanted a frame that is about to be overwritten anyway.</item>
/// </list>
/// The pixel buffers live on the pinned object heap, so the writer can hand their address to native code.
/// </remarks>
internal sealed unsafe class FrameRing
{
    private const int Free = 0;
    private const int Writing = -1;
    private const int WriterWaiting = 1 << 30;

    private readonly Slot[] _slots;
    private long _published;

    public FrameRing(int capacity, int frameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameBytes, 1);
        FrameBytes = frameBytes;
        _slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++) _slots[i] = new Slot(frameBytes);
    }

    public int Capacity => _slots.Length;

    public int FrameBytes { get; }

    /// <summary>Number of frames stored since the ring was made.</summary>
    public long Published => Volatile.Read(ref _published);

    /// <summary>Frames a read can return now: min(Published, Capacity).</summary>
    public int Available => (int)Math.Min(Published, Capacity);

    /// <summary>
    /// Writer only. Locks the slot of the next frame, waiting for readers still copying it, and
    /// returns the address to write its FrameBytes to. Follow with <see cref="Commit"/> or <see cref="Abort"/>.
    /// </summary>
    public byte* BeginWrite()
    {
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
        return slot.Pointer;
    }

    /// <summary>Writer only. Publishes the slot begun by <see cref="BeginWrite"/>; the metadata's sequence number is set here.</summary>
    public void Commit(in FrameMetadata metadata)
    {
        long sequence = _published;
        var slot = _slots[sequence % _slots.Length];
        slot.Info = metadata with { Sequence = sequence };
        Volatile.Write(ref slot.State, Free);
        Volatile.Write(ref _published, sequence + 1);
    }

    /// <summary>Writer only. Gives back the slot begun by <see cref="BeginWrite"/> without publishing it.</summary>
    public void Abort()
    {
        var slot = _slots[_published % _slots.Length];
        Volatile.Write(ref slot.State, Free);
    }

    /// <summary>
    /// Copies the newest <paramref name="count"/> frames, oldest first, into <paramref name="destination"/>
    /// (count x FrameBytes) and their info into <paramref name="infos"/> (may be empty). Returns how many
    /// were copied: fewer than asked only while fewer frames than that have been stored. Never pads.
    /// </summary>
    public int CopyNewest(int count, Span<byte> destination, Span<FrameMetadata> infos)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Capacity);
        while (true)
        {
            long published = Published;
            int k = (int)Math.Min(count, Math.Min(published, Capacity));
            if (destination.Length < k * FrameBytes) throw new ArgumentException("Destination too small.", nameof(destination));
            long first = published - k;
            int locked = 0;
            bool current = true;
            for (; locked < k; locked++)
            {
                var slot = _slots[(first + locked) % _slots.Length];
                EnterRead(slot);
                if (slot.Info.Sequence != first + locked)
                {
                    // The writer overwrote it between our snapshot and our lock: take a newer snapshot.
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
            if (current) return k;
        }
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

    private static void EnterRead(Slot slot)
    {
        var spin = new SpinWait();
        while (true)
        {
            int state = Volatile.Read(ref slot.State);
            if (state >= 0 && (state & WriterWaiting) == 0 && Interlocked.CompareExchange(ref slot.State, state + 1, state) == state)
                return;
            spin.SpinOnce(sleep1Threshold: 20);
        }
    }

    private static void ExitRead(Slot slot)
    {
        // A waiting writer may have set its flag meanwhile: decrement without touching the flag.
        Interlocked.Decrement(ref slot.State);
    }

    private sealed class Slot
    {
        public readonly byte[] Buffer;
        public readonly byte* Pointer;
        public int State;
        public FrameMetadata Info = new(-1, 0, null, default, 0, false);

        public Slot(int frameBytes)
        {
            Buffer = GC.AllocateUninitializedArray<byte>(frameBytes, pinned: true);
            Pointer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Buffer));
        }
    }
}
