using System.Runtime.InteropServices;
using MpegCoder.Decoding;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Lifecycle;
using MpegCoder.Native;
using MpegCoder.Recording;
using MpegCoder.Streaming;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Encoders;

/// <summary>
/// The muxer side: an output (file or stream) with one video stream (and, for a recording, the audio
/// copied beside it as a second stream), written in three steps that
/// follow FFmpeg's doc/examples/mux.c: <see cref="Create"/> (the container, which decides whether the
/// encoder must put its headers out of band), <see cref="Start"/> (the stream from the opened encoder,
/// the I/O, the header), then <see cref="Write"/> per packet and <see cref="Finish"/> (the trailer).
/// Every blocking call runs under a deadline of the interrupt callback, so a server that stops reading
/// fails the call instead of hanging it. Not thread-safe: its owner serialises the calls.
/// </summary>
internal sealed unsafe class VideoOutput : IDisposable
{
    private readonly OutputContextHandle _context;
    private readonly AVOutputFormat* _format;
    private readonly StreamInterrupt _interrupt;
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;
    private readonly int _formatFlags;
    private readonly string _url;
    private readonly TimeSpan _ioTimeout;
    private AVStream* _stream;
    private AVRational _packetTimeBase;   // what Write gets: the encoder's, or the copied stream's
    private AVRational _streamTimeBase;
    private long _defaultDuration;
    private AVStream* _audioStream;   // a recording's copied audio, or null
    private AVRational _audioPacketTimeBase;
    private AVRational _audioStreamTimeBase;
    private bool _headerWritten;
    private string[] _unusedOptions = [];

    /// <summary>The container's short name ("mp4", "flv", "rtsp").</summary>
    public string FormatName { get; }

    /// <summary>Whether the I/O was opened: a file is created (or emptied) on disk from then on.</summary>
    public bool CreatedFile { get; private set; }

    /// <summary>Whether the start failed in the muxer's header (the streams' parameters refused), after the I/O opened.</summary>
    public bool HeaderRefused { get; private set; }

    /// <summary>The options given to the start that no part of FFmpeg (protocol, muxer) took.</summary>
    public IReadOnlyList<string> UnusedOptions => _unusedOptions;

    /// <summary>Whether the output context or its muxer has the option <paramref name="name"/> ("movflags" for MP4 and MOV).</summary>
    public bool HasOption(string name)
    {
        fixed (byte* n = Text(name))
            return ffmpeg.av_opt_find(_context.Ptr, n, null, 0, AV_OPT_SEARCH_CHILDREN) != null;
    }

    /// <summary>Whether the output's muxer is FFmpeg's muxer called <paramref name="muxerName"/> ("mpegts"), whatever name or extension chose it.</summary>
    public bool IsMuxer(string muxerName)
    {
        fixed (byte* n = Text(muxerName))
            return ffmpeg.av_guess_format(n, null, null) == _format;
    }

    /// <summary>Whether the encoder must be opened with global headers (AVFMT_GLOBALHEADER).</summary>
    public bool WantsGlobalHeader => (_formatFlags & AVFMT_GLOBALHEADER) != 0;

    private VideoOutput(OutputContextHandle context, AVOutputFormat* format, StreamInterrupt interrupt, int formatFlags, string formatName, string url, TimeSpan ioTimeout)
    {
        _context = context;
        _format = format;
        _interrupt = interrupt;
        _formatFlags = formatFlags;
        FormatName = formatName;
        _url = url;
        _ioTimeout = ioTimeout;
    }

    /// <summary>Allocates the output of <paramref name="url"/> in the container <paramref name="formatName"/> (null: from the file's extension).</summary>
    /// <param name="url">The file or the stream's address.</param>
    /// <param name="formatName">The container; null: from the file's extension.</param>
    /// <param name="ioTimeout">How long one blocking call may take.</param>
    /// <param name="interrupt">The owner's interrupt (its stop request's), so a stop reaches the call in progress; null for a new one.</param>
    /// <exception cref="EncoderException">No container for that name or extension.</exception>
    public static VideoOutput Create(string url, string? formatName, TimeSpan ioTimeout, StreamInterrupt? interrupt = null)
    {
        byte[] urlText = Text(url);
        byte[]? nameText = formatName is null ? null : Text(formatName);
        AVOutputFormat* format;
        fixed (byte* u = urlText)
        fixed (byte* n = nameText)
            format = ffmpeg.av_guess_format(n, formatName is null ? u : null, null);
        if (format == null)
            throw new EncoderException(formatName is null
                ? $"No container for the file name '{Path.GetFileName(url)}': give it a known extension (.mp4, .mkv, .avi, .ts, .flv, .mov...)."
                : $"This FFmpeg has no muxer called '{formatName}'.");
        int flags = new AVOutputFormatFields(format, FFmpegLoader.Layout).flags;

        AVFormatContext* allocated = null;
        int ret;
        fixed (byte* u = urlText) ret = ffmpeg.avformat_alloc_output_context2(&allocated, format, null, u);
        if (ret < 0 || allocated == null) throw new EncoderException($"avformat_alloc_output_context2 failed: {FFmpegError.Text(ret)}");

        interrupt ??= new StreamInterrupt();
        var target = GCHandle.Alloc(interrupt);
        var callback = new AVFormatContextFields(allocated, FFmpegLoader.Layout).interrupt_callback;
        callback->callback = &StreamInterrupt.Callback;
        callback->opaque = GCHandle.ToIntPtr(target);
        var owned = OutputContextHandle.Own(allocated, target);
        return new VideoOutput(owned, format, interrupt, flags, formatName ?? Path.GetExtension(url).TrimStart('.'), url, ioTimeout);
    }

    /// <summary>
    /// Adds the video stream with the opened encoder's parameters, opens the I/O (unless the muxer does its
    /// own, as RTSP's) and writes the header, all within the I/O timeout.
    /// </summary>
    /// <param name="encoder">The opened encoder whose parameters the stream takes.</param>
    /// <param name="options">Muxer and protocol options ("rtsp_transport" = "tcp"...); null for none.</param>
    public void Start(EncoderContext encoder, IReadOnlyDictionary<string, string>? options)
    {
        var codecpar = AddStream(encoder.TimeBase, defaultDuration: 1); // every encoded packet lasts one tick of 1/frame rate
        int ret = ffmpeg.avcodec_parameters_from_context(codecpar, encoder.Context);
        if (ret < 0) throw new EncoderException($"avcodec_parameters_from_context failed: {FFmpegError.Text(ret)}");
        OpenAndWriteHeader(options);
    }

    /// <summary>
    /// The stream-copy form of <see cref="Start(EncoderContext, IReadOnlyDictionary{string, string}?)"/>: the
    /// stream takes a copy of a demuxed stream's parameters, without its container's codec tag (the
    /// output's muxer picks its own), and packets come in that stream's time base.
    /// </summary>
    /// <param name="parameters">The source stream's codec parameters.</param>
    /// <param name="timeBase">The source stream's time base, in which <see cref="Write"/> gets the packets.</param>
    /// <param name="frameTicks">One frame's length in that time base: the duration of a packet that states none.</param>
    /// <param name="audioParameters">The source's audio stream's codec parameters, copied as a second stream; null for none.</param>
    /// <param name="audioTimeBase">The audio's time base, in which <see cref="WriteAudio"/> gets its packets.</param>
    /// <param name="options">Muxer and protocol options; null for none.</param>
    public void StartCopy(AVCodecParameters* parameters, AVRational timeBase, long frameTicks,
        AVCodecParameters* audioParameters, AVRational audioTimeBase, IReadOnlyDictionary<string, string>? options)
    {
        CopyParameters(AddStream(timeBase, frameTicks), parameters);
        if (audioParameters != null)
        {
            _audioStream = ffmpeg.avformat_new_stream(_context.Ptr, null);
            if (_audioStream == null) throw new EncoderException("avformat_new_stream failed.");
            _audioPacketTimeBase = audioTimeBase;
            var audio = new AVStreamFields(_audioStream, _layout);
            audio.time_base = audioTimeBase;
            CopyParameters(audio.codecpar, audioParameters);
        }
        OpenAndWriteHeader(options);
    }

    private void CopyParameters(AVCodecParameters* into, AVCodecParameters* from)
    {
        if (ffmpeg.avcodec_parameters_copy(into, from) < 0) throw new EncoderException("avcodec_parameters_copy failed.");
        new AVCodecParametersFields(into, _layout).codec_tag = 0;
    }

    private AVCodecParameters* AddStream(AVRational packetTimeBase, long defaultDuration)
    {
        _stream = ffmpeg.avformat_new_stream(_context.Ptr, null);
        if (_stream == null) throw new EncoderException("avformat_new_stream failed.");
        _packetTimeBase = packetTimeBase;
        _defaultDuration = defaultDuration;
        var stream = new AVStreamFields(_stream, _layout);
        // A hint: the muxer may pick its own time base in avformat_write_header (FLV: 1/1000, MPEG-TS: 1/90000).
        stream.time_base = packetTimeBase;
        return stream.codecpar;
    }

    private void OpenAndWriteHeader(IReadOnlyDictionary<string, string>? options)
    {
        AVFormatContext* context = _context.Ptr;
        AVDictionary* dictionary = null;
        try
        {
            if (options is not null)
                foreach (var (key, value) in options)
                    fixed (byte* k = Text(key))
                    fixed (byte* v = Text(value))
                        ffmpeg.av_dict_set(&dictionary, k, v, 0);

            _interrupt.Arm(_ioTimeout);
            if ((_formatFlags & AVFMT_NOFILE) == 0)
            {
                // Opening for writing truncates: never a file an input of this process is reading.
                if (FilesBeingRead.WhyNotWrite(_url) is { } refusal) throw new EncoderException(refusal);
                var fields = new AVFormatContextFields(context, _layout);
                int opened;
                fixed (byte* u = Text(_url))
                    opened = ffmpeg.avio_open2(fields.pb, u, AVIO_FLAG_WRITE, fields.interrupt_callback, &dictionary);
                if (opened < 0) throw new EncoderException($"cannot open '{AddressRedaction.Redact(_url)}' for writing: {Reason(opened)}");
                CreatedFile = true;
            }
            _interrupt.Arm(_ioTimeout);
            int ret = ffmpeg.avformat_write_header(context, &dictionary);
            if (ret < 0)
            {
                HeaderRefused = true;
                throw new EncoderException($"cannot start the {FormatName} output '{AddressRedaction.Redact(_url)}': {Reason(ret)}");
            }
            _headerWritten = true;
            _streamTimeBase = new AVStreamFields(_stream, _layout).time_base;
            if (_audioStream != null) _audioStreamTimeBase = new AVStreamFields(_audioStream, _layout).time_base;
            _unusedOptions = AVOptions.Unused(dictionary);
        }
        finally
        {
            ffmpeg.av_dict_free(&dictionary);
        }
    }

    /// <summary>
    /// Writes a packet (in the encoder's, or the copied stream's, time base) to the output, interleaved by
    /// time, and unreferences it. Allocates nothing.
    /// </summary>
    public void Write(AVPacket* packet)
    {
        // Every packet lasts one frame. Encoders with a delay leave the duration 0, and MP4 would then give
        // the last frame no length and players would drop it.
        var p = new AVPacketFields(packet, _layout);
        if (p.duration == 0) p.duration = _defaultDuration;
        WriteTo(0, packet, _packetTimeBase, _streamTimeBase);
    }

    /// <summary>
    /// Writes a packet of the copied audio (in the time base <see cref="StartCopy"/> was given) to the
    /// audio stream, interleaved by time, and unreferences it. Allocates nothing.
    /// </summary>
    public void WriteAudio(AVPacket* packet)
    {
        System.Diagnostics.Debug.Assert(_audioStream != null, "an output started with audio");
        WriteTo(1, packet, _audioPacketTimeBase, _audioStreamTimeBase);
    }

    private void WriteTo(int streamIndex, AVPacket* packet, AVRational from, AVRational to)
    {
        ffmpeg.av_packet_rescale_ts(packet, from, to);
        new AVPacketFields(packet, _layout).stream_index = streamIndex;
        _interrupt.Arm(_ioTimeout);
        int ret = ffmpeg.av_interleaved_write_frame(_context.Ptr, packet); // takes the packet's reference, leaves it blank
        if (ret < 0) throw new EncoderException($"writing to '{AddressRedaction.Redact(_url)}' failed: {Reason(ret)}");
    }

    /// <summary>
    /// Writes the trailer (the MP4 index, the MKV cues...) once the last packet is written, then closes the
    /// I/O: some file systems (network ones) report a failed write only when the file is closed.
    /// </summary>
    public void Finish()
    {
        if (!_headerWritten) return;
        _headerWritten = false;
        _interrupt.Arm(_ioTimeout);
        int ret = ffmpeg.av_write_trailer(_context.Ptr);
        if (ret < 0) throw new EncoderException($"writing the end of '{AddressRedaction.Redact(_url)}' failed: {Reason(ret)}");
        var pb = new AVFormatContextFields(_context.Ptr, _layout).pb;
        if (*pb == null) return; // a muxer with its own I/O (RTSP)
        _interrupt.Arm(_ioTimeout);
        ret = ffmpeg.avio_closep(pb); // leaves pb null: the handle has nothing left to close
        if (ret < 0) throw new EncoderException($"closing '{AddressRedaction.Redact(_url)}' failed: {Reason(ret)}");
    }

    /// <summary>Prints FFmpeg's description of the output (av_dump_format) at INFO level.</summary>
    public void Dump()
    {
        fixed (byte* u = Text(AddressRedaction.Redact(_url)))
            ffmpeg.av_dump_format(_context.Ptr, 0, u, 1);
    }

    private string Reason(int code) =>
        // The interrupt's limit, not the I/O timeout: a stop cuts a stalled write's wait short (see StreamInterrupt.Hurry).
        _interrupt.TimedOut ? $"no progress within {_interrupt.Limit.TotalSeconds:0.###} s ({FFmpegError.Text(code)})" : FFmpegError.Text(code);

    private static byte[] Text(string text) => CString.From(text);

    /// <summary>Makes the blocking call in progress (or the next) give up: a stop that must not wait for a stalled server. Any thread.</summary>
    public void Abort() => _interrupt.RequestStop();

    /// <summary>
    /// Releases the output. One whose header was written and whose trailer was not (Clear, a failed write,
    /// a recorder that failed) is aborted: every blocking call gives up at once, and a muxer that does its
    /// own I/O (RTSP: no AVIOContext, its connections live in the muxer) gets its trailer call with the
    /// interrupt set, because that call is the only place such a muxer closes its connections. Without it
    /// the publisher's TCP connection would stay open and the server would keep the publisher's slot.
    /// </summary>
    public void Dispose()
    {
        if (_headerWritten && !_context.IsClosed)
        {
            _headerWritten = false;
            _interrupt.Abort();
            if ((_formatFlags & AVFMT_NOFILE) != 0) ffmpeg.av_write_trailer(_context.Ptr); // fails fast; closes the muxer's connections
        }
        _context.Dispose();
    }
}
