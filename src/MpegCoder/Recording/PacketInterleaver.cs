using System.Diagnostics;
using MpegCoder.Interop;
using MpegCoder.Native;

namespace MpegCoder.Recording;

/// <summary>
/// Puts one source's video and audio packets in time order before the recorder handles them, so that a
/// segment cut at a video keyframe sends every audio packet before that instant to the file that ends and
/// every one from it on to the file that starts: no gap and no overlap at the cut. A camera's streams
/// arrive out of step (an audio encoder's delay, RTP's own pacing); a packet waits here until the other
/// stream has a later one, or until it is <see cref="Window"/> older than the newest packet (the other
/// stream fell silent). Packets are references moved in (no copy of the data), held in packets of a pool
/// that stops growing once the flow is steady.
/// </summary>
/// <remarks>
/// Used by the recorder's thread only. Invariants: each queue is in its stream's order (the recorder's
/// <see cref="PacketClock"/> makes each stream's timestamps increase); <c>_newest</c> is the latest time
/// added since the last <see cref="Clear"/>.
/// </remarks>
internal sealed unsafe class PacketInterleaver : IDisposable
{
    /// <summary>A packet taken out: its reference, its stream, when it arrived, and its time (dts) as TimeSpan ticks.</summary>
    public readonly record struct Entry(PacketHandle Packet, bool Audio, long Arrival, long Time);

    /// <summary>The longest a packet waits for the other stream's.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    private readonly Queue<Entry> _video = new();
    private readonly Queue<Entry> _audio = new();
    private readonly Stack<PacketHandle> _pool = new();
    private long _newest = long.MinValue;

    public int Count => _video.Count + _audio.Count;

    /// <summary>Moves <paramref name="packet"/>'s reference in (its timestamps filled in); <paramref name="time"/> is its dts as TimeSpan ticks.</summary>
    public void Add(AVPacket* packet, bool audio, long arrival, long time)
    {
        var held = _pool.Count > 0 ? _pool.Pop() : PacketHandle.Allocate();
        ffmpeg.av_packet_move_ref(held.Ptr, packet); // leaves the caller's packet blank
        (audio ? _audio : _video).Enqueue(new Entry(held, audio, arrival, time));
        _newest = Math.Max(_newest, time);
    }

    /// <summary>
    /// Takes the earliest packet out if it may go now (the other stream has a later one, it waited
    /// <see cref="Window"/>, or <paramref name="flush"/>); give its packet back with <see cref="Return"/>.
    /// On equal times the video goes first: a keyframe that starts a file comes before the audio of its instant.
    /// </summary>
    public bool TryTake(bool flush, out Entry entry)
    {
        bool hasVideo = _video.TryPeek(out var video), hasAudio = _audio.TryPeek(out var audio);
        entry = default;
        if (!hasVideo && !hasAudio) return false;
        bool takeVideo = hasVideo && (!hasAudio || video.Time <= audio.Time);
        var first = takeVideo ? video : audio;
        if (!flush && !(hasVideo && hasAudio) && _newest - first.Time < Window.Ticks) return false;
        entry = (takeVideo ? _video : _audio).Dequeue();
        Debug.Assert(entry.Packet == first.Packet);
        return true;
    }

    /// <summary>Gives a packet back to the pool, unreferencing what it may still hold.</summary>
    public void Return(PacketHandle packet)
    {
        ffmpeg.av_packet_unref(packet.Ptr);
        _pool.Push(packet);
    }

    /// <summary>Forgets every packet.</summary>
    public void Clear()
    {
        while (_video.TryDequeue(out var e)) Return(e.Packet);
        while (_audio.TryDequeue(out var e)) Return(e.Packet);
        _newest = long.MinValue;
    }

    public void Dispose()
    {
        Clear();
        while (_pool.Count > 0) _pool.Pop().Dispose();
    }
}
