using System.Diagnostics;
using MpegCoder.Decoding;
using MpegCoder.Interop;
using MpegCoder.Streaming;

namespace MpegCoder.Recording;

/// <summary>
/// A consumer of the compressed packets the writer reads, beside the decoder (a recorder): the stream is
/// pulled once and used twice. Called by <see cref="PacketTaps"/>.
/// </summary>
internal unsafe interface IPacketTap
{
    /// <summary>
    /// A connection's video stream starts (or the tap joins while one runs). Called under the hub's lock
    /// while <paramref name="source"/> is open: copy what is needed now, the source is freed later.
    /// </summary>
    void SourceStarted(StreamSource source);

    /// <summary>The connection announced last is closing (a reconnection, or the stream ended): no more of its packets.</summary>
    void SourceEnded();

    /// <summary>
    /// One packet of the video stream (before the decoder sees it) or of the audio stream that goes with
    /// it (<see cref="StreamSource.AudioIndex"/>, never decoded), on the writer thread. Must return at once
    /// and never throw; the packet stays the writer's (take a reference with av_packet_ref).
    /// </summary>
    void Offer(AVPacket* packet);

    /// <summary>The stream is disposed: no packet ever comes again.</summary>
    void StreamClosed();
}

/// <summary>
/// The stream's taps, which outlive its connections (like the ring): the writer offers each video and audio packet
/// to every tap, and the session tells them when a connection starts and ends.
/// </summary>
/// <remarks>
/// Invariants: <c>_taps</c> is replaced, never changed, under <c>_gate</c>, so the writer reads it without
/// a lock and without allocating; a tap detached while the writer holds the old array may get one more
/// packet, which a tap must accept (or ignore) until it is disposed. <c>_current</c> is an open source
/// from <see cref="Connected"/> to <see cref="Disconnected"/>; the session calls Disconnected before it
/// frees the connection, so a tap joining under <c>_gate</c> only ever sees a live source.
/// </remarks>
internal sealed unsafe class PacketTaps
{
    private readonly object _gate = new();
    private volatile IPacketTap[] _taps = [];
    private StreamSource? _current;
    private bool _closed;

    /// <summary>Taps attached now (tests: a failed recorder leaves none behind).</summary>
    public int Count => _taps.Length;

    /// <summary>Adds a tap and tells it the running source, if any; false once the stream is closed.</summary>
    public bool Attach(IPacketTap tap)
    {
        lock (_gate)
        {
            if (_closed) return false;
            _taps = [.. _taps, tap];
            if (_current is not null) tap.SourceStarted(_current);
            return true;
        }
    }

    public void Detach(IPacketTap tap)
    {
        lock (_gate) _taps = Array.FindAll(_taps, t => t != tap);
    }

    /// <summary>A connection became the stream's current one.</summary>
    public void Connected(StreamSource source)
    {
        lock (_gate)
        {
            Debug.Assert(_current is null, "a connection starts only after the previous one was announced closed");
            _current = source;
            foreach (var tap in _taps) tap.SourceStarted(source);
        }
    }

    /// <summary>The connection of <paramref name="source"/> is about to be freed, or has ended for good; null: whatever is current.</summary>
    public void Disconnected(StreamSource? source = null)
    {
        lock (_gate)
        {
            if (_current is null || (source is not null && _current != source)) return;
            _current = null;
            foreach (var tap in _taps) tap.SourceEnded();
        }
    }

    /// <summary>The stream is disposed: every tap is told and detached.</summary>
    public void Close()
    {
        IPacketTap[] taps;
        lock (_gate)
        {
            _closed = true;
            _current = null;
            taps = _taps;
            _taps = [];
        }
        foreach (var tap in taps) tap.StreamClosed();
    }

    /// <summary>The writer's call for each packet of the video stream and of its audio. Allocates nothing.</summary>
    public void Offer(AVPacket* packet)
    {
        var taps = _taps;
        for (int i = 0; i < taps.Length; i++) taps[i].Offer(packet);
    }
}
