using System.Diagnostics;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Lifecycle;
using MpegCoder.Native;
using MpegCoder.Recording;
using MpegCoder.Streaming;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Decoding;

/// <summary>
/// Random access into a video file by frame index: seeks to the keyframe a frame needs, decodes
/// forward, and scales only the frames asked for. A request that starts after the last frame decoded
/// and needs no keyframe beyond it continues from the decoder's state instead of seeking, so reading
/// a file in increasing order decodes every frame once.
/// </summary>
/// <remarks>Not thread-safe: the face serialises calls.</remarks>
internal sealed unsafe class FileFrameReader : IDisposable
{
    private readonly StreamSource _source;
    private readonly VideoDecoder _decoder;
    private readonly Scaler _scaler;
    private readonly PacketHandle _packet;
    private readonly FrameHandle _frame;
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;
    private readonly StreamInterrupt _interrupt;
    private readonly TimeSpan _readTimeout;

    // The decoder's position: the index of the last frame it output since the last seek (-1: none yet),
    // whether it can go on (false before the first seek and once it has been drained), and whether
    // the end of the file has been sent to it.
    private long _lastOutput = -1;
    private bool _positioned;
    private bool _inputEnded;
    // Frames known by counting (FrameIndex.PositionsByCount): the first packet after a seek says where it landed.
    private bool _anchorPending;

    private FileFrameReader(StreamSource source, VideoDecoder decoder, FrameIndex index, int width, int height,
        Scaling scaling, StreamInterrupt interrupt, TimeSpan readTimeout)
    {
        _source = source;
        _decoder = decoder;
        Index = index;
        Width = width;
        Height = height;
        _interrupt = interrupt;
        _readTimeout = readTimeout;
        _scaler = new Scaler(width, height, FramePixelFormat.Rgb24, scaling);
        _packet = PacketHandle.Allocate();
        _frame = FrameHandle.Allocate();
    }

    public FrameIndex Index { get; }
    public StreamSource Source => _source;
    public string CodecName => _decoder.CodecName;
    public int DecoderThreads => (int)_decoder.GetInt("threads");

    /// <summary>An integer AVOption of the decoder ("g", "bf"), or 0.</summary>
    public long DecoderOption(string name) => _decoder.GetInt(name);
    public int Width { get; }
    public int Height { get; }
    public int FrameBytes => _scaler.FrameBytes;

    /// <summary>Seeks since opening: how the benchmarks and tests see whether a request reused the decoder.</summary>
    public long Seeks { get; private set; }

    /// <summary>Frames the decoder output since opening, including those decoded only to reach a later one.</summary>
    public long FramesDecoded { get; private set; }

    /// <summary>
    /// Opens the file, indexes its video packets (one pass of demuxing) and opens the decoder. Width or
    /// height 0 means the source's. The open is bounded by <paramref name="openTimeout"/>, and every later
    /// read and seek (the index's, the extractions') by <paramref name="readTimeout"/>: a file on a server
    /// that stops sending fails the call instead of hanging it. Throws <see cref="StreamOpenException"/> with
    /// the reason; on failure everything opened so far is released.
    /// </summary>
    public static FileFrameReader Open(string path, int width, int height, Scaling scaling, int threads,
        StreamInterrupt interrupt, TimeSpan openTimeout, TimeSpan readTimeout)
    {
        var source = StreamSource.Open(path, null, interrupt, openTimeout);
        VideoDecoder? decoder = null;
        PacketHandle? packet = null;
        try
        {
            // Damaged data is decoded as the ffmpeg CLI decodes it (concealed), not refused: after a seek,
            // the leading pictures of an open GOP miss their references, and refusing them would stop
            // the decoder until the next keyframe.
            decoder = VideoDecoder.Open(source, threads, reportDamage: false);
            // Indexing reads to the end of the input, which a live stream never reaches.
            if (source.Duration <= 0 && !File.Exists(path))
                throw new StreamOpenException("the input states no duration, as live streams do: MpegDecoder reads files " +
                    "(MpegClient and VideoStream read live streams)");
            packet = PacketHandle.Allocate();
            var index = Scan(source, packet.Ptr, interrupt, readTimeout);
            if (index.Count == 0) throw new StreamOpenException("the video stream holds no frames");
            int w = width > 0 ? width : source.Width, h = height > 0 ? height : source.Height;
            if (w <= 0 || h <= 0) throw new StreamOpenException("the video stream does not state its picture size");
            return new FileFrameReader(source, decoder, index, w, h, scaling, interrupt, readTimeout);
        }
        catch
        {
            decoder?.Dispose();
            source.Dispose();
            throw;
        }
        finally
        {
            packet?.Dispose();
        }
    }

    /// <summary>The largest packet FFmpeg's MPEG-4 decoder takes for an empty "not coded" picture (its MAX_NVOP_SIZE).</summary>
    private const int MaxNvopSize = 19;

    /// <summary>Reads every packet header of the video stream once, in decoding order.</summary>
    private static FrameIndex Scan(StreamSource source, AVPacket* packet, StreamInterrupt interrupt, TimeSpan readTimeout)
    {
        var layout = FFmpegLoader.Layout;
        var packets = new List<FrameIndex.Packet>();
        bool ptsMissing = false, dtsMissing = false;
        var shownAtOnce = new List<bool>();
        int ret;
        while ((ret = ReadPacket(source, packet, interrupt, readTimeout)) >= 0)
        {
            var p = new AVPacketFields(packet, layout);
            if (p.stream_index == source.StreamIndex && (p.flags & AV_PKT_FLAG_DISCARD) == 0)
            {
                long pts = p.pts, dts = p.dts;
                long timestamp = pts != AV_NOPTS_VALUE ? pts : dts;
                ptsMissing |= pts == AV_NOPTS_VALUE;
                dtsMissing |= dts == AV_NOPTS_VALUE;
                if (timestamp != AV_NOPTS_VALUE)
                {
                    packets.Add(new FrameIndex.Packet(timestamp, dts != AV_NOPTS_VALUE ? dts : pts, (p.flags & AV_PKT_FLAG_KEY) != 0));
                    // Shown as soon as decoded: a B-frame the demuxer stamped, or a packed B-frame's empty
                    // packet (an N-VOP), at whose turn the decoder outputs the B-frame packed before it.
                    shownAtOnce.Add(pts != AV_NOPTS_VALUE || p.size <= MaxNvopSize);
                }
            }
            ffmpeg.av_packet_unref(packet);
        }
        if (ret != AVERROR_EOF)
            throw new StreamOpenException(interrupt.StopRequested ? "the open was cancelled"
                : $"cannot read the file to index its frames: {ReadFailure(ret, interrupt, readTimeout)}", ret);
        // Packets without a presentation timestamp but all with a decoding one (AVI with B-frames): the
        // decoder's frames carry made-up timestamps, so they are counted from the keyframe a seek lands on,
        // in the order they are shown. Otherwise every frame is found by its presentation timestamp.
        if (ptsMissing && !dtsMissing && packets.Count > 0)
            return new FrameIndex(InDisplayOrder(packets, shownAtOnce), positionsByCount: true);
        return new FrameIndex(packets);
    }

    /// <summary>One packet, under a fresh deadline of <paramref name="readTimeout"/>: each read may wait that long for data, however long the file.</summary>
    private static int ReadPacket(StreamSource source, AVPacket* packet, StreamInterrupt interrupt, TimeSpan readTimeout)
    {
        interrupt.Arm(readTimeout);
        return source.ReadPacket(packet);
    }

    /// <summary>
    /// The reason of a failed read or seek. Only the interrupt callback makes FFmpeg exit, and without a stop
    /// that was the deadline, in this call or an earlier one whose packet the demuxer still returned (the
    /// I/O context keeps the error, and a later call fails with it at once).
    /// </summary>
    private static string ReadFailure(int code, StreamInterrupt interrupt, TimeSpan readTimeout) =>
        interrupt.TimedOut || code == AVERROR_EXIT && !interrupt.StopRequested
            ? $"no data for {readTimeout.TotalSeconds:0.###} s, the read timeout ({FFmpegError.Text(code)})" : FFmpegError.Text(code);

    /// <summary>
    /// Packets without presentation timestamps, stamped in the order their frames are shown: a packet whose
    /// frame is shown as soon as it is decoded (a B-frame) is shown in its decoding place, any other (a
    /// reference frame) when the next reference frame is decoded. The k-th frame shown gets the k-th
    /// decoding timestamp, so times stay in the stream's time base.
    /// </summary>
    private static List<FrameIndex.Packet> InDisplayOrder(List<FrameIndex.Packet> packets, List<bool> shownAtOnce)
    {
        var shown = new List<int>(packets.Count);
        int pending = -1;
        for (int p = 0; p < packets.Count; p++)
        {
            if (shownAtOnce[p]) { shown.Add(p); continue; }
            if (pending >= 0) shown.Add(pending);
            pending = p;
        }
        if (pending >= 0) shown.Add(pending);
        var decodeTimes = packets.ConvertAll(p => p.SeekTimestamp);
        decodeTimes.Sort();
        var result = new List<FrameIndex.Packet>(packets);
        for (int k = 0; k < shown.Count; k++) result[shown[k]] = packets[shown[k]] with { Timestamp = decodeTimes[k] };
        // Packed B-frames: the empty packet after a keyframe's packet is flagged as a keyframe too, but holds
        // no picture to start decoding from; the keyframe is the packet before it.
        for (int p = packets.Count - 1; p > 0; p--)
            if (packets[p].IsKey && packets[p - 1].IsKey) result[p] = result[p] with { IsKey = false };
        return result;
    }

    /// <summary>
    /// Decodes frames <paramref name="first"/> .. first + count - 1 (fewer at the end of the file) and
    /// writes them, RGB24, into <paramref name="pixels"/> one after the other, with their metadata into
    /// <paramref name="metadata"/> when it is not empty. Returns the number of frames written: fewer than
    /// asked only at the end of the file, or when the decoder cannot produce a frame (its index is then
    /// missing from the metadata's sequence numbers).
    /// </summary>
    public int Read(long first, long count, Span<byte> pixels, Span<FrameMetadata> metadata)
    {
        Debug.Assert(first >= 0 && count >= 0);
        if (first >= Index.Count || count == 0) return 0;
        count = Math.Min(count, Index.Count - first);
        Debug.Assert(pixels.Length >= count * FrameBytes && (metadata.IsEmpty || metadata.Length >= count));

        Missing = null;
        bool retried = false;
        if (!CanContinueTo(first)) SeekTimestamp(Index.SeekTarget(first));
        long wanted = first, end = first + count;
        int written = 0;
        while (wanted < end)
        {
            if (!NextFrame(out long index))
            {
                // The file ended before the frames asked for came out: the seek landed too late.
                if (written == 0 && Retry(first, ref retried)) continue;
                NoteMissing(wanted, end);
                break;
            }
            try
            {
                if (index < wanted) continue; // decoded only to reach the frames asked for
                if (index > wanted)
                {
                    // Frame `wanted` did not come out: the seek landed after its keyframe (a demuxer
                    // index that disagrees with the packets), or the decoder dropped it. Seek back one
                    // keyframe further, once; after that, go on without it. Decoding from the start of
                    // the file instead would cost every such request the whole file.
                    if (written == 0 && Retry(first, ref retried)) continue;
                    NoteMissing(wanted, Math.Min(index, end));
                    wanted = index;
                    if (wanted >= end) break;
                }
                if (!Convert(pixels.Slice(written * FrameBytes, FrameBytes)))
                    throw new MpegCoderException($"FFmpeg cannot convert frame {index} to RGB24.");
                if (!metadata.IsEmpty) metadata[written] = Metadata(index);
                written++;
                wanted++;
            }
            finally
            {
                ffmpeg.av_frame_unref(_frame.Ptr);
            }
        }
        return written;
    }

    /// <summary>
    /// Decoding on is cheaper than seeking while the keyframe a seek would land on is at most this many
    /// frames ahead of the decoder: a seek flushes the decoder and reads that keyframe again.
    /// </summary>
    private const int ContinueWindow = 8;

    /// <summary>Whether decoding on from where the decoder stands reaches <paramref name="first"/> without passing far beyond a keyframe it could seek to.</summary>
    private bool CanContinueTo(long first) =>
        _positioned && first > _lastOutput && Index.SeekFrame(first) <= _lastOutput + ContinueWindow;

    /// <summary>
    /// After a seek that landed too late, once: the keyframe before the one wanted, by its decoding
    /// timestamp (which no demuxer's index puts after the packet).
    /// </summary>
    private bool Retry(long frame, ref bool retried)
    {
        if (retried) return false;
        retried = true;
        SeekTimestamp(Index.FallbackSeekTarget(frame));
        return true;
    }

    /// <summary>Which frames the last <see cref="Read"/> could not give (the decoder output nothing for them); null when none.</summary>
    public string? Missing { get; private set; }

    private void NoteMissing(long from, long to)
    {
        if (to <= from) return;
        string frames = to - from == 1 ? $"frame {from}" : $"frames {from} to {to - 1}";
        string text = $"{frames} did not come out of the decoder (damaged or undecodable data)";
        Missing = Missing is null ? text : $"{Missing}; {text}";
    }

    private void SeekTimestamp(long timestamp)
    {
        Seeks++;
        _interrupt.Arm(_readTimeout);
        int ret = _source.Seek(timestamp, AVSEEK_FLAG_BACKWARD);
        // A seek that fails goes back to the start, and a demuxer that cannot seek by timestamp at all
        // can still go back to the first byte: slower, never wrong. Not after a stop or a timeout: the
        // same server would make each of them wait again.
        if (ret < 0 && !Interrupted) ret = _source.Seek(Index.FirstSeekTarget, AVSEEK_FLAG_BACKWARD);
        if (ret < 0 && !Interrupted) ret = _source.SeekToFirstByte();
        if (ret < 0) throw new MpegCoderException(_interrupt.StopRequested ? "the decoder was cleared while seeking"
            : $"cannot seek in the file: {ReadFailure(ret, _interrupt, _readTimeout)}");
        _decoder.Flush();
        _lastOutput = -1;
        _inputEnded = false;
        _positioned = true;
        _anchorPending = Index.PositionsByCount;
    }

    /// <summary>
    /// The decoder's next frame (left in <c>_frame</c>) and its index; false once the file is done and
    /// the decoder drained. Packets of other streams are skipped; damaged packets are passed over.
    /// </summary>
    private bool NextFrame(out long index)
    {
        index = -1;
        if (!_positioned) return false;
        while (true)
        {
            int ret = _decoder.Receive(_frame.Ptr);
            if (ret == 0)
            {
                FramesDecoded++;
                long pts = Index.PositionsByCount ? AV_NOPTS_VALUE : new AVFrameFields(_frame.Ptr, _layout).best_effort_timestamp;
                long found = pts == AV_NOPTS_VALUE ? -1 : Index.FrameOf(pts, _lastOutput);
                // A frame the index does not know (no timestamp, or one the decoder made up): the next one.
                index = found >= 0 && found > _lastOutput ? found : _lastOutput + 1;
                _lastOutput = index;
                return true;
            }
            if (ret == AVERROR_EOF)
            {
                _positioned = false; // drained: only a seek (which flushes) makes the decoder usable again
                return false;
            }
            if (ret != AVERROR_EAGAIN) continue; // a damaged frame: the decoder goes on with the next one
            if (_inputEnded) { _positioned = false; return false; }
            SendNextPacket();
        }
    }

    private void SendNextPacket()
    {
        while (true)
        {
            int ret = ReadPacket(_source, _packet.Ptr, _interrupt, _readTimeout);
            if (ret < 0)
            {
                if (ret != AVERROR_EOF)
                    throw new MpegCoderException(_interrupt.StopRequested ? "the decoder was cleared while reading"
                        : $"cannot read the file: {ReadFailure(ret, _interrupt, _readTimeout)}");
                // The end of the file: send the flush request, so the frames the decoder holds back come out.
                _decoder.Send(null);
                _inputEnded = true;
                return;
            }
            try
            {
                var fields = new AVPacketFields(_packet.Ptr, _layout);
                if (fields.stream_index != _source.StreamIndex) continue;
                if (_anchorPending) Anchor(fields.dts);
                // A damaged packet is rejected; frames that depend on it come out damaged or not at all,
                // exactly as in the ffmpeg CLI.
                _decoder.Send(_packet.Ptr);
                return;
            }
            finally
            {
                ffmpeg.av_packet_unref(_packet.Ptr);
            }
        }
    }

    /// <summary>
    /// Frames known by counting: the first packet after a seek is the keyframe it landed on, and the
    /// decoder's next frame is that keyframe's, whose position is the number of packets before it.
    /// </summary>
    private void Anchor(long dts)
    {
        _anchorPending = false;
        long keyframe = dts == AV_NOPTS_VALUE ? -1 : Index.FrameOfDecodeTimestamp(dts);
        Debug.Assert(keyframe >= 0, "a seek landed on a packet the index does not hold");
        _lastOutput = Math.Max(keyframe, 0) - 1;
    }

    private bool Interrupted => _interrupt.StopRequested || _interrupt.TimedOut;

    /// <summary>The one write of the pixels: sws_scale from the decoded frame straight into the caller's memory.</summary>
    private bool Convert(Span<byte> destination)
    {
        var f = new AVFrameFields(_frame.Ptr, _layout);
        fixed (byte* d = destination)
            return _scaler.Convert(f.data, f.linesize, f.width, f.height, f.format, d);
    }

    /// <summary>Sequence is the frame's index in the file; the time is its timestamp from the index.</summary>
    private FrameMetadata Metadata(long index)
    {
        return new FrameMetadata
        {
            Sequence = index,
            Pts = Index.Pts(index),
            PresentationTime = Index.Time(index, _source.TimeBase),
            ReceivedAt = DateTimeOffset.UtcNow,
            ReceivedTimestamp = Stopwatch.GetTimestamp(),
            IsKeyFrame = Index.IsKeyFrame(index),
        };
    }

    public void Dispose()
    {
        _frame.Dispose();
        _packet.Dispose();
        _scaler.Dispose();
        _decoder.Dispose();
        _source.Dispose();
    }
}
