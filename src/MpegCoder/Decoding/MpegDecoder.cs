using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using MpegCoder.Decoding;
using MpegCoder.Interop;
using MpegCoder.Lifecycle;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder;

/// <summary>
/// Random access into a video file by frame index or by time: the C# port of mpegCoder's
/// <c>MpegDecoder</c>. Configure with <see cref="SetParameter"/>, open with <see cref="FFmpegSetup"/>,
/// then ask for any frames with <see cref="ExtractFrame(long, long)"/>, <see cref="ExtractFrameByTime"/>
/// or one GOP at a time with <see cref="ExtractGOP"/>. Frames come as <c>byte[n, h, w, 3]</c> RGB24.
/// </summary>
/// <remarks>
/// <para>
/// Frame N is the N-th frame the file's decoder outputs from its start (ffmpeg's <c>select=eq(n\,N)</c>),
/// whatever the container, the frame rate (constant or variable) or the GOP structure (B-frames, open GOPs).
/// <see cref="FFmpegSetup"/> reads the file's packets once (no decoding) to index every frame's timestamp and
/// keyframe; an extraction then seeks to the keyframe its first frame needs and decodes forward. A request
/// that starts after the last frame decoded continues from the decoder's state instead of seeking, so
/// reading a file in increasing order decodes each frame once.
/// </para>
/// <para>All members are thread-safe. Setups, extractions and dumps run one at a time; <see cref="LastError"/>,
/// <see cref="GetParameter(string)"/>, <see cref="ToString"/> and the sizes never wait for them, and <see cref="Clear"/>
/// and <see cref="Dispose"/> interrupt the one running on another thread at once.</para>
/// </remarks>
public sealed class MpegDecoder : IDisposable, IDecoderParameters
{
    // Two locks, so that nothing that reports waits for the network: _io is held by the calls that do
    // FFmpeg's work (setup, extraction, dump, release), one at a time; _gate only for moments, around the
    // fields below. Order: _io before _gate, never the other way. The reader is detached under _gate before
    // it is disposed under _io, so a report holding _gate never reads a reader being freed.
    private readonly object _io = new();
    private readonly object _gate = new();
    private volatile StopRequest? _stop; // the open file's: Clear and Dispose abort its reads from any thread
    private FileFrameReader? _reader;
    private string? _videoPath;
    private int _widthDst, _heightDst, _nthread;
    private int _nextGop;
    private long _lastCount;
    private string? _lastError;

    /// <summary>Creates a decoder with the default parameters (source size, FFmpeg's choice of threads).</summary>
    public MpegDecoder() { }

    private Scaling _scaling = Scaling.Bicubic;

    /// <summary>
    /// How frames are resized when widthDst or heightDst differ from the source's, for the next
    /// <see cref="FFmpegSetup"/>. Default bicubic, as the original.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value that is not a <see cref="MpegCoder.Scaling"/>.</exception>
    public Scaling Scaling
    {
        get { lock (_gate) return _scaling; }
        set
        {
            if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "Not a Scaling value.");
            lock (_gate) _scaling = value;
        }
    }

    private TimeSpan _openTimeout = MpegClient.DefaultOpenTimeout, _readTimeout = MpegClient.DefaultStallTimeout;

    /// <summary>
    /// How long <see cref="FFmpegSetup"/> may take to open the file and find its stream, for the next setup.
    /// Default 10 s, as the client's open timeout. Matters for files on a server (http, ftp, sftp...).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or negative (use <see cref="Timeout.InfiniteTimeSpan"/> for none).</exception>
    public TimeSpan OpenTimeout
    {
        get { lock (_gate) return _openTimeout; }
        set { CheckTimeout(value); lock (_gate) _openTimeout = value; }
    }

    /// <summary>
    /// How long each read or seek may wait for data, for the next <see cref="FFmpegSetup"/>: the setup's pass
    /// over the file and every extraction. Default 5 s, as the client's stall timeout. A file on a server
    /// that stops sending fails the call within this time (setup returns false; an extraction throws
    /// <see cref="MpegCoderException"/>) instead of hanging it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or negative (use <see cref="Timeout.InfiniteTimeSpan"/> for none).</exception>
    public TimeSpan ReadTimeout
    {
        get { lock (_gate) return _readTimeout; }
        set { CheckTimeout(value); lock (_gate) _readTimeout = value; }
    }

    private static void CheckTimeout(TimeSpan value)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(value), value, "A timeout must be positive, or Timeout.InfiniteTimeSpan.");
    }

    /// <summary>
    /// Why the last <see cref="FFmpegSetup"/> failed, or which frames the last extraction could not give
    /// (the decoder output nothing for them: damaged data); null when all is well.
    /// </summary>
    public string? LastError { get { lock (_gate) return _lastError; } }

    /// <summary>Sets parameters for the next <see cref="FFmpegSetup"/>; omitted ones keep their value.</summary>
    /// <param name="widthDst">Output width; 0 = the source's width.</param>
    /// <param name="heightDst">Output height; 0 = the source's height.</param>
    /// <param name="nthread">Decoder threads; 0 = FFmpeg's choice.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative value.</exception>
    public void SetParameter(int? widthDst = null, int? heightDst = null, int? nthread = null)
    {
        if (widthDst is { } w) ArgumentOutOfRangeException.ThrowIfNegative(w, nameof(widthDst));
        if (heightDst is { } h) ArgumentOutOfRangeException.ThrowIfNegative(h, nameof(heightDst));
        if (nthread is { } t) ArgumentOutOfRangeException.ThrowIfNegative(t, nameof(nthread));
        lock (_gate)
        {
            _widthDst = widthDst ?? _widthDst;
            _heightDst = heightDst ?? _heightDst;
            _nthread = nthread ?? _nthread;
        }
    }

    /// <summary>
    /// One parameter by the original's name, as the type of the original's Python value: videoPath,
    /// coderName (string); width, height (int, the source's); frameCount (int: frames returned by the last
    /// extraction); nthread (int); duration (double, s); estFrameNum (int: frames in the file, counted
    /// exactly at setup); avgFrameRate (double, fps); and the names of <see cref="GetParameter()"/>, plus
    /// GOPCount (int). Before setup: 0, 0.0 or "" as the original, and null for frameRate.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public object? GetParameter(string name)
    {
        lock (_gate) return Parameters.Read(this, name);
    }

    /// <summary>The names <see cref="GetParameter(string)"/> knows, their types, and where each value comes from (read under the state lock).</summary>
    internal static readonly PortParameterTable<MpegDecoder> Parameters = new(new PortParameter<MpegDecoder>[]
    {
        new("videoPath", typeof(string), d => d._videoPath ?? ""),
        new("width", typeof(int), d => d._reader?.Source.Width ?? 0),
        new("height", typeof(int), d => d._reader?.Source.Height ?? 0),
        new("frameCount", typeof(int), d => Int(d._lastCount)),
        new("coderName", typeof(string), d => d._reader?.CodecName ?? ""),
        new("nthread", typeof(int), d => d._reader?.DecoderThreads ?? d._nthread),
        new("duration", typeof(double), d => d._reader is { } r ? Duration(r) : 0.0),
        new("estFrameNum", typeof(int), d => d._reader?.Index.Count ?? 0),
        new("avgFrameRate", typeof(double), d => d._reader is { } r ? AverageFrameRate(r) : 0.0),
        new("codecName", typeof(string), d => d._reader?.CodecName ?? ""),
        new("bitRate", typeof(int), d => d._reader is { } r ? Int(r.DecoderOption("b")) : 0), // the video stream's, as the original's codec context
        new("GOPSize", typeof(int), d => d._reader is { } r ? Int(r.DecoderOption("g")) : 0),
        new("maxBframe", typeof(int), d => d._reader is { } r ? Int(r.DecoderOption("bf")) : 0),
        new("GOPCount", typeof(int), d => d._reader?.Index.GopCount ?? 0),
        new("widthDst", typeof(int), d => d._reader?.Width ?? d._widthDst),
        new("heightDst", typeof(int), d => d._reader?.Height ?? d._heightDst),
        new("frameRate", typeof((int, int)), d => d._reader?.Source.FrameRate),
    });

    /// <summary>
    /// The original's parameter dictionary: videoPath, codecName, then after setup bitRate, GOPSize,
    /// maxBframe; nthread; widthDst and heightDst when set; width, height; frameRate as (num, den) after setup.
    /// </summary>
    public IReadOnlyDictionary<string, object> GetParameter()
    {
        lock (_gate) return PortParameters.Dictionary("videoPath", _reader is not null, GetParameter);
    }

    private static int Int(long value) => PortParameters.Int(value);

    /// <summary>Sets the default path for <see cref="FFmpegSetup"/>; opens nothing.</summary>
    public void ResetPath(string videoPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(videoPath);
        lock (_gate) _videoPath = videoPath;
    }

    /// <summary>
    /// Opens the file, finds its best video stream, indexes its frames (one pass over the packets, no
    /// decoding) and opens the decoder and the scaler. Releases a previously opened file first.
    /// </summary>
    /// <param name="videoPath">The file (or any address FFmpeg can seek in); null uses the one of <see cref="ResetPath"/> or the last setup.</param>
    /// <returns>True on success; false with the reason (FFmpeg's own text included) in <see cref="LastError"/>.</returns>
    /// <exception cref="InvalidOperationException">No path given and none set before.</exception>
    /// <exception cref="FFmpegNotFoundException">No supported FFmpeg is installed.</exception>
    public bool FFmpegSetup(string? videoPath = null)
    {
        FFmpegLoader.EnsureLoadedRelease();
        lock (_io)
        {
            string path;
            int width, height, threads;
            Scaling scaling;
            TimeSpan openTimeout, readTimeout;
            // The stop is published before the open: a Clear from another thread aborts the setup.
            var stop = new StopRequest();
            lock (_gate)
                path = videoPath ?? _videoPath
                    ?? throw new InvalidOperationException("No video path: pass one to FFmpegSetup or call ResetPath first.");
            Release();
            lock (_gate)
            {
                _videoPath = path;
                _lastError = null;
                (width, height, threads, scaling, openTimeout, readTimeout) = (_widthDst, _heightDst, _nthread, _scaling, _openTimeout, _readTimeout);
                _stop = stop;
            }
            // The same messages as the client's: FFmpeg's lines captured into the reason, errors to standard error.
            var log = new StreamLog(null);
            FileFrameReader reader;
            try
            {
                reader = SetupFailure.Open(path, log, () =>
                    FileFrameReader.Open(path, width, height, scaling, threads, stop.Interrupt, openTimeout, readTimeout));
            }
            catch (StreamOpenException)
            {
                lock (_gate)
                {
                    _stop = null;
                    _lastError = log.LastError;
                }
                log.Write(LogLevel.Error, log.LastError!);
                return false;
            }
            lock (_gate) _reader = reader;
            log.Write(LogLevel.Information, $"set up {AddressRedaction.Redact(path)}");
            if (MpegCoderGlobal.DumpLevel >= 2) DumpFile();
            return true;
        }
    }

    /// <summary>Prints FFmpeg's description of the open file (av_dump_format) to standard error.</summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    public void DumpFile()
    {
        lock (_io)
        {
            var r = RequireReader();
            using var info = FFmpegLog.ForceInfo();
            r.Source.Dump(AddressRedaction.Redact(_videoPath!));
        }
    }

    /// <summary>
    /// Frames <paramref name="framePos"/> .. framePos + frameNum - 1 by index, as <c>byte[n, height, width, 3]</c>
    /// RGB24; fewer at the end of the file.
    /// </summary>
    /// <param name="framePos">The first frame's index (0 = the first frame of the file).</param>
    /// <param name="frameNum">How many frames.</param>
    /// <returns>The frames, or null when <paramref name="framePos"/> is past the last frame.</returns>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative position, frameNum below 1, or more frames than one .NET array holds (<see cref="Array.MaxLength"/> bytes: use the Span form).</exception>
    /// <exception cref="MpegCoderException">The file cannot be read or seeked any more (changed on disk, I/O error).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
        Justification = "The port keeps the original's optional framePos and frameNum on both forms of ExtractFrame.")]
    public byte[,,,]? ExtractFrame(long framePos = 0, long frameNum = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(framePos);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameNum, 1);
        lock (_io) return Extract(RequireReader(), framePos, frameNum, nameof(frameNum));
    }

    /// <summary>
    /// The same as <see cref="ExtractFrame(long, long)"/>, starting at the first frame shown at or after
    /// <paramref name="timePos"/> seconds from the first frame of the file.
    /// </summary>
    /// <returns>The frames, or null when no frame is shown at or after that time.</returns>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite time, frameNum below 1, or more frames than one .NET array holds.</exception>
    public byte[,,,]? ExtractFrameByTime(double timePos = 0, long frameNum = 1)
    {
        CheckTime(timePos);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameNum, 1);
        lock (_io)
        {
            var r = RequireReader();
            return Extract(r, r.Index.FrameAtTime(timePos, r.Source.TimeBase), frameNum, nameof(frameNum));
        }
    }

    /// <summary>
    /// One whole GOP: the frames from a keyframe up to the frame before the next keyframe, in order.
    /// Reading GOP after GOP from the start returns every frame of the file exactly once.
    /// </summary>
    /// <param name="framePos">A frame of the GOP wanted; null = the GOP after the last one read (at first, the first GOP).</param>
    /// <returns>The GOP's frames, or null after the last GOP (or for a position past the last frame).</returns>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative position, or a GOP longer than one .NET array holds (read it with the Span form of ExtractFrame).</exception>
    public byte[,,,]? ExtractGOP(long? framePos = null)
    {
        if (framePos is { } p) ArgumentOutOfRangeException.ThrowIfNegative(p, nameof(framePos));
        lock (_io)
        {
            var r = RequireReader();
            if (framePos is { } position)
            {
                if (position >= r.Index.Count) return null;
                lock (_gate) _nextGop = r.Index.GopOf(position);
            }
            return NextGop(r);
        }
    }

    /// <summary>The GOP holding the frame shown at <paramref name="timePos"/> seconds (the first frame at or after it); see <see cref="ExtractGOP"/>.</summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite time, or a GOP longer than one .NET array holds.</exception>
    public byte[,,,]? ExtractGOPByTime(double timePos)
    {
        CheckTime(timePos);
        lock (_io)
        {
            var r = RequireReader();
            long frame = r.Index.FrameAtTime(timePos, r.Source.TimeBase);
            if (frame >= r.Index.Count) return null;
            lock (_gate) _nextGop = r.Index.GopOf(frame);
            return NextGop(r);
        }
    }

    /// <summary>
    /// Sets the GOP that <see cref="ExtractGOP"/> without a position returns next: the one holding frame
    /// <paramref name="framePos"/>, or the frame at <paramref name="timePos"/> seconds; with neither, the first GOP.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentException">Both a frame and a time.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative position or time.</exception>
    public void ResetGOPPosition(long? framePos = null, double? timePos = null)
    {
        if (framePos is not null && timePos is not null)
            throw new ArgumentException("Give a frame position or a time, not both.", nameof(timePos));
        if (framePos is { } p) ArgumentOutOfRangeException.ThrowIfNegative(p, nameof(framePos));
        if (timePos is { } t) CheckTime(t);
        lock (_gate)
        {
            var r = RequireReader();
            long frame = framePos ?? (timePos is { } time ? r.Index.FrameAtTime(time, r.Source.TimeBase) : 0);
            _nextGop = frame >= r.Index.Count ? r.Index.GopCount : r.Index.GopOf(frame);
        }
    }

    /// <summary>
    /// The allocation-free form of <see cref="ExtractFrame(long, long)"/>: writes frames framePos ..
    /// framePos + frameNum - 1 into <paramref name="destination"/>, one after the other (<see cref="FrameBytes"/>
    /// each), and their metadata into <paramref name="metadata"/> (pass an empty span to skip it).
    /// <see cref="FrameMetadata.Sequence"/> is the frame's index in the file; <see cref="FrameMetadata.PresentationTime"/>
    /// counts from the first frame.
    /// </summary>
    /// <returns>The number of frames written (fewer than frameNum at the end of the file), or -1 when framePos is past the last frame.</returns>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative position, or frameNum below 1.</exception>
    /// <exception cref="ArgumentException">The destination or a non-empty metadata span is too small for frameNum frames (or for the frames left).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
        Justification = "The port keeps the original's optional framePos and frameNum on both forms of ExtractFrame.")]
    public int ExtractFrame(Span<byte> destination, Span<FrameMetadata> metadata, long framePos = 0, long frameNum = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(framePos);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameNum, 1);
        lock (_io)
        {
            var r = RequireReader();
            if (framePos >= r.Index.Count) return -1;
            long n = Math.Min(frameNum, r.Index.Count - framePos);
            if (destination.Length < n * r.FrameBytes)
                throw new ArgumentException($"The destination holds {destination.Length} bytes; {n} frames need {n * r.FrameBytes}.", nameof(destination));
            if (!metadata.IsEmpty && metadata.Length < n)
                throw new ArgumentException($"The metadata span holds {metadata.Length} entries; {n} frames need {n}.", nameof(metadata));
            return Read(r, framePos, n, destination, metadata);
        }
    }

    /// <summary>Bytes of one output frame (height x width x 3) of the open file.</summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    public int FrameBytes { get { lock (_gate) return RequireReader().FrameBytes; } }

    /// <summary>Frames in the open file (the same as the parameter estFrameNum, which is exact here).</summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    public long FrameCount { get { lock (_gate) return RequireReader().Index.Count; } }

    /// <summary>Closes the file and releases all native resources; keeps the path and parameters. Safe at any time.</summary>
    public void Clear()
    {
        // Abort a setup or an extraction in progress on another thread at once (a file has no connection
        // state worth a grace), so the lock below is not held for long.
        _stop?.Abort();
        lock (_io)
        {
            Release();
            lock (_gate) _lastError = null;
        }
    }

    /// <summary>The same as <see cref="Clear"/>: the decoder stays usable.</summary>
    public void Dispose() => Clear();

    /// <summary>The original's status report.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            var r = _reader;
            var text = new StringBuilder();
            text.AppendLine("<MpegDecoder>");
            text.AppendLine($"  Path:         {AddressRedaction.Redact(_videoPath)}");
            if (r is null)
            {
                text.Append($"  Target size:  {(_widthDst > 0 ? _widthDst : "source")} x {(_heightDst > 0 ? _heightDst : "source")} (not set up)");
                return text.ToString();
            }
            var c = CultureInfo.InvariantCulture;
            text.AppendLine($"  Source size:  {r.Source.Width} x {r.Source.Height}");
            text.AppendLine($"  Target size:  {r.Width} x {r.Height}");
            text.AppendLine($"  Decoder:      {r.CodecName}, {r.DecoderThreads} thread(s)");
            text.AppendLine($"  Duration:     {Duration(r).ToString("0.###", c)} s");
            text.AppendLine($"  Frames:       {r.Index.Count} in {r.Index.GopCount} GOP(s), {AverageFrameRate(r).ToString("0.###", c)} fps on average");
            text.Append($"  Next GOP:     {(_nextGop < r.Index.GopCount ? _nextGop.ToString(c) : "none (all read)")}");
            return text.ToString();
        }
    }

    private byte[,,,]? Extract(FileFrameReader r, long first, long count, string parameter)
    {
        if (first >= r.Index.Count) return null;
        long n = Math.Min(count, r.Index.Count - first);
        StreamOptions.CheckArraySize(n, r.FrameBytes, parameter);
        var frames = new byte[n, r.Height, r.Width, 3];
        var bytes = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(frames), frames.Length);
        int written = Read(r, first, n, bytes, default);
        if (written == n) return frames;
        // The decoder could not produce some frame: return the ones it did.
        var shorter = new byte[written, r.Height, r.Width, 3];
        bytes[..(written * r.FrameBytes)].CopyTo(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(shorter), shorter.Length));
        return shorter;
    }

    /// <summary>
    /// The one read of every extraction. Frames the decoder never output (damaged or undecodable data)
    /// are left out of the result and named in <see cref="LastError"/>; a complete read clears it.
    /// </summary>
    private int Read(FileFrameReader r, long first, long count, Span<byte> pixels, Span<FrameMetadata> metadata)
    {
        Debug.Assert(Monitor.IsEntered(_io) && !Monitor.IsEntered(_gate), "reads run under _io alone: reports must not wait for them");
        int written;
        try
        {
            written = r.Read(first, count, pixels, metadata);
        }
        catch (MpegCoderException e)
        {
            lock (_gate) _lastError = e.Message; // a stall, a cleared decoder, an I/O error: the reason stays readable
            throw;
        }
        string? error = r.Missing is { } missing
            ? $"frames {first} to {first + count - 1}: {written} came out of the decoder; {missing}"
            : null;
        lock (_gate)
        {
            _lastCount = written;
            _lastError = error;
        }
        if (error is not null) MpegCoderGlobal.Info($"MpegDecoder: {error}");
        return written;
    }

    private byte[,,,]? NextGop(FileFrameReader r)
    {
        int gop;
        lock (_gate) gop = _nextGop;
        if (gop >= r.Index.GopCount) return null;
        var (start, count) = r.Index.Gop(gop);
        var frames = Extract(r, start, count, "framePos");
        lock (_gate) _nextGop = gop + 1; // after the read: a GOP too long for one array is not skipped over
        return frames;
    }

    private static void CheckTime(double seconds, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(seconds))] string? name = null)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
            throw new ArgumentOutOfRangeException(name, seconds, "A time must be a finite number of seconds, 0 or more.");
    }

    private static double Duration(FileFrameReader r) =>
        r.Source.Duration > 0 ? r.Source.Duration : r.Index.Time(r.Index.Count - 1, r.Source.TimeBase).TotalSeconds;

    /// <summary>Frames per second over the file: (frames - 1) over the time from the first frame to the last.</summary>
    private static double AverageFrameRate(FileFrameReader r)
    {
        double span = r.Index.Time(r.Index.Count - 1, r.Source.TimeBase).TotalSeconds;
        return span > 0 ? (r.Index.Count - 1) / span : r.Source.FrameRate.den == 0 ? 0 : (double)r.Source.FrameRate.num / r.Source.FrameRate.den;
    }

    /// <summary>The open file's reader, for tests of this assembly.</summary>
    internal FileFrameReader? Reader { get { lock (_gate) return _reader; } }

    private FileFrameReader RequireReader()
    {
        lock (_gate) return _reader ?? throw new InvalidOperationException("The decoder is not set up: call FFmpegSetup first.");
    }

    /// <summary>Detaches the open file under <c>_gate</c>, then frees it; the caller holds <c>_io</c>.</summary>
    private void Release()
    {
        Debug.Assert(Monitor.IsEntered(_io));
        FileFrameReader? r;
        lock (_gate)
        {
            r = _reader;
            _reader = null;
            _stop = null;
            _nextGop = 0;
            _lastCount = 0;
        }
        r?.Dispose();
    }
}
