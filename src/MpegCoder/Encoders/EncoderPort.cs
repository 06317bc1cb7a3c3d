using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MpegCoder.Interop;
using MpegCoder.Lifecycle;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder.Encoders;

/// <summary>
/// What <see cref="MpegEncoder"/> and <see cref="MpegServer"/> share: the original's parameters, the
/// setup that turns them into an <see cref="EncodingSession"/>, the frame checks, and the close.
/// A failed setup or write releases every native object before it returns: nothing stays half open.
/// </summary>
/// <remarks>
/// Two locks, so that no sleep and no I/O ever holds up a call that only looks or stops:
/// <list type="bullet">
/// <item><c>_gate</c>, the state: the parameters and which session is open. Held only for moments;
///   LastError, GetParameter, ToString, Clear and the take-over part of every other call use it.</item>
/// <item><c>_io</c>, the session's native calls (setup, encode, write, trailer, dump): one at a time. Taken
///   before <c>_gate</c> when both are needed, never the other way round.</item>
/// </list>
/// A pacing wait holds neither and waits on the session's stop token. Clear and Dispose take the session out
/// under <c>_gate</c>, abort its stop (a write in progress gives up at once), then release it under <c>_io</c>.
/// A call that finds its session taken out meanwhile leaves the release to whoever took it.
/// </remarks>
internal sealed class EncoderPort
{
    private readonly object _gate = new();
    private readonly object _io = new();
    private readonly FFmpegLogCapture _log = new();
    private readonly string _face;
    private volatile EncodingSession? _session;
    private volatile StopRequest? _opening; // the stop of a setup in progress, for Clear
    private volatile string? _lastError;

    // The original's parameters and defaults (bitRate: 0 = the encoder's own rate control).
    private string? _path;
    private string _codecName = "libx264";
    private int _threads;
    private long _bitRate;
    private int _width = 100, _height = 100, _widthSrc, _heightSrc;
    private int _gopSize = 10, _maxBFrames = 1;
    private (int num, int den) _frameRate = (25, 1);

    private readonly bool _live;

    /// <param name="face">The public class's name, for messages.</param>
    /// <param name="live">Pushing to a live stream: the encoder is tuned for latency.</param>
    public EncoderPort(string face, bool live)
    {
        _face = face;
        _live = live;
    }

    public object Gate => _gate;

    public string? LastError => _lastError;

    public EncodingSession? Session => _session;

    public string? Path { get { lock (_gate) return _path; } }

    public (int num, int den) FrameRate { get { lock (_gate) return _frameRate; } }

    public int GopSize { get { lock (_gate) return _gopSize; } }

    public void SetParameter(IDecoderParameters? decoder, IReadOnlyDictionary<string, object>? configDict, string? path, string? codecName,
        int? nthread, double? bitRate, int? width, int? height, int? widthSrc, int? heightSrc, int? gopSize, int? maxBframe,
        (int num, int den)? frameRate)
    {
        lock (_gate)
        {
            if (decoder is not null) CopyFrom(decoder.GetParameter());
            if (configDict is not null) Apply(configDict);
            if (path is not null) { ArgumentException.ThrowIfNullOrWhiteSpace(path); _path = path; }
            if (codecName is not null) { ArgumentException.ThrowIfNullOrWhiteSpace(codecName); _codecName = codecName; }
            if (nthread is { } t) _threads = NotNegative(t, nameof(nthread));
            if (bitRate is { } kb) _bitRate = kb >= 0 ? (long)(kb * 1024) : throw new ArgumentOutOfRangeException(nameof(bitRate), kb, "The bit rate (kb/s) must not be negative.");
            // Like the original, width/height also set the source size; widthSrc/heightSrc override it.
            if (width is { } w) _width = _widthSrc = Positive(w, nameof(width));
            if (height is { } h) _height = _heightSrc = Positive(h, nameof(height));
            if (widthSrc is { } ws) _widthSrc = NotNegative(ws, nameof(widthSrc));
            if (heightSrc is { } hs) _heightSrc = NotNegative(hs, nameof(heightSrc));
            if (gopSize is { } g) _gopSize = NotNegative(g, "GOPSize");
            if (maxBframe is { } b) _maxBFrames = NotNegative(b, nameof(maxBframe));
            if (frameRate is { } r)
                _frameRate = r.num > 0 && r.den > 0 ? r : throw new ArgumentOutOfRangeException(nameof(frameRate), r, "The frame rate (num, den) must be positive.");
        }
    }

    /// <summary>
    /// The original copies a decoder's codec, rates, GOP, threads and output size. The input's address is
    /// not copied: writing to it would overwrite the source.
    /// </summary>
    private void CopyFrom(IReadOnlyDictionary<string, object> p)
    {
        if (p.TryGetValue("codecName", out var codec) && codec is string { Length: > 0 } c) _codecName = c;
        if (Long(p, "bitRate") is long rate && rate > 0) _bitRate = rate;
        if (Long(p, "GOPSize") is long g && g > 0) _gopSize = (int)g;
        if (Long(p, "maxBframe") is long b && b >= 0) _maxBFrames = (int)b;
        if (Long(p, "nthread") is long t && t >= 0) _threads = (int)t;
        int w = (int)(Long(p, "widthDst") ?? 0), h = (int)(Long(p, "heightDst") ?? 0);
        if (w <= 0 || h <= 0) { w = (int)(Long(p, "width") ?? 0); h = (int)(Long(p, "height") ?? 0); }
        if (w > 0 && h > 0) { _width = _widthSrc = w; _height = _heightSrc = h; }
        if (p.TryGetValue("frameRate", out var fr) && fr is ValueTuple<int, int> { Item1: > 0, Item2: > 0 } r) _frameRate = r;
    }

    /// <summary>The original's configDict: the keys of GetParameter() (bitRate in bits/s there).</summary>
    private void Apply(IReadOnlyDictionary<string, object> d)
    {
        if (d.TryGetValue("videoPath", out var p) && p is string path) _path = path;
        else if (d.TryGetValue("videoAddress", out var a) && a is string address) _path = address;
        if (d.TryGetValue("codecName", out var c) && c is string codec) _codecName = codec;
        if (Long(d, "bitRate") is { } rate) _bitRate = rate;
        if (Long(d, "GOPSize") is { } g) _gopSize = (int)g;
        if (Long(d, "maxBframe") is { } b) _maxBFrames = (int)b;
        if (Long(d, "width") is { } w) _width = _widthSrc = (int)w;
        if (Long(d, "height") is { } h) _height = _heightSrc = (int)h;
        if (Long(d, "widthSrc") is { } ws && Long(d, "heightSrc") is { } hs) { _widthSrc = (int)ws; _heightSrc = (int)hs; }
        if (Long(d, "widthDst") is { } wd && Long(d, "heightDst") is { } hd) { _width = (int)wd; _height = (int)hd; }
        if (d.TryGetValue("frameRate", out var fr) && fr is ValueTuple<int, int> r) _frameRate = r;
        if (Long(d, "nthread") is { } t) _threads = (int)t;
    }

    private static long? Long(IReadOnlyDictionary<string, object> d, string key) =>
        d.TryGetValue(key, out var v) && v is IConvertible c and not string ? c.ToInt64(CultureInfo.InvariantCulture) : null;

    private static int Positive(int value, string name) => value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
    private static int NotNegative(int value, string name) => value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.");

    /// <summary>The original's GetParameter() dictionary (bitRate in bits/s, frameRate as (num, den)).</summary>
    public IReadOnlyDictionary<string, object> Parameters(string pathKey)
    {
        lock (_gate)
        {
            var s = Settings();
            var result = new Dictionary<string, object>
            {
                ["codecName"] = _codecName, ["bitRate"] = _bitRate, ["GOPSize"] = _gopSize, ["maxBframe"] = _maxBFrames,
                ["widthSrc"] = s.SourceWidth, ["heightSrc"] = s.SourceHeight, ["width"] = _width, ["height"] = _height,
                ["frameRate"] = _frameRate, ["nthread"] = _threads,
            };
            if (_path is not null) result[pathKey] = _path;
            return result;
        }
    }

    /// <summary>
    /// The rows of the encoders' GetParameter(string) table (read under <see cref="Gate"/>); bitRate in kb/s
    /// and frameRate as fps here, as in the original.
    /// </summary>
    public static IEnumerable<PortParameter<EncoderPort>> ParameterRows(string pathKey) => new PortParameter<EncoderPort>[]
    {
        new(pathKey, typeof(string), p => p._path),
        new("codecName", typeof(string), p => p._codecName),
        new("bitRate", typeof(double), p => p._bitRate / 1024.0),
        new("width", typeof(int), p => p._width),
        new("height", typeof(int), p => p._height),
        new("widthSrc", typeof(int), p => p.Settings().SourceWidth),
        new("heightSrc", typeof(int), p => p.Settings().SourceHeight),
        new("GOPSize", typeof(int), p => p._gopSize),
        new("maxBframe", typeof(int), p => p._maxBFrames),
        new("frameRate", typeof(double), p => (double)p._frameRate.num / p._frameRate.den),
        new("nthread", typeof(int), p => p._threads),
        new("encoderName", typeof(string), p => p._session?.EncoderName),
        new("pixelFormat", typeof(string), p => p._session?.PixelFormat),
        new("frameCount", typeof(int), p => (int)Math.Min(p._session?.FramesSent ?? 0, int.MaxValue)), // an int, as the client's
    };

    public void ResetPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        lock (_gate) _path = path;
    }

    private EncoderSettings Settings() => new(_codecName, _width, _height,
        _widthSrc > 0 ? _widthSrc : _width, _heightSrc > 0 ? _heightSrc : _height,
        _frameRate, _bitRate, _gopSize, _maxBFrames, _threads, _live);

    /// <summary>Closes a previous output (with its trailer), then opens the encoder and the output.</summary>
    /// <returns>True on success; false with the reason in <see cref="LastError"/>.</returns>
    public bool Setup(string? path, Func<string, (string? format, IReadOnlyDictionary<string, string>? options)> output, TimeSpan ioTimeout)
    {
        FFmpegLoader.EnsureLoadedRelease();
        lock (_io)
        {
            string target;
            EncoderSettings settings;
            var stop = new StopRequest();
            lock (_gate)
            {
                target = path ?? _path ?? throw new InvalidOperationException($"No output: pass one to FFmpegSetup or call ResetPath first.");
                _path = target;
                settings = Settings();
                _opening = stop;
            }
            try
            {
                // Cleared before the close: a trailer that fails on the previous output stays in LastError until the next setup.
                _lastError = null;
                CloseSession(); // the previous output, with its trailer
                string? closeFailure = _lastError;
                _log.Reset();
                var (format, options) = output(target);
                EncodingSession opened;
                try
                {
                    using var capture = FFmpegLog.Capture(_log);
                    opened = EncodingSession.Open(settings, target, format, options, ioTimeout, stop);
                }
                catch (Exception e) when (e is EncoderException or ArgumentException)
                {
                    Fail(stop.IsRequested ? $"{_face}: the setup of '{AddressRedaction.Redact(target)}' was cleared"
                        : $"{_face}: cannot set up '{AddressRedaction.Redact(target)}': {e.Message}" +
                          (closeFailure is null ? "" : $"; before that, closing the previous output: {closeFailure}"));
                    return false;
                }
                lock (_gate)
                {
                    if (stop.IsRequested)
                    {
                        opened.Dispose(); // cleared while opening: nothing stays open
                        return false;
                    }
                    _session = opened;
                }
                MpegCoderGlobal.Info($"{_face}: set up {AddressRedaction.Redact(target)} ({opened.EncoderName}, {opened.PixelFormat}, {opened.FormatName})");
                if (MpegCoderGlobal.DumpLevel >= 2) Dump();
                return true;
            }
            finally
            {
                _opening = null;
            }
        }
    }

    public void Dump()
    {
        lock (_io)
        {
            var s = RequireSession();
            using var info = FFmpegLog.ForceInfo();
            s.Dump();
        }
    }

    /// <summary>
    /// The bytes of a <c>byte[heightSrc, widthSrc, 3]</c> frame for the open session, after checking its
    /// shape against the source size (the error names both).
    /// </summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentException">The frame's shape is not heightSrc x widthSrc x 3.</exception>
    public ReadOnlySpan<byte> FrameBytesOf(byte[,,] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        EncoderSettings s;
        lock (_gate) s = RequireSession().Settings;
        if (frame.GetLength(0) != s.SourceHeight || frame.GetLength(1) != s.SourceWidth || frame.GetLength(2) != 3)
            throw new ArgumentException($"The frame is {frame.GetLength(0)} x {frame.GetLength(1)} x {frame.GetLength(2)}; " +
                $"this encoder takes {s.SourceHeight} x {s.SourceWidth} x 3 (heightSrc x widthSrc x RGB24).", nameof(frame));
        return MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(frame), frame.Length);
    }

    /// <summary>Bytes of one source frame (heightSrc x widthSrc x 3) of the open session.</summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    public int FrameBytes
    {
        get { lock (_gate) return RequireSession().Settings.SourceFrameBytes; }
    }

    /// <summary>Whether an output is open (between a successful setup and the close).</summary>
    public bool IsOpen
    {
        get { lock (_gate) return _session is not null; }
    }

    /// <summary>Checks the frame's shape, then encodes it as <see cref="Encode(ReadOnlySpan{byte})"/> does.</summary>
    public bool Encode(byte[,,] frame) => Encode(FrameBytesOf(frame));

    /// <summary>
    /// Encodes one frame and writes what the encoder gives back, under the I/O lock only. A failed write
    /// closes the output and returns false; so does a Clear or a close on another thread that took the
    /// session out meanwhile (then with no error of its own).
    /// </summary>
    public bool Encode(ReadOnlySpan<byte> frame)
    {
        lock (_io)
        {
            var s = RequireSession();
            if (frame.Length != s.Settings.SourceFrameBytes)
                throw new ArgumentException($"The frame has {frame.Length} bytes; this encoder takes {s.Settings.SourceFrameBytes} " +
                    $"({s.Settings.SourceHeight} x {s.Settings.SourceWidth} x 3, RGB24).", nameof(frame));
            try
            {
                using var capture = FFmpegLog.Capture(_log);
                s.Encode(frame);
                return true;
            }
            catch (EncoderException e)
            {
                if (TakeOut(s))
                {
                    Fail($"{_face}: {e.Message}{LogText()}");
                    s.Dispose();
                }
                return false;
            }
        }
    }

    /// <summary>
    /// Waits, holding no lock, until the timestamp <paramref name="slot"/> gives for the open session (called
    /// under the state lock, so it may start a clock). False when the session is closed or cleared meanwhile.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    public bool Pace(Func<EncodingSession, long> slot)
    {
        EncodingSession s;
        long at;
        lock (_gate)
        {
            s = RequireSession();
            at = slot(s);
        }
        var token = s.Stop.Token;
        long remaining;
        while ((remaining = at - Stopwatch.GetTimestamp()) > 0)
        {
            int ms = (int)Math.Min(int.MaxValue, remaining * 1000 / Stopwatch.Frequency);
            // The last millisecond is spun away, so a slot is not missed by the wait's granularity.
            if (ms >= 2) { if (token.WaitHandle.WaitOne(ms - 1)) return false; }
            else if (token.IsCancellationRequested) return false;
            else Thread.SpinWait(64);
        }
        return !token.IsCancellationRequested;
    }

    /// <summary>Flushes the encoder and writes the trailer; releases everything either way.</summary>
    public bool Close()
    {
        EncodingSession? s;
        lock (_gate)
        {
            s = _session;
            s?.Stop.CancelWaits(); // a pacing wait ends at once; a write in progress finishes (the trailer follows it)
        }
        lock (_io) return CloseSession();
    }

    /// <summary>The close itself, under the I/O lock: the trailer of the open session, then its release.</summary>
    private bool CloseSession()
    {
        Debug.Assert(Monitor.IsEntered(_io));
        var s = _session;
        if (s is null || !TakeOut(s)) return true;
        try
        {
            using var capture = FFmpegLog.Capture(_log);
            s.Finish();
            return true;
        }
        catch (EncoderException e)
        {
            Fail($"{_face}: {e.Message}{LogText()}");
            return false;
        }
        finally
        {
            s.Dispose();
        }
    }

    /// <summary>
    /// Releases the native objects without a trailer (Clear): a setup or a write in progress on another thread
    /// gives up at once, and this returns as soon as it has.
    /// </summary>
    public void Release()
    {
        EncodingSession? s;
        lock (_gate)
        {
            _opening?.Abort();
            s = _session;
            _session = null;
            _lastError = null;
            s?.Stop.Abort();
        }
        if (s is null) return;
        lock (_io) s.Dispose(); // after the aborted call has returned: nothing else uses the session now
    }

    /// <summary>Takes <paramref name="s"/> out as the open session; false when another call already did (and releases it).</summary>
    private bool TakeOut(EncodingSession s)
    {
        lock (_gate)
        {
            if (_session != s) return false;
            _session = null;
            return true;
        }
    }

    private string LogText() => _log.Text() is { } text ? $" (FFmpeg: {text})" : "";

    private void Fail(string message)
    {
        _lastError = message;
        Console.Error.WriteLine(message);
    }

    public EncodingSession RequireSession() =>
        _session ?? throw new InvalidOperationException($"The {_face} is not set up: call FFmpegSetup first.");

    public string Describe()
    {
        lock (_gate)
        {
            var s = Settings();
            var text = new StringBuilder();
            text.AppendLine($"<{_face}>");
            text.AppendLine($"  Output:       {AddressRedaction.Redact(_path)}");
            text.AppendLine($"  Codec:        {_codecName}{(_session is { } open ? $" ({open.EncoderName}, {open.PixelFormat}, {open.FormatName})" : "")}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  Size:         {s.SourceWidth}x{s.SourceHeight} -> {s.Width}x{s.Height}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  Frame rate:   {_frameRate.num}/{_frameRate.den}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  Bit rate:     {(_bitRate > 0 ? $"{_bitRate / 1024.0:0.##} kb/s" : "the encoder's choice")}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  GOP, B-frames: {_gopSize}, {_maxBFrames}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  Threads:      {_threads}");
            text.Append(CultureInfo.InvariantCulture, $"  Frames:       {_session?.FramesSent ?? 0}{(_lastError is null ? "" : $"; last error: {_lastError}")}");
            return text.ToString();
        }
    }
}
