using MpegCoder.Encoders;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Lifecycle;
using MpegCoder.Native;
using MpegCoder.Streaming;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Recording;

/// <summary>
/// One file (or push) a recorder writes: the stream-copy output, the first packet's timestamps that
/// every later one is rebased on (so the file starts at 0), and what it holds so far. Its audio, when it
/// has any, is rebased on the same instant, so both streams start together.
/// </summary>
/// <remarks>Used by the recorder's thread only.</remarks>
internal sealed unsafe class RecordingFile : IDisposable
{
    private readonly VideoOutput _output;
    private readonly RecordingSource _source;
    private readonly DiskSync? _sync;   // crash-safe files only
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;
    private long _startDts = AV_NOPTS_VALUE;
    private long _startPts;
    private long _audioStart;   // the file's first video dts in the audio's time base
    private long _end;

    private RecordingFile(VideoOutput output, RecordingSource source, string path, bool isPush, DiskSync? sync, bool hasAudio, string? audioLeftOut)
    {
        _output = output;
        _source = source;
        _sync = sync;
        Path = path;
        IsPush = isPush;
        HasAudio = hasAudio;
        AudioLeftOut = audioLeftOut;
    }

    public string Path { get; }

    /// <summary>Whether this is a push to a server rather than a file.</summary>
    public bool IsPush { get; }
    public RecordingSource Source => _source;
    public DateTimeOffset StartedAt { get; private set; }
    public long Packets { get; private set; }
    public long Bytes { get; private set; }

    /// <summary>Whether the file holds the source's audio.</summary>
    public bool HasAudio { get; }

    /// <summary>Why the source's audio is not in the file (the container cannot carry its codec); null when it is, or there is none.</summary>
    public string? AudioLeftOut { get; }

    /// <summary>Whether its first packet (a keyframe) is written.</summary>
    public bool Started => _startDts != AV_NOPTS_VALUE;

    /// <summary>The pts its first packet had, in the source's time base.</summary>
    public long StartPts => _startPts;

    /// <summary>
    /// Opens the output and writes its header; on failure nothing stays open and no file is left behind.
    /// An option of <paramref name="options"/> that no part of FFmpeg took is a failure that names it.
    /// A crash-safe file (<paramref name="crashSafe"/>, not a push) gets the options of
    /// <see cref="CrashSafeWriting"/> under <paramref name="options"/>, and is synced to the disk as it grows.
    /// The source's recorded audio becomes the second stream when the container can carry its codec, and is
    /// left out (<see cref="AudioLeftOut"/> says why) when it cannot: when the muxer refuses it as it writes
    /// its header (the output is then started again without it), or known before (<see cref="AudioCarriage"/>).
    /// </summary>
    /// <exception cref="EncoderException">Why, in FFmpeg's words.</exception>
    public static RecordingFile Open(string path, RecordingSource source, IReadOnlyDictionary<string, string> options, bool crashSafe,
        TimeSpan ioTimeout, StreamInterrupt interrupt)
    {
        bool withAudio = source.HasAudio;
        string? audioLeftOut = null;
        while (true)
        {
            var output = VideoOutput.Create(path, OutputAddress.ContainerFor(path).format, ioTimeout, interrupt);
            if (withAudio && AudioCarriage.WhyNot(output, source.AudioCodec!) is { } whyNot)
            {
                withAudio = false;
                audioLeftOut = whyNot;
            }
            try
            {
                return Start(output, path, source, withAudio, audioLeftOut, options, crashSafe);
            }
            catch (EncoderException e) when (withAudio && output.HeaderRefused)
            {
                // Start released the output: the file again, without the audio.
                withAudio = false;
                audioLeftOut = $"the {output.FormatName} muxer refused {source.AudioCodec} ({e.Message})";
            }
        }
    }

    /// <summary>Starts <paramref name="output"/>; on failure releases it and removes the file it created.</summary>
    private static RecordingFile Start(VideoOutput output, string path, RecordingSource source, bool withAudio, string? audioLeftOut,
        IReadOnlyDictionary<string, string> options, bool crashSafe)
    {
        var addressOptions = OutputAddress.ContainerFor(path).options;
        var merged = new Dictionary<string, string>(addressOptions ?? new Dictionary<string, string>());
        bool push = OutputAddress.IsPush(path);
        DiskSync? sync = null;
        try
        {
            if (crashSafe && !push)
                foreach (var (k, v) in CrashSafeWriting.OptionsFor(output)) merged[k] = v;
            foreach (var (k, v) in options) merged[k] = v;
            output.StartCopy(source.Parameters, source.TimeBase, source.FrameTicks,
                withAudio ? source.AudioParameters : null, source.AudioTimeBase, merged);
            // Only the user's names: an address's own options are the library's choice, not a typo.
            if (AVOptions.NotRecognised(output.UnusedOptions.Where(options.ContainsKey)) is { } unknown)
                throw new EncoderException(unknown);
            if (crashSafe && !push) sync = DiskSync.Open(path);
            return new RecordingFile(output, source, push ? AddressRedaction.Redact(path) : path, push, sync, withAudio, audioLeftOut);
        }
        catch
        {
            sync?.Dispose();
            bool created = output.CreatedFile;
            output.Dispose();
            if (created && !push) DeleteFile(path);
            throw;
        }
    }

    /// <summary>Why syncing the file to the disk failed since the last look, or null.</summary>
    public string? TakeSyncFailure() => _sync?.TakeFailure();

    /// <summary>
    /// Writes a packet whose timestamps are filled in (see <see cref="PacketClock"/>), rebased so that the
    /// file's first packet has dts 0; takes its reference. The first packet must be a keyframe.
    /// </summary>
    public void Write(AVPacket* packet, long arrival)
    {
        var p = new AVPacketFields(packet, _layout);
        if (!Started)
        {
            _startDts = p.dts;
            _startPts = p.pts;
            _audioStart = _source.HasAudio ? _source.AudioTicks(p.dts) : 0;
            StartedAt = DateTimeOffset.Now - System.Diagnostics.Stopwatch.GetElapsedTime(arrival);
        }
        _end = Math.Max(_end, p.pts + p.duration - _startPts);
        Packets++;
        Bytes += p.size;
        p.pts -= _startDts;
        p.dts -= _startDts;
        try
        {
            _output.Write(packet);
        }
        finally
        {
            ffmpeg.av_packet_unref(packet);
        }
        _sync?.Written();
    }

    /// <summary>
    /// Writes an audio packet whose timestamps are filled in, rebased on the file's first video packet, and
    /// takes its reference; false (the packet dropped) when the file has no audio, has not started, or the
    /// packet lies before the file's start (it belonged to the file before).
    /// </summary>
    public bool WriteAudio(AVPacket* packet)
    {
        var p = new AVPacketFields(packet, _layout);
        if (!HasAudio || !Started || p.dts < _audioStart)
        {
            ffmpeg.av_packet_unref(packet);
            return false;
        }
        p.pts -= _audioStart;
        p.dts -= _audioStart;
        AudioPackets++;
        try
        {
            _output.WriteAudio(packet);
        }
        finally
        {
            ffmpeg.av_packet_unref(packet);
        }
        _sync?.Written();
        return true;
    }

    /// <summary>Audio packets written.</summary>
    public long AudioPackets { get; private set; }

    /// <summary>Writes the trailer (the MP4 index...), syncs a crash-safe file to the disk and describes the file.</summary>
    public RecordedFile Finish()
    {
        _output.Finish();
        _sync?.Sync();
        return new RecordedFile
        {
            Path = Path, StartedAt = StartedAt, Duration = _source.Time(_end), Packets = Packets, Bytes = Bytes,
            VideoCodec = _source.VideoCodec, AudioCodec = HasAudio ? _source.AudioCodec : null,
        };
    }

    /// <summary>Makes a blocking write give up (a stop that must not wait for a stalled server). Any thread.</summary>
    public void Abort() => _output.Abort();

    /// <summary>Removes the file from disk (after <see cref="Dispose"/>): one that got no packet. Not for a push.</summary>
    public void Remove()
    {
        System.Diagnostics.Debug.Assert(!IsPush && !Started);
        DeleteFile(Path);
    }

    private static void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Removed or made unreachable by someone else meanwhile: nothing of ours is left to clean.
        }
    }

    public void Dispose()
    {
        _sync?.Dispose();
        _output.Dispose();
    }
}
