using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Lifecycle;
using MpegCoder.Native;
using MpegCoder.Recording;
using MpegCoder.Streaming;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Decoding;

/// <summary>
/// The demuxer: an opened input with its best video stream. Opening sets the interrupt callback
/// before avformat_open_input, so the open itself is bounded by the open timeout.
/// </summary>
internal sealed unsafe class StreamSource : IDisposable
{
    private readonly FormatContextHandle _context;
    private readonly AVStream* _stream;
    private readonly AVStream* _audioStream; // null without audio
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;
    private readonly object _demuxLock = new();
    private string? _fileBeingRead; // its FilesBeingRead registration while open
    private SftpConnectionWatch? _sftpWatch; // sftp only: ends reads libssh would never return from

    private StreamSource(FormatContextHandle context, int streamIndex, AVCodec* decoder, string url, SftpConnectionWatch? sftpWatch)
    {
        _context = context;
        _sftpWatch = sftpWatch;
        StreamIndex = streamIndex;
        Decoder = decoder;
        var format = new AVFormatContextFields(context.Ptr, _layout);
        _stream = format.streams[streamIndex];
        var stream = new AVStreamFields(_stream, _layout);
        TimeBase = (stream.time_base.num, stream.time_base.den);
        var rate = ffmpeg.av_guess_frame_rate(context.Ptr, _stream, null);
        FrameRate = (rate.num, rate.den);
        long duration = format.duration;
        Duration = duration == AV_NOPTS_VALUE || duration <= 0 ? 0 : (double)duration / AV_TIME_BASE;
        FrameCountHint = stream.nb_frames;
        var parameters = new AVCodecParametersFields(CodecParameters, _layout);
        Width = parameters.width;
        Height = parameters.height;
        CodecId = parameters.codec_id;
        // The audio that goes with the video (a camera's microphone), for recorders; never decoded.
        AudioIndex = Math.Max(-1, ffmpeg.av_find_best_stream(context.Ptr, AVMEDIA_TYPE_AUDIO, -1, streamIndex, null, 0));
        if (AudioIndex >= 0)
        {
            _audioStream = format.streams[AudioIndex];
            var audio = new AVStreamFields(_audioStream, _layout);
            AudioTimeBase = (audio.time_base.num, audio.time_base.den);
            AudioCodecId = new AVCodecParametersFields(audio.codecpar, _layout).codec_id;
        }
        _fileBeingRead = FilesBeingRead.Register(url);
    }

    public int StreamIndex { get; }

    /// <summary>The audio stream that goes with the video (FFmpeg's best pick), or -1: only recorders use it, nobody decodes it.</summary>
    public int AudioIndex { get; }

    /// <summary>The audio stream's codec parameters; null without audio.</summary>
    public AVCodecParameters* AudioParameters => _audioStream == null ? null : new AVStreamFields(_audioStream, _layout).codecpar;

    /// <summary>The audio stream's codec; 0 (AV_CODEC_ID_NONE) without audio.</summary>
    public int AudioCodecId { get; }

    /// <summary>The audio stream's time base; (0, 1) without audio.</summary>
    public (int num, int den) AudioTimeBase { get; } = (0, 1);
    public AVCodec* Decoder { get; }
    public AVCodecParameters* CodecParameters => new AVStreamFields(_stream, _layout).codecpar;
    public (int num, int den) TimeBase { get; }
    /// <summary>FFmpeg's best guess of the frame rate; (0, 1) when unknown.</summary>
    public (int num, int den) FrameRate { get; }
    /// <summary>Seconds; 0 for live streams.</summary>
    public double Duration { get; }
    /// <summary>Frames in the stream as the container states it; 0 when unknown.</summary>
    public long FrameCountHint { get; }
    public int Width { get; }
    public int Height { get; }
    public int CodecId { get; }

    /// <summary>Opens <paramref name="url"/>; throws <see cref="StreamOpenException"/> with FFmpeg's reason.</summary>
    public static StreamSource Open(string url, IReadOnlyDictionary<string, string>? options,
        StreamInterrupt interrupt, TimeSpan openTimeout)
    {
        var layout = FFmpegLoader.Layout;
        AVDictionary* dictionary = null;
        SftpConnectionWatch? sftpWatch = null;
        try
        {
            if (options is not null)
                foreach (var (key, value) in options)
                    SetOption(&dictionary, key, value);

            AVFormatContext* context = ffmpeg.avformat_alloc_context();
            if (context == null) throw new OutOfMemoryException("avformat_alloc_context failed.");
            var interruptTarget = GCHandle.Alloc(interrupt);
            var callback = new AVFormatContextFields(context, layout).interrupt_callback;
            callback->callback = &StreamInterrupt.Callback;
            callback->opaque = GCHandle.ToIntPtr(interruptTarget);

            interrupt.Arm(openTimeout);
            long started = Stopwatch.GetTimestamp();
            sftpWatch = SftpConnectionWatch.BeforeOpen(url, interrupt);
            int ret = OpenInput(&context, url, &dictionary);
            if (ret < 0)
            {
                // FFmpeg has freed the context; nothing can call back any more.
                interruptTarget.Free();
                string reason = !interrupt.TimedOut && ProtocolTimedOut(options, Stopwatch.GetElapsedTime(started)) is { } silence
                    ? $"no answer within the read timeout of {silence.TotalSeconds:0.###} s ({FFmpegError.Text(ret)})"
                    : Reason(ret, interrupt, openTimeout);
                throw new StreamOpenException($"cannot open the input: {reason}", ret);
            }
            // From here the context is open and owned by the handle, which closes it on failure below.
            var handle = FormatContextHandle.Own(context, interruptTarget);
            try
            {
                sftpWatch?.Opened();
                if (AVOptions.NotRecognised(AVOptions.Unused(dictionary)) is { } unused)
                    throw new StreamOpenException(unused);
                sftpWatch?.CallStarts();
                try { ret = ffmpeg.avformat_find_stream_info(context, null); }
                finally { sftpWatch?.CallEnds(); }
                if (ret < 0)
                    throw new StreamOpenException($"cannot read the stream information: {Reason(ret, interrupt, openTimeout)}", ret);
                AVCodec* decoder = null;
                int index = ffmpeg.av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
                if (index < 0)
                    throw new StreamOpenException($"no decodable video stream: {FFmpegError.Text(index)}", index);
                return new StreamSource(handle, index, decoder, url, sftpWatch);
            }
            catch
            {
                sftpWatch?.Dispose(); // before the fds close
                handle.Dispose();
                throw;
            }
        }
        catch
        {
            sftpWatch?.Dispose(); // lets the next sftp open run
            throw;
        }
        finally
        {
            ffmpeg.av_dict_free(&dictionary);
        }
    }

    private static int OpenInput(AVFormatContext** context, string url, AVDictionary** options)
    {
        // avformat_open_input frees the context and nulls the pointer when it fails.
        fixed (byte* p = CString.From(url)) return ffmpeg.avformat_open_input(context, p, null, options);
    }

    /// <summary>
    /// The protocol's own read timeout (<c>rw_timeout</c>, set from <see cref="StreamOptions.StallTimeout"/>) when
    /// a failed open lasted that long: the protocol gave up on a silent server before the open deadline, and
    /// FFmpeg's error is then what the protocol made of the silence (FTP: "server not ready for new users",
    /// EACCES), not a timeout. Null otherwise.
    /// </summary>
    private static TimeSpan? ProtocolTimedOut(IReadOnlyDictionary<string, string>? options, TimeSpan elapsed)
    {
        if (options is null || !options.TryGetValue("rw_timeout", out var text) ||
            !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long micros) || micros <= 0)
            return null;
        var timeout = TimeSpan.FromMicroseconds(micros);
        return elapsed >= timeout * 0.9 ? timeout : null;
    }

    private static string Reason(int code, StreamInterrupt interrupt, TimeSpan timeout) =>
        interrupt.TimedOut ? $"no answer within the open timeout of {timeout.TotalSeconds:0.###} s ({FFmpegError.Text(code)})"
        : interrupt.StopRequested ? "the open was cancelled"
        : FFmpegError.Text(code);

    private static void SetOption(AVDictionary** dictionary, string key, string value)
    {
        fixed (byte* k = CString.From(key))
        fixed (byte* v = CString.From(value))
            ffmpeg.av_dict_set(dictionary, k, v, 0);
    }

    /// <summary>
    /// av_read_frame: 0, or a negative FFmpeg error (AVERROR_EOF at the end of the stream). Holds the
    /// demuxer's lock: av_read_frame changes the format context that <see cref="Dump"/> reads. Only a dump
    /// ever contends for it, so on the writer's path it costs an uncontended enter and exit per packet.
    /// </summary>
    public int ReadPacket(AVPacket* packet)
    {
        lock (_demuxLock)
        {
            var watch = _sftpWatch;
            watch?.CallStarts();
            try { return ffmpeg.av_read_frame(_context.Ptr, packet); }
            finally { watch?.CallEnds(); }
        }
    }

    /// <summary>
    /// av_seek_frame on the video stream: the next packet read is the one at <paramref name="timestamp"/>
    /// (in the stream's time base) or, with AVSEEK_FLAG_BACKWARD, the keyframe at or before it.
    /// </summary>
    public int Seek(long timestamp, int flags) => SeekWatched(StreamIndex, timestamp, flags);

    /// <summary>Back to the first byte of the input, for demuxers that cannot seek by timestamp.</summary>
    public int SeekToFirstByte() => SeekWatched(-1, 0, AVSEEK_FLAG_BYTE);

    private int SeekWatched(int streamIndex, long timestamp, int flags)
    {
        var watch = _sftpWatch;
        watch?.CallStarts();
        try { return ffmpeg.av_seek_frame(_context.Ptr, streamIndex, timestamp, flags); }
        finally { watch?.CallEnds(); }
    }

    /// <summary>FFmpeg's description of the input, at INFO level (av_dump_format).</summary>
    public void Dump(string url)
    {
        lock (_demuxLock)
        fixed (byte* u = CString.From(url))
            ffmpeg.av_dump_format(_context.Ptr, StreamIndex, u, 0);
    }

    public void Dispose()
    {
        // The watch first: closing the input closes its sockets, whose fd numbers may at once be reused.
        Interlocked.Exchange(ref _sftpWatch, null)?.Dispose();
        _context.Dispose();
        if (Interlocked.Exchange(ref _fileBeingRead, null) is { } file) FilesBeingRead.Unregister(file);
    }
}
