using System.Diagnostics;
using MpegCoder.Decoding;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Native;
using MpegCoder.Streaming;

namespace MpegCoder.Recording;

/// <summary>
/// The pre-event buffer: the last stretch of packets, from a keyframe on, so that a file started by a
/// trigger can begin before it. Keeps whole GOPs: the oldest GOP goes once the next one alone still covers
/// <c>span</c> (the newest packet's time minus the span lies at or after its keyframe), or when the buffer
/// holds more than its byte limit. Packets are references moved in from the queue (no copy of the data),
/// held in packets of a pool that stops growing once the buffer's size is steady.
/// </summary>
/// <remarks>Used by the recorder's thread only. Invariant: the first entry, if any, is a keyframe, and
/// <c>_keyTimes</c> holds the pts of every keyframe entry, oldest first.</remarks>
internal sealed unsafe class PacketHistory : IDisposable
{
    public readonly record struct Entry(PacketHandle Packet, long Pts, bool Key, bool Audio, long Arrival, int Size);

    private readonly Queue<Entry> _entries = new();
    private readonly Queue<long> _keyTimes = new();
    private readonly Stack<PacketHandle> _pool = new();
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;
    private readonly long _maxBytes;
    private long _span;
    private long _bytes;

    public PacketHistory(long maxBytes) => _maxBytes = maxBytes;

    public int Count => _entries.Count;

    /// <summary>The time the buffer keeps, in ticks of the packets' time base (set when a source starts).</summary>
    public void Keep(long span) => _span = span;

    /// <summary>
    /// Moves <paramref name="packet"/>'s reference in (timestamps already filled in); a packet before the first
    /// keyframe is dropped. <paramref name="key"/> marks a video keyframe; an audio packet is never one, and goes
    /// with the GOP it arrived in.
    /// </summary>
    public void Add(AVPacket* packet, bool key, bool audio, long arrival)
    {
        var p = new AVPacketFields(packet, _layout);
        if (_entries.Count == 0 && !key)
        {
            ffmpeg.av_packet_unref(packet);
            return;
        }
        long pts = p.pts;
        int size = p.size;
        var held = _pool.Count > 0 ? _pool.Pop() : PacketHandle.Allocate();
        ffmpeg.av_packet_move_ref(held.Ptr, packet); // leaves the queue's packet blank
        var entry = new Entry(held, pts, key, audio, arrival, size);
        _entries.Enqueue(entry);
        if (key) _keyTimes.Enqueue(entry.Pts);
        _bytes += entry.Size;
        Trim(entry.Pts);
    }

    private void Trim(long newest)
    {
        // Drop the oldest GOP while the next one alone still reaches back the whole span.
        while (_keyTimes.Count > 1 && newest - ElementAfterFirst() >= _span) DropFirstGop();
        while (_bytes > _maxBytes && _entries.Count > 0) DropFirstGop();
        Debug.Assert(_entries.Count == 0 || _entries.Peek().Key, "the buffer starts at a keyframe");
    }

    private long ElementAfterFirst()
    {
        using var e = _keyTimes.GetEnumerator(); // a struct enumerator: no allocation
        e.MoveNext();
        e.MoveNext();
        return e.Current;
    }

    private void DropFirstGop()
    {
        _keyTimes.Dequeue();
        do Release(_entries.Dequeue());
        while (_entries.Count > 0 && !_entries.Peek().Key);
    }

    /// <summary>Takes the oldest entry out; give its packet back with <see cref="Return"/> once written.</summary>
    public bool TryTake(out Entry entry)
    {
        if (!_entries.TryDequeue(out entry)) return false;
        if (entry.Key) _keyTimes.Dequeue();
        _bytes -= entry.Size;
        return true;
    }

    /// <summary>Gives a packet back to the pool, unreferencing what it may still hold.</summary>
    public void Return(PacketHandle packet)
    {
        ffmpeg.av_packet_unref(packet.Ptr);
        _pool.Push(packet);
    }

    private void Release(Entry entry)
    {
        _bytes -= entry.Size;
        Return(entry.Packet);
    }

    /// <summary>Forgets every packet (a new source, whose packets the old ones cannot precede).</summary>
    public void Clear()
    {
        while (_entries.Count > 0) Release(_entries.Dequeue());
        _keyTimes.Clear();
    }

    public void Dispose()
    {
        Clear();
        while (_pool.Count > 0) _pool.Pop().Dispose();
    }
}
