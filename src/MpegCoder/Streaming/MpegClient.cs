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
/// Pulls a video stream in the background and hands out its newest frames: the C# port of
/// mpegCoder's <c>MpegClient</c>. Configure with <see cref="SetParameter"/>, connect with
/// <see cref="FFmpegSetup"/>, start the writer thread with <see cref="Start"/>, and call
/// <see cref="ExtractFrame(int)"/> whenever you want the newest frames as <c>byte[n, h, w, 3]</c> RGB24.
/// </summary>
/// <remarks>
/// All members are thread-safe. <see cref="ExtractFrame(int)"/> may be called from any number of threads
/// while the writer runs; it never returns a half-written frame.
/// </remarks>
public sealed class MpegClient : IDisposable, IAsyncDisposable, IDecoderParameters
{
    /// <summary>How long <see cref="FFmpegSetup"/> may take to connect and probe, unless <see cref="Options"/> says otherwise.</summary>
    public static readonly TimeSpan DefaultOpenTimeout = new StreamOptions().OpenTimeout;

    /// <summary>How long the writer waits for the next packet before it declares the stream ended, unless <see cref="Options"/> says otherwise.</summary>
    public static readonly TimeSpan DefaultStallTimeout = new StreamOptions().StallTimeout;

    private readonly object _gate = new();
    private StreamInterrupt? _opening;
    private volatile StreamSession? _session;
    private volatile StreamLog? _failedSetup; // the log of the last setup when it failed: what went wrong

    private string? _videoAddress;
    private StreamOptions _options = new();

    /// <summary>Creates a client with the default parameters (source size, every frame, readSize 1, cacheSize 2).</summary>
    public MpegClient() { }

    /// <summary>Why the last <see cref="FFmpegSetup"/> failed, or why the stream ended; null when all is well.</summary>
    public string? LastError => _session is { } s ? s.EndReason : _failedSetup?.LastError;

    /// <summary>
    /// Sets parameters for the next <see cref="FFmpegSetup"/>; omitted ones keep their value.
    /// </summary>
    /// <param name="widthDst">Output width; 0 = the source's width.</param>
    /// <param name="heightDst">Output height; 0 = the source's height.</param>
    /// <param name="cacheSize">Ring slots (recommended: 2 x readSize). 0 (the default) follows readSize as 2 x readSize.</param>
    /// <param name="readSize">Frames <see cref="ExtractFrame(int)"/> returns by default.</param>
    /// <param name="dstFrameRate">Target frame rate (num, den): frames are kept or dropped by their timestamps. Default: the source's rate.</param>
    /// <param name="nthread">Decoder threads; 0 = FFmpeg's choice.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative size, a size above <see cref="StreamOptions.MaxDimension"/>,
    /// a rate of zero, readSize greater than cacheSize, or readSize frames that would not fit one .NET array;
    /// the message names the parameter and the limit.</exception>
    public void SetParameter(int? widthDst = null, int? heightDst = null, int? cacheSize = null,
                             int? readSize = null, (int num, int den)? dstFrameRate = null, int? nthread = null)
    {
        lock (_gate)
        {
            var next = _options with
            {
                Width = widthDst ?? _options.Width,
                Height = heightDst ?? _options.Height,
                CacheSize = cacheSize ?? _options.CacheSize,
                ReadSize = readSize ?? _options.ReadSize,
                FrameRate = dstFrameRate ?? _options.FrameRate,
                Threads = nthread ?? _options.Threads,
            };
            try
            {
                next.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                // Name the port's parameter, not the option behind it.
                string name = e.ParamName switch
                {
                    nameof(StreamOptions.Width) => nameof(widthDst), nameof(StreamOptions.Height) => nameof(heightDst),
                    nameof(StreamOptions.CacheSize) => nameof(cacheSize), nameof(StreamOptions.ReadSize) => nameof(readSize),
                    nameof(StreamOptions.FrameRate) => nameof(dstFrameRate), nameof(StreamOptions.Threads) => nameof(nthread),
                    _ => e.ParamName ?? "",
                };
                throw new ArgumentOutOfRangeException(name, e.ActualValue, e.Message.Split(" (Parameter")[0]);
            }
            _options = next;
        }
    }

    /// <summary>
    /// All settings for the next <see cref="FFmpegSetup"/>, including those the original has no
    /// parameter for (timeouts, RTSP transport, FFmpeg options). <see cref="SetParameter"/> edits this same value.
    /// </summary>
    /// <example><code>client.Options = client.Options with { RtspTransport = RtspTransport.Tcp };</code></example>
    /// <exception cref="ArgumentOutOfRangeException">Values that cannot work (see <see cref="StreamOptions.Validate"/>).</exception>
    public StreamOptions Options
    {
        get { lock (_gate) return _options; }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            lock (_gate) _options = value;
        }
    }

    /// <summary>
    /// One parameter by the original's name, with the type the original gives it, so that a cast such
    /// as <c>(int)client.GetParameter("frameCount")</c> always works:
    /// <list type="bullet">
    /// <item><c>int</c>: width, height (the source's), frameCount (frames decoded so far), nthread,
    /// estFrameNum, bitRate, GOPSize, maxBframe, widthDst, heightDst, readSize, cacheSize; 0 when not
    /// known yet (before setup), as in the original; values past <see cref="int.MaxValue"/> stay there.</item>
    /// <item><c>double</c>: duration (s), srcFrameRate (fps); 0.0 when not known.</item>
    /// <item><c>string</c>: videoAddress, coderName (also codecName); "" when not known.</item>
    /// <item><c>(int num, int den)</c>: frameRate (the source's), dstFrameRate (the target); null when
    /// unknown or not set (the original leaves them out of its dictionary then).</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public object? GetParameter(string name) => Parameters.Read(this, name);

    /// <summary>The names <see cref="GetParameter(string)"/> knows, their types, and where each value comes from.</summary>
    internal static readonly PortParameterTable<MpegClient> Parameters = new(new PortParameter<MpegClient>[]
    {
        new("videoAddress", typeof(string), c => c._videoAddress ?? ""),
        new("width", typeof(int), c => c._session?.Info?.Width ?? 0),
        new("height", typeof(int), c => c._session?.Info?.Height ?? 0),
        new("frameCount", typeof(int), c => Int(c._session?.Statistics.FramesDecoded ?? 0)),
        new("coderName", typeof(string), c => c._session?.Info?.CodecName ?? ""),
        new("nthread", typeof(int), c => c._session?.Info?.DecoderThreads ?? c._options.Threads),
        new("duration", typeof(double), c => c._session?.Info?.Duration?.TotalSeconds ?? 0.0),
        new("estFrameNum", typeof(int), c => Int(c._session?.Info?.FrameCount ?? 0)),
        new("srcFrameRate", typeof(double), c => c._session?.Info?.FramesPerSecond ?? 0.0),
        new("codecName", typeof(string), c => c._session?.Info?.CodecName ?? ""),
        new("bitRate", typeof(int), c => Int(c._session?.Info?.BitRate ?? 0)),
        new("GOPSize", typeof(int), c => c._session?.Info?.GopSize ?? 0),
        new("maxBframe", typeof(int), c => c._session?.Info?.MaxBFrames ?? 0),
        new("widthDst", typeof(int), c => c._session?.Width ?? c._options.Width),
        new("heightDst", typeof(int), c => c._session?.Height ?? c._options.Height),
        new("frameRate", typeof((int, int)), c => c._session?.Info?.FrameRate),
        new("readSize", typeof(int), c => (c._session?.Settings ?? c._options).ReadSize),
        new("cacheSize", typeof(int), c => (c._session?.Settings ?? c._options).EffectiveCacheSize),
        new("dstFrameRate", typeof((int, int)), c => (c._session?.Settings ?? c._options).FrameRate),
    });

    /// <summary>A count as the original's C int: saturated rather than wrapped past <see cref="int.MaxValue"/>.</summary>
    private static int Int(long value) => PortParameters.Int(value);

    /// <summary>
    /// The original's parameter dictionary, with the types of <see cref="GetParameter(string)"/>:
    /// videoAddress, codecName, nthread, width, height always; bitRate, GOPSize, maxBframe and frameRate
    /// once set up; widthDst and heightDst when not 0.
    /// </summary>
    public IReadOnlyDictionary<string, object> GetParameter() =>
        PortParameters.Dictionary("videoAddress", _session is not null, GetParameter);

    /// <summary>Sets the default address for <see cref="FFmpegSetup"/>; opens nothing.</summary>
    public void ResetPath(string videoAddress)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(videoAddress);
        lock (_gate) _videoAddress = videoAddress;
    }

    /// <summary>
    /// Opens the stream (the protocol comes from the address), finds its best video stream, opens the
    /// decoder and prepares the scaler and the ring. Releases a previous connection first. Never blocks
    /// longer than the open timeout (<see cref="StreamOptions.OpenTimeout"/>, 10 s by default).
    /// </summary>
    /// <param name="videoAddress">The address; null uses the one of <see cref="ResetPath"/> or the last setup.</param>
    /// <returns>True on success; false with the reason (FFmpeg's own text included) in <see cref="LastError"/>.</returns>
    /// <exception cref="InvalidOperationException">No address given and none set before.</exception>
    /// <exception cref="FFmpegNotFoundException">No supported FFmpeg is installed.</exception>
    public bool FFmpegSetup(string? videoAddress = null)
    {
        FFmpegLoader.EnsureLoadedRelease();
        // The previous stream is released outside the lock: its writer may be in a StateChanged handler
        // that calls into this client, and must not wait for the lock while this thread waits for it.
        ReleaseSession();
        lock (_gate)
        {
            string address = videoAddress ?? _videoAddress
                ?? throw new InvalidOperationException("No video address: pass one to FFmpegSetup or call ResetPath first.");
            ReleaseSession(); // one a concurrent setup made meanwhile (its writer is not this thread: quick)
            _videoAddress = address;
            var log = new StreamLog(_options.Logger);
            var interrupt = new StreamInterrupt();
            Volatile.Write(ref _opening, interrupt);
            try
            {
                _session = StreamSession.Open(address, _options, interrupt, log);
            }
            catch (StreamOpenException)
            {
                _failedSetup = log;
                log.Write(LogLevel.Error, log.LastError!);
                return false;
            }
            finally
            {
                Volatile.Write(ref _opening, null);
            }
            log.Write(LogLevel.Information, $"set up {AddressRedaction.Redact(address)}");
            if (MpegCoderGlobal.DumpLevel >= 2) DumpFile();
            return true;
        }
    }

    /// <summary>
    /// Prints FFmpeg's description of the open stream (av_dump_format) to standard error. Safe while the
    /// writer runs: the dump waits for the demuxer between two packets.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    public void DumpFile()
    {
        lock (_gate)
        {
            var s = RequireSession();
            using var info = FFmpegLog.ForceInfo();
            s.DumpFormat(AddressRedaction.Redact(s.Url));
        }
    }

    /// <summary>Starts (or resumes) the writer thread.</summary>
    /// <returns>True if the writer runs; false if the stream has already ended (see <see cref="LastError"/>).</returns>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    public bool Start()
    {
        try
        {
            return RequireSession().Start();
        }
        catch (ObjectDisposedException)
        {
            throw new InvalidOperationException("The client is not set up: call FFmpegSetup first."); // cleared by another thread meanwhile
        }
    }

    /// <summary>
    /// Stops the writer thread; the connection stays open, <see cref="Start"/> resumes, and
    /// <see cref="ExtractFrame(int)"/> keeps answering with the last frames. Interrupts a blocked read.
    /// Safe from any thread, a handler on the writer thread included (it then returns at once).
    /// </summary>
    public void Terminate() => _session?.Stop();

    /// <summary>
    /// Copies frames out of the ring, oldest first, as <c>byte[n, height, width, 3]</c> RGB24.
    /// A live stream (<see cref="FullRingPolicy.OverwriteOldest"/>) gives its newest frames and consumes
    /// nothing; before that many frames have arrived it returns the ones that exist (n may be 0): never padding.
    /// A file (<see cref="FullRingPolicy.WaitForReader"/>) gives the next frames no read has taken and takes
    /// them: each call waits for a whole batch of readSize frames (the last one may be shorter), so
    /// <c>while ((frames = client.ExtractFrame()) != null)</c> sees every frame once, in order. While the writer
    /// is stopped it returns what is there without waiting.
    /// </summary>
    /// <param name="readSize">Frames wanted; 0 = the configured readSize. At most cacheSize.</param>
    /// <returns>The frames, or null once the stream has ended (remote close, error, stall, end of file; see
    /// <see cref="LastError"/>) and, for a file, every frame has been read.</returns>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentOutOfRangeException">readSize negative or greater than cacheSize.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
        Justification = "The port keeps the original's optional readSize on both forms of ExtractFrame.")]
    public byte[,,,]? ExtractFrame(int readSize = 0)
    {
        var s = RequireSession();
        var reads = Readable(s, readSize);
        if (reads is null) return null;
        var frames = reads.Extract(readSize, nameof(readSize), k => new PortFrames(new byte[k, s.Height, s.Width, s.Settings.PixelFormat.BytesPerPixel()])).Array;
        return frames.GetLength(0) == 0 && reads.Exhausted ? null : frames;
    }

    /// <summary>
    /// The allocation-free form of <see cref="ExtractFrame(int)"/>: copies the same frames into
    /// <paramref name="destination"/>, which must hold readSize x <see cref="FrameBytes"/> bytes.
    /// </summary>
    /// <returns>The number of frames copied (fewer than asked only while fewer exist), or -1 once the stream has ended.</returns>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentException">The destination is too small for readSize frames.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
        Justification = "The port keeps the original's optional readSize on both forms of ExtractFrame.")]
    public int ExtractFrame(Span<byte> destination, int readSize = 0)
    {
        var reads = Readable(RequireSession(), readSize);
        if (reads is null) return -1;
        int copied = reads.Extract(readSize, destination, nameof(readSize));
        return copied == 0 && reads.Exhausted ? -1 : copied;
    }

    /// <summary>
    /// Copies the newest frames (at most <paramref name="count"/>, 0 = the configured readSize) into
    /// <paramref name="destination"/>, oldest first, whatever the source: never waits and never takes a frame,
    /// so on a file <see cref="ExtractFrame(int)"/> still returns every frame (see docs/architecture.md,
    /// "Reading: newest and take"). The frames stay readable after the stream has ended.
    /// </summary>
    /// <returns>The number of frames copied: fewer than asked only while fewer exist.</returns>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentException">The destination is too small for count frames.</exception>
    /// <exception cref="ArgumentOutOfRangeException">count negative or greater than cacheSize.</exception>
    public int CopyNewestFrames(Span<byte> destination, int count = 0) =>
        RequireSession().Reads.ReadNewest(count, destination, default, nameof(count));

    /// <summary>
    /// The port's policy before a read: the count is checked, a lossless stream waits for a whole batch (or
    /// its end, or a stopped writer), and null means the stream has ended with nothing left to read.
    /// </summary>
    private static FrameReader? Readable(StreamSession session, int readSize)
    {
        var reads = session.Reads;
        int n = reads.Count(readSize, nameof(readSize));
        if (reads.Lossless) reads.WaitForBatch(n, CancellationToken.None);
        return reads.Exhausted ? null : reads;
    }

    /// <summary>
    /// Waits until the client has stored more than <paramref name="framesStored"/> frames (see
    /// <see cref="StreamStatistics.FramesStored"/>): pass the count you last saw, and a new frame wakes you
    /// at once, with no polling.
    /// </summary>
    /// <returns>True when a newer frame is stored; false when <paramref name="timeout"/> passed or the stream has ended (see <see cref="LastError"/>).</returns>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative timeout other than <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public bool WaitForNewFrame(long framesStored, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A timeout must be zero or more, or Timeout.InfiniteTimeSpan.");
        return RequireSession().Reads.WaitForFrame(framesStored - 1, timeout, cancellationToken);
    }

    /// <summary>Bytes of one output frame (height x width x channels) of the open stream.</summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    public int FrameBytes => RequireSession().FrameBytes;

    private readonly record struct PortFrames(byte[,,,] Array) : IFrameTarget
    {
        public Span<byte> Pixels => MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(Array), Array.Length);
        public Span<FrameMetadata> Metadata => default;
    }

    /// <summary>
    /// Starts recording the stream's compressed video without re-encoding it, into files or to a server
    /// (see <see cref="StreamRecorder"/>), from the same connection that <see cref="ExtractFrame(int)"/>
    /// reads. Packets arrive while the writer runs (after <see cref="Start"/>); <see cref="Clear"/> or a new
    /// <see cref="FFmpegSetup"/> stops the recorder.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="RecordingException">The stream has ended (the message says why), or the file or server cannot be written (unknown container, missing folder, unwritable path, a server that refuses, an FFmpeg option it does not know).</exception>
    /// <exception cref="ArgumentException">Options that cannot work.</exception>
    public StreamRecorder StartRecording(RecordingOptions options) => StreamRecorder.Start(RequireSession(), options);

    /// <summary>
    /// Stops everything and releases all native resources; keeps the address and parameters. Safe at any
    /// time, from any thread, any number of times. Called on the writer thread (a handler the stream raises
    /// there), it returns at once and the writer releases everything as it ends.
    /// </summary>
    public void Clear()
    {
        // Interrupt an FFmpegSetup in progress on another thread, so the lock below is not held for long.
        Volatile.Read(ref _opening)?.RequestStop();
        lock (_gate)
        {
            _failedSetup = null;
        }
        ReleaseSession(); // outside the lock: see FFmpegSetup
    }

    /// <summary>The same as <see cref="Clear"/>: the client stays usable.</summary>
    public void Dispose() => Clear();

    /// <summary>
    /// <see cref="Dispose"/> without blocking the caller while the writer thread ends: on a pool thread, or at
    /// once when there is no stream or when called on the writer thread (a handler the stream raises there).
    /// The client stays usable.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (_session is null or { OnWriterThread: true })
        {
            Dispose();
            return default;
        }
        return new(Task.Run(Dispose));
    }

    /// <summary>Takes the open stream out (atomically: one caller disposes it) and disposes it.</summary>
    private void ReleaseSession()
    {
        var s = Interlocked.Exchange(ref _session, null);
        if (s is not null) _failedSetup = null;
        s?.Dispose();
    }

    /// <summary>Counters of the open stream (frames decoded, stored, dropped, corrupt, reconnects, last error); all zero before setup.</summary>
    public StreamStatistics Statistics => _session?.Statistics ?? default;

    /// <summary>Where the stream is: <see cref="StreamState.Connecting"/> while <see cref="FFmpegSetup"/> runs, <see cref="StreamState.Closed"/> before setup and after it ended.</summary>
    public StreamState State => Volatile.Read(ref _opening) is not null ? StreamState.Connecting : _session?.State ?? StreamState.Closed;

    /// <summary>The open stream, for tests of this assembly.</summary>
    internal StreamSession? Session => _session;

    private StreamSession RequireSession() =>
        _session ?? throw new InvalidOperationException("The client is not set up: call FFmpegSetup first.");

    /// <summary>The original's status report.</summary>
    public override string ToString()
    {
        var s = _session;
        var text = new StringBuilder();
        text.AppendLine("<MpegClient>");
        text.AppendLine($"  Address:      {AddressRedaction.Redact(_videoAddress)}");
        if (s is null)
        {
            var o = _options;
            text.AppendLine($"  Target size:  {Size(o.Width, o.Height)} (not set up)");
            text.AppendLine($"  Read/cache:   {o.ReadSize}/{o.EffectiveCacheSize}");
            text.Append($"  Frame rate:   {(o.FrameRate is { } f ? $"{f.num}/{f.den}" : "source rate")}");
            return text.ToString();
        }
        text.AppendLine($"  Source size:  {s.Info.Width} x {s.Info.Height}");
        text.AppendLine($"  Target size:  {s.Width} x {s.Height}");
        text.AppendLine($"  Decoder:      {s.Info.CodecName}, {s.Info.DecoderThreads} thread(s)");
        text.AppendLine($"  Duration:     {(s.Info.Duration is { } d ? $"{d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s" : "live / unknown")}");
        text.AppendLine($"  Read/cache:   {s.Settings.ReadSize}/{s.Capacity}");
        text.AppendLine($"  Frame rate:   target {(s.Settings.FrameRate is { } r ? $"{r.num}/{r.den}" : "source rate")}, source {s.Info.FramesPerSecond.ToString("0.###", CultureInfo.InvariantCulture)} fps");
        var stats = s.Statistics;
        text.Append($"  State:        {(s.Ended ? "ended: " + s.EndReason : s.IsRunning ? "streaming" : "connected, writer stopped")}; {stats.FramesDecoded} decoded, {stats.FramesStored} stored");
        return text.ToString();
    }

    private static string Size(int w, int h) => $"{(w > 0 ? w : "source")} x {(h > 0 ? h : "source")}";
}
