using System.Diagnostics;
using System.Runtime.InteropServices;
using MpegCoder.Recording;

namespace MpegCoder.Streaming;

/// <summary>The ring's cursors: each reader that takes frames one after the other has its own.</summary>
/// <remarks>
/// Invariants (with those of FrameRing.cs; checked by <see cref="CheckInvariants"/>):
/// <list type="bullet">
/// <item><c>_cursors</c> is replaced, never changed, under <c>_cursorLock</c>, so the writer scans a stable
///   array. Only lossless rings register cursors: a ring that overwrites never waits for anyone.</item>
/// <item><c>_slowest</c> is a lower bound on the position of every registered cursor. It is written only
///   under <c>_cursorLock</c>: raised to the slowest cursor by the writer when the ring looks full, and by a
///   cursor that closes. A cursor's position only grows, so the bound stays true between two raises without
///   the writer looking at the cursors on every frame.</item>
/// <item>A cursor opens at <c>_slowest</c> (under the lock, so no raise can pass it meanwhile): every frame
///   from there to <see cref="Published"/> is still stored. Before the first cursor opens the bound is 0,
///   so the file's first frames wait for their first reader. With no cursor open the bound stays where the
///   last cursor closed: the writer stops once the ring is full, and the next cursor goes on from there.</item>
/// <item>A cursor's own lock orders its takes (the port's take cursor is shared by its callers); the writer
///   never takes it.</item>
/// </list>
/// </remarks>
internal sealed partial class FrameRing
{
    private readonly object _cursorLock = new();
    private Cursor[] _cursors = [];
    private long _slowest;

    /// <summary>Lossless rings: no frame at or after this one is overwritten.</summary>
    private long Slowest => Volatile.Read(ref _slowest);

    /// <summary>
    /// Opens a reader's own place in the ring. In a lossless ring it starts at the oldest frame any cursor may
    /// still take, and the writer waits for it until it is disposed. In a ring that overwrites it starts at
    /// the newest stored frame and skips ahead past frames overwritten before it got to them.
    /// </summary>
    public Cursor OpenCursor()
    {
        if (!Lossless) return new Cursor(this, Math.Max(0, Published - 1));
        lock (_cursorLock)
        {
            var cursor = new Cursor(this, _slowest);
            _cursors = [.. _cursors, cursor];
            return cursor;
        }
    }

    /// <summary>Frees <paramref name="cursor"/>'s hold on the writer.</summary>
    private void Close(Cursor cursor)
    {
        if (!Lossless) return;
        lock (_cursorLock)
        {
            int index = Array.IndexOf(_cursors, cursor);
            if (index < 0) return;
            _cursors = [.. _cursors[..index], .. _cursors[(index + 1)..]];
            // With others open, the bound moves to the slowest of them; with none, it stays where this one stopped.
            Volatile.Write(ref _slowest, _cursors.Length > 0 ? SlowestOpen() : Math.Max(_slowest, cursor.Position));
        }
        _room!.Set();
    }

    /// <summary>Writer, when the ring looks full: raises the bound to the slowest open cursor and returns it.</summary>
    private long RaiseSlowest()
    {
        lock (_cursorLock)
        {
            if (_cursors.Length > 0) Volatile.Write(ref _slowest, SlowestOpen());
            return _slowest;
        }
    }

    /// <summary>The slowest open cursor's position; under <c>_cursorLock</c>, with at least one open. Allocates nothing.</summary>
    private long SlowestOpen()
    {
        Debug.Assert(Monitor.IsEntered(_cursorLock) && _cursors.Length > 0);
        long slowest = long.MaxValue;
        foreach (var cursor in _cursors) slowest = Math.Min(slowest, cursor.Position);
        Debug.Assert(slowest >= _slowest, "a cursor is behind the writer's bound");
        return slowest;
    }

    /// <summary>
    /// The cursors' part of the invariants, or null. <paramref name="slowest"/> was read before the positions
    /// (it only rises to a position), and the published count is read after each (it only grows): other
    /// cursors and the writer move on while a taker checks, and a count read before them would be stale.
    /// </summary>
    private string? CheckCursors(long slowest)
    {
        foreach (var cursor in Volatile.Read(ref _cursors))
        {
            long position = cursor.Position;
            long published = Published;
            if (position < slowest || position > published)
                return $"a cursor at {position} is outside [{slowest}, {published}]";
        }
        return null;
    }

    /// <summary>
    /// One reader's place in the ring (see <see cref="OpenCursor"/>). Dispose it to release the writer.
    /// </summary>
    public sealed class Cursor : IDisposable
    {
        private readonly FrameRing _ring;
        private readonly object _takeLock = new();
        private long _position;

        internal Cursor(FrameRing ring, long position)
        {
            _ring = ring;
            _position = position;
        }

        /// <summary>The sequence number of the next frame this cursor takes.</summary>
        public long Position => Volatile.Read(ref _position);

        /// <summary>Lossless rings: stored frames this cursor has not taken yet.</summary>
        public int Untaken => (int)(_ring.Published - Position);

        /// <summary>
        /// Lossless rings: takes the next <paramref name="count"/> frames (fewer when fewer are stored), copies
        /// them, oldest first, like <see cref="CopyNewest"/>, and moves past them.
        /// </summary>
        public int Take(int count, Span<byte> destination, Span<FrameMetadata> infos)
        {
            Debug.Assert(_ring.Lossless, "only a lossless ring keeps frames for a cursor");
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _ring.Capacity);
            lock (_takeLock)
            {
                int k = Math.Min(count, Untaken);
                if (destination.Length < (long)k * _ring.FrameBytes) throw new ArgumentException("Destination too small.", nameof(destination));
                long first = _position;
                bool copied = _ring.TryCopyRange(first, k, destination, infos);
                Debug.Assert(copied, "a frame a cursor had not taken was overwritten");
                Volatile.Write(ref _position, first + k);
                _ring.AssertInvariants(writer: false, this);
                if (k > 0) _ring._room!.Set();
                return k;
            }
        }

        /// <summary>
        /// Runs <paramref name="read"/> holding this cursor's lock, so that <see cref="Untaken"/> cannot shrink
        /// until the read is done (a face counts, allocates its array, then takes).
        /// </summary>
        public T WithTakeLock<T>(Func<T> read)
        {
            lock (_takeLock) return read();
        }

        /// <summary>
        /// The next frame, one at a time: takes it in a lossless ring; in a ring that overwrites, copies the
        /// next frame still stored (see <see cref="TryCopyNext"/>). False, at once, when none is ready.
        /// </summary>
        public bool TryTakeNext(Span<byte> destination, out FrameMetadata metadata)
        {
            metadata = default;
            if (_ring.Lossless)
                return Take(1, destination, MemoryMarshal.CreateSpan(ref metadata, 1)) == 1;
            lock (_takeLock)
            {
                long next = _position;
                bool copied = _ring.TryCopyNext(ref next, destination, out metadata);
                Volatile.Write(ref _position, next);
                return copied;
            }
        }

        /// <summary>Whether <see cref="TryTakeNext"/> has a frame now.</summary>
        public bool HasNext => _ring.Published > Position;

        /// <summary>Releases the writer from this cursor; idempotent.</summary>
        public void Dispose() => _ring.Close(this);
    }
}
