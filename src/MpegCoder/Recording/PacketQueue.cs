using System.Diagnostics;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Native;
using MpegCoder.Streaming;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Recording;

/// <summary>
/// The bounded hand-off from the stream's writer thread (one producer) to a recorder's thread (one
/// consumer): a ring of packets allocated once, each holding a reference to a packet the writer read
/// (av_packet_ref: no copy of the data). The writer never waits: when the ring is full the packet is
/// dropped, and so is every packet after it (audio too) until the next video keyframe, since the frames
/// in between could not be decoded without the lost one.
/// </summary>
/// <remarks>
/// Invariants, all under <c>_gate</c> (held only to move one reference in or out):
/// slots <c>_head .. _head + _count - 1</c> (mod capacity) hold references, the others are blank;
/// after <see cref="Dispose"/> every slot is freed and <see cref="Offer"/> does nothing (a writer that
/// still holds the tap list may call it once more).
/// </remarks>
internal sealed unsafe class PacketQueue : IDisposable
{
    private readonly object _gate = new();
    private readonly PacketHandle[] _packets;
    private readonly RecordingSource?[] _sources;
    private readonly long[] _arrivals;
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;
    private int _head, _count;
    private bool _dropping;
    private bool _woken;
    private bool _disposed;
    private long _received, _dropped;

    public PacketQueue(int capacity)
    {
        _packets = new PacketHandle[capacity];
        _sources = new RecordingSource?[capacity];
        _arrivals = new long[capacity];
        try
        {
            for (int i = 0; i < capacity; i++) _packets[i] = PacketHandle.Allocate();
        }
        catch
        {
            foreach (var p in _packets) p?.Dispose();
            throw;
        }
    }

    public long Received => Volatile.Read(ref _received);
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>The writer's call: takes a reference to <paramref name="packet"/>, or drops it. Never waits, allocates nothing of its own.</summary>
    public void Offer(AVPacket* packet, RecordingSource source)
    {
        // Only a video keyframe ends a loss: audio packets are all marked key, yet cannot make the video decodable again.
        var p = new AVPacketFields(packet, _layout);
        bool key = (p.flags & AV_PKT_FLAG_KEY) != 0 && p.stream_index == source.VideoIndex;
        lock (_gate)
        {
            if (_disposed) return;
            _received++;
            if (_dropping && !key || _count == _packets.Length)
            {
                _dropping = true;
                _dropped++;
                return;
            }
            int tail = (_head + _count) % _packets.Length;
            if (ffmpeg.av_packet_ref(_packets[tail].Ptr, packet) < 0)
            {
                _dropping = true;
                _dropped++;
                return;
            }
            _sources[tail] = source;
            _arrivals[tail] = Stopwatch.GetTimestamp();
            _count++;
            _dropping = false;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>The recorder's call: moves the oldest packet's reference into <paramref name="into"/> (blank); false when empty.</summary>
    public bool TryTake(AVPacket* into, out RecordingSource? source, out long arrival)
    {
        lock (_gate)
        {
            source = null;
            arrival = 0;
            if (_count == 0 || _disposed) return false;
            ffmpeg.av_packet_move_ref(into, _packets[_head].Ptr);
            source = _sources[_head];
            arrival = _arrivals[_head];
            _sources[_head] = null;
            _head = (_head + 1) % _packets.Length;
            _count--;
            Debug.Assert(source is not null, "every queued packet carries its source");
            return true;
        }
    }

    /// <summary>Waits until a packet is queued, <see cref="Wake"/> is called, or <paramref name="milliseconds"/> pass.</summary>
    public void Wait(int milliseconds)
    {
        lock (_gate)
        {
            if (_count == 0 && !_woken && !_disposed) Monitor.Wait(_gate, milliseconds);
            _woken = false;
        }
    }

    /// <summary>Wakes the recorder's thread to look at its commands.</summary>
    public void Wake()
    {
        lock (_gate)
        {
            _woken = true;
            Monitor.Pulse(_gate);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var p in _packets) p.Dispose(); // av_packet_free unreferences what a slot still holds
            Array.Clear(_sources);
        }
    }
}
