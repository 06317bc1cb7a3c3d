using System.Diagnostics;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder.Decoding;

/// <summary>
/// Every frame of a file's video stream by its index, built from one pass over the packets (demuxing
/// only, nothing decoded). Frame N is the N-th frame in presentation order, which is the N-th frame
/// FFmpeg's decoder outputs from the start of the file (the <c>n</c> of ffmpeg's select filter).
/// </summary>
/// <remarks>
/// For each frame the index keeps its timestamp and the keyframe a seek must land on to decode it: the
/// last keyframe that comes before it in decoding order and is not shown after it. With open GOPs the
/// leading pictures of a GOP (shown before its keyframe, but referring to the GOP before) get the
/// previous GOP's keyframe, so they are always decoded from complete references.
/// </remarks>
internal sealed class FrameIndex
{
    private readonly long[] _pts;         // presentation order, ascending
    private readonly long[] _seekTarget;  // per frame: the timestamp to give av_seek_frame
    private readonly long[] _fallbackTarget; // per frame: one keyframe earlier, by decoding timestamp
    private readonly int[] _seekFrame;    // per frame: the frame index of that keyframe
    private readonly bool[] _isKey;       // per frame
    private readonly int[] _gopStarts;    // frame indices where a GOP starts, ascending, first is 0
    private readonly long[]? _decodeTimestamps; // PositionsByCount: each packet's decoding timestamp, in decoding order
    private readonly int[]? _decodeFrames;      // PositionsByCount: each packet's frame index, in decoding order

    /// <summary>One demuxed packet of the video stream, in decoding order.</summary>
    /// <param name="Timestamp">Its pts, or its dts when the container gives no pts.</param>
    /// <param name="SeekTimestamp">What av_seek_frame compares with the demuxer's index: the dts when known (never after the pts), else the pts.</param>
    /// <param name="IsKey">The demuxer marked it as a keyframe (AV_PKT_FLAG_KEY).</param>
    internal readonly record struct Packet(long Timestamp, long SeekTimestamp, bool IsKey);

    /// <param name="packets">The video stream's packets in decoding order.</param>
    /// <param name="positionsByCount">See <see cref="PositionsByCount"/>; the packets' timestamps are then their decoding timestamps.</param>
    public FrameIndex(IReadOnlyList<Packet> packets, bool positionsByCount = false)
    {
        PositionsByCount = positionsByCount;
        int n = packets.Count;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // Stable: packets with equal timestamps keep their decoding order.
        var keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = packets[i].Timestamp;
        Array.Sort(keys, order);
        FixStability(keys, order);

        var frameOfPacket = new int[n];
        for (int f = 0; f < n; f++) frameOfPacket[order[f]] = f;

        _pts = keys;
        _seekTarget = new long[n];
        _fallbackTarget = new long[n];
        _seekFrame = new int[n];
        _isKey = new bool[n];
        var keyPackets = new List<int>();
        for (int p = 0; p < n; p++)
        {
            var packet = packets[p];
            int frame = frameOfPacket[p];
            _isKey[frame] = packet.IsKey;
            if (packet.IsKey) keyPackets.Add(p);
            // The newest keyframe so far that is not shown after this frame; none: the file's first packet.
            int k = keyPackets.Count - 1;
            while (k >= 0 && packets[keyPackets[k]].Timestamp > packet.Timestamp) k--;
            int seekPacket = k >= 0 ? keyPackets[k] : 0;
            // The keyframe's own presentation timestamp: demuxers index keyframes by pts (Matroska) or by
            // a dts that MP4's edit list shifts to the pts; a seek that lands late is retried from the fallback.
            // Counted positions: the keyframe packet's own decoding timestamp, which is what such demuxers (AVI) index.
            _seekTarget[frame] = positionsByCount ? packets[seekPacket].SeekTimestamp : packets[seekPacket].Timestamp;
            _fallbackTarget[frame] = packets[k > 0 ? keyPackets[k - 1] : 0].SeekTimestamp;
            _seekFrame[frame] = Math.Min(frameOfPacket[seekPacket], frame);
        }

        if (positionsByCount)
        {
            _decodeTimestamps = new long[n];
            _decodeFrames = new int[n];
            for (int p = 0; p < n; p++) { _decodeTimestamps[p] = packets[p].SeekTimestamp; _decodeFrames[p] = frameOfPacket[p]; }
        }

        var starts = new List<int> { 0 };
        for (int f = 1; f < n; f++)
            if (_isKey[f]) starts.Add(f);
        _gopStarts = n == 0 ? [] : starts.ToArray();
        FirstSeekTarget = n == 0 ? 0 : packets[0].SeekTimestamp;
    }

    /// <summary>
    /// Whether the decoder's frames are known by counting rather than by their timestamps: the container
    /// gives some packets no presentation timestamp (AVI with B-frames, packed or not), so the decoder
    /// makes one up from decoding timestamps that its reordering delay shifts. One packet is then one
    /// frame (a packed B-frame's empty packet included), stamped in the order frames are shown, and the
    /// frames after a seek are counted from the keyframe the first packet read shows it landed on.
    /// </summary>
    public bool PositionsByCount { get; }

    /// <summary>Frames in the stream.</summary>
    public int Count => _pts.Length;

    /// <summary>With <see cref="PositionsByCount"/>: the frame of the packet with decoding timestamp <paramref name="dts"/>; -1 when none.</summary>
    public long FrameOfDecodeTimestamp(long dts)
    {
        if (_decodeTimestamps is null) return -1;
        int i = Array.BinarySearch(_decodeTimestamps, dts);
        return i >= 0 ? _decodeFrames![i] : -1;
    }

    /// <summary>GOPs in the stream: runs of frames from one keyframe to the frame before the next, in presentation order.</summary>
    public int GopCount => _gopStarts.Length;

    /// <summary>The seek timestamp of the file's first packet: seeking there restarts at the beginning.</summary>
    public long FirstSeekTarget { get; }

    public long Pts(long frame) => _pts[frame];

    public bool IsKeyFrame(long frame) => _isKey[frame];

    /// <summary>The timestamp to seek to (backwards) so that decoding forward yields <paramref name="frame"/>.</summary>
    public long SeekTarget(long frame) => _seekTarget[frame];

    /// <summary>Where to seek when <see cref="SeekTarget"/> landed after the keyframe: the keyframe before it, by its decoding timestamp.</summary>
    public long FallbackSeekTarget(long frame) => _fallbackTarget[frame];

    /// <summary>The index of the keyframe <see cref="SeekTarget"/> lands on: decoding that continues from before it needs no seek.</summary>
    public int SeekFrame(long frame) => _seekFrame[frame];

    /// <summary>
    /// The index of the frame with timestamp <paramref name="pts"/>, or -1 if no frame has it. With
    /// repeated timestamps, the first of them; <paramref name="after"/> picks the first one after a frame already seen.
    /// </summary>
    public long FrameOf(long pts, long after = -1)
    {
        int i = Array.BinarySearch(_pts, pts);
        if (i < 0) return -1;
        while (i > 0 && _pts[i - 1] == pts) i--;
        while (i <= after && i + 1 < _pts.Length && _pts[i + 1] == pts) i++;
        return i;
    }

    /// <summary>The first frame whose timestamp is at or after <paramref name="pts"/>; <see cref="Count"/> when none.</summary>
    public long FirstFrameAtOrAfter(long pts)
    {
        int i = Array.BinarySearch(_pts, pts);
        if (i < 0) return ~i;
        while (i > 0 && _pts[i - 1] == pts) i--;
        return i;
    }

    /// <summary>The GOP holding <paramref name="frame"/>.</summary>
    public int GopOf(long frame)
    {
        Debug.Assert(frame >= 0 && frame < Count);
        int i = Array.BinarySearch(_gopStarts, (int)frame);
        return i >= 0 ? i : ~i - 1;
    }

    /// <summary>The frames of GOP <paramref name="gop"/>: [start, start + count).</summary>
    public (long start, long count) Gop(int gop)
    {
        long start = _gopStarts[gop];
        long end = gop + 1 < _gopStarts.Length ? _gopStarts[gop + 1] : Count;
        return (start, end - start);
    }

    /// <summary>When frame <paramref name="frame"/> is shown, counted from the first frame (which is at 0).</summary>
    public TimeSpan Time(long frame, (int num, int den) timeBase) =>
        TimeSpan.FromTicks((long)((Int128)(_pts[frame] - _pts[0]) * timeBase.num * TimeSpan.TicksPerSecond / timeBase.den));

    /// <summary>
    /// The first frame shown at or after <paramref name="seconds"/> from the first frame; <see cref="Count"/>
    /// when none. A time that falls within a microsecond before a frame's timestamp counts as that frame's
    /// (decimal seconds rarely hit a timestamp exactly: 1/3 s at 1/90000).
    /// </summary>
    public long FrameAtTime(double seconds, (int num, int den) timeBase)
    {
        double ticks = (seconds - 1e-6) * timeBase.den / timeBase.num;
        if (ticks <= 0) return 0;
        if (ticks >= long.MaxValue / 2) return Count;
        return FirstFrameAtOrAfter(_pts[0] + (long)Math.Ceiling(ticks));
    }

    /// <summary>Array.Sort is not stable: restore decoding order among equal timestamps.</summary>
    private static void FixStability(long[] keys, int[] order)
    {
        int i = 0;
        while (i < keys.Length)
        {
            int j = i + 1;
            while (j < keys.Length && keys[j] == keys[i]) j++;
            if (j - i > 1) Array.Sort(order, i, j - i);
            i = j;
        }
    }
}
