using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using MpegCoder.Encoders;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder;

/// <summary>
/// Encodes RGB24 frames and pushes them to a live stream, paced at the frame rate: the C# port of
/// mpegCoder's <c>MpegServer</c>. The address chooses the protocol and container: <c>rtmp://</c> (FLV),
/// <c>rtsp://</c> (RTSP publishing, ANNOUNCE/RECORD over TCP), <c>srt://</c> and <c>udp://</c> (MPEG-TS),
/// <c>http://</c> (FLV in a POST, e.g. to <c>ffmpeg -listen 1</c>).
/// </summary>
/// <remarks>
/// Frame n is stamped n / frameRate whatever the wall clock does; pacing decides when it is sent. The
/// clock starts at the first frame. <see cref="ServeFrame(byte[,,])"/> never waits, as the original's: it
/// encodes and sends at once, and the producer sets the pace; <see cref="ServeFrameBlock(byte[,,])"/> waits
/// for the frame's own slot, holding no lock, so <see cref="Clear"/>, <see cref="FFmpegClose"/>,
/// <see cref="LastError"/>, <see cref="GetParameter(string)"/> and <see cref="ToString"/> answer at once and
/// a close or a clear ends the wait. All members are thread-safe. A write that fails (the server closed, or
/// made no progress for 10 s) closes the output.
/// </remarks>
public sealed class MpegServer : IDisposable, IAsyncDisposable
{
    /// <summary>How long opening the connection or one write may block before it fails.</summary>
    internal static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(10);

    private readonly EncoderPort _port = new(nameof(MpegServer), live: true);
    /// <summary>The original's allowance before any frame rate or decoder is set.</summary>
    private const int DefaultFrameAhead = 20;

    private int _frameAhead = DefaultFrameAhead;
    private long _clockStart;

    /// <summary>Creates a server with the original's defaults: libx264, 100x100, 25 fps, GOP 10, 1 B-frame, frameAhead 20.</summary>
    public MpegServer() { }

    /// <summary>
    /// Why the last setup, write or close failed (a full disk: "No space left on device"); null when all is
    /// well. Cleared by the next <see cref="FFmpegSetup"/>, except that a failure to finish the previous
    /// push that this setup closes stays here even when the new one opens.
    /// </summary>
    public string? LastError => _port.LastError;

    /// <summary>
    /// Sets parameters for the next <see cref="FFmpegSetup"/>; omitted ones keep their value. The same as
    /// <see cref="MpegEncoder.SetParameter"/>, with the stream's address and the pacing allowance.
    /// </summary>
    /// <param name="decoder">An <see cref="MpegClient"/> (or MpegDecoder) whose codec, size, frame rate, bit rate, GOP and threads are copied (not its address).</param>
    /// <param name="configDict">A dictionary as <see cref="GetParameter()"/> returns it (bitRate in bits/s there).</param>
    /// <param name="videoAddress">Where to push: rtmp://, rtsp://, srt://, udp:// or http://.</param>
    /// <param name="codecName">An encoder ("libx264"...) or a codec ("h264").</param>
    /// <param name="nthread">Encoder threads; 0 = FFmpeg's choice.</param>
    /// <param name="bitRate">Kilobits (1024 bits) per second, as in the original; 0 = the encoder's own rate control.</param>
    /// <param name="width">Encoded width (also the source width unless widthSrc is set).</param>
    /// <param name="height">Encoded height (also the source height unless heightSrc is set).</param>
    /// <param name="widthSrc">Width of the frames served (scaled to width); 0 = width.</param>
    /// <param name="heightSrc">Height of the frames served; 0 = height.</param>
    /// <param name="GOPSize">Frames from one keyframe to the next at most.</param>
    /// <param name="maxBframe">B-frames in a row at most.</param>
    /// <param name="frameRate">Frames per second as (num, den): the pace of the stream.</param>
    /// <param name="frameAhead">The original's allowance of frames ahead of real time, kept as a parameter (the original stores it and paces nothing with it; <see cref="ServeFrame(byte[,,])"/> never waits): 20 at first; as in the original, setting frameRate or a decoder makes it 2 x GOPSize unless frameAhead is given too.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative or zero size, rate or count.</exception>
    [SuppressMessage("Naming", "CA1707", Justification = "The original's keyword names.")]
    [SuppressMessage("Style", "IDE1006", Justification = "The original's keyword names.")]
    public void SetParameter(IDecoderParameters? decoder = null, IReadOnlyDictionary<string, object>? configDict = null, string? videoAddress = null,
        string? codecName = null, int? nthread = null, double? bitRate = null, int? width = null, int? height = null,
        int? widthSrc = null, int? heightSrc = null, int? GOPSize = null, int? maxBframe = null, (int num, int den)? frameRate = null,
        int? frameAhead = null)
    {
        lock (_port.Gate)
        {
            _port.SetParameter(decoder, configDict, videoAddress, codecName, nthread, bitRate, width, height, widthSrc, heightSrc, GOPSize, maxBframe, frameRate);
            if (configDict is not null && configDict.TryGetValue("frameAhead", out var ahead) && ahead is int a) frameAhead ??= a;
            // As in the original: a new frame rate, or a decoder's parameters, set the allowance to 2 x GOPSize.
            if (frameAhead is null && (frameRate is not null || decoder is not null) && _port.GopSize > 0) _frameAhead = 2 * _port.GopSize;
            if (frameAhead is { } f) _frameAhead = f >= 0 ? f : throw new ArgumentOutOfRangeException(nameof(frameAhead), f, "frameAhead must not be negative.");
        }
    }

    /// <summary>
    /// One parameter by the original's name: videoAddress, frameAhead, ptsAhead (the allowance in the
    /// stream's time base, 1 / frameRate: a long equal to frameAhead), waitRef (seconds the next
    /// <see cref="ServeFrameBlock(byte[,,])"/> would wait now, 0 before the first frame or when the stream is
    /// not ahead), formatName (the protocol of the address: "rtmp", "rtsp", "srt", "udp", "http"...; "" for
    /// a file or no address), and the names of <see cref="MpegEncoder.GetParameter(string)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public object? GetParameter(string name)
    {
        lock (_port.Gate) return Parameters.Read(this, name);
    }

    /// <summary>The names <see cref="GetParameter(string)"/> knows, their types, and where each value comes from: the encoder's, and the server's own.</summary>
    internal static readonly PortParameterTable<MpegServer> Parameters = new(EncoderPort.ParameterRows("videoAddress").Through((MpegServer s) => s._port).Concat(new PortParameter<MpegServer>[]
    {
        new("frameAhead", typeof(int), s => s._frameAhead),
        new("ptsAhead", typeof(long), s => (long)s._frameAhead),
        new("waitRef", typeof(double), s => s.WaitRef()),
        new("formatName", typeof(string), s => s.FormatName),
    }));

    /// <summary>
    /// The original's parameter dictionary with videoAddress, formatName, frameAhead and ptsAhead;
    /// <see cref="SetParameter"/> takes it back as configDict.
    /// </summary>
    public IReadOnlyDictionary<string, object> GetParameter()
    {
        lock (_port.Gate)
            return new Dictionary<string, object>(_port.Parameters("videoAddress"))
            {
                ["formatName"] = FormatName, ["frameAhead"] = _frameAhead, ["ptsAhead"] = (long)_frameAhead,
            };
    }

    private string FormatName => _port.Path is { } path ? OutputAddress.Scheme(path) : "";

    /// <summary>How long the next ServeFrameBlock would wait for its slot now (caller holds the lock).</summary>
    private double WaitRef()
    {
        if (_port.Session is not { FramesSent: > 0 } session) return 0.0;
        long wait = _clockStart + SlotTicks(session.FramesSent, session.Settings.FrameRate) - Stopwatch.GetTimestamp();
        return wait > 0 ? (double)wait / Stopwatch.Frequency : 0.0;
    }

    /// <summary>Sets the address for the next <see cref="FFmpegSetup"/>; opens nothing.</summary>
    public void ResetPath(string videoAddress) => _port.ResetPath(videoAddress);

    /// <summary>
    /// Closes a previous stream, then opens the encoder, connects to the server and starts the stream
    /// (within 10 s, or fails).
    /// </summary>
    /// <param name="videoAddress">The address; null uses the one of <see cref="ResetPath"/> or <see cref="SetParameter"/>.</param>
    /// <returns>True on success; false with the reason in <see cref="LastError"/> (a server refusing the push, an unknown codec...).</returns>
    /// <exception cref="InvalidOperationException">No address given and none set before.</exception>
    /// <exception cref="FFmpegNotFoundException">No supported FFmpeg is installed.</exception>
    public bool FFmpegSetup(string? videoAddress = null) => _port.Setup(videoAddress, Output, IoTimeout);

    /// <summary>The container and options an address needs (the protocol's own for a file path).</summary>
    internal static (string? format, IReadOnlyDictionary<string, string>? options) Output(string address) =>
        OutputAddress.ContainerFor(address);

    /// <summary>Prints FFmpeg's description of the output (av_dump_format) to standard error.</summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    public void DumpFile() => _port.Dump();

    /// <summary>
    /// Encodes and sends one frame, <c>byte[heightSrc, widthSrc, 3]</c> RGB24, at once: it never waits for a
    /// slot (as the original's); only the write itself may block, at most 10 s.
    /// </summary>
    /// <returns>True when sent; false when the push failed (the stream is closed, see <see cref="LastError"/>).</returns>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentException">The frame's shape is not heightSrc x widthSrc x 3.</exception>
    public bool ServeFrame(byte[,,] frame) => Serve(frame, block: false);

    /// <summary>The allocation-free form of <see cref="ServeFrame(byte[,,])"/>: one packed RGB24 frame of <see cref="FrameBytes"/> bytes.</summary>
    public bool ServeFrame(ReadOnlySpan<byte> frame) => Serve(frame, block: false);

    /// <summary>
    /// Encodes and sends one frame at its own time slot (start + n / frameRate): waits until then, holding no
    /// lock. <see cref="Clear"/>, <see cref="FFmpegClose"/> or <see cref="Dispose"/> on another thread end the wait.
    /// </summary>
    /// <returns>True when sent; false when the push failed (see <see cref="LastError"/>), or when a close or a clear ended the wait (the frame is not sent).</returns>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentException">The frame's shape is not heightSrc x widthSrc x 3.</exception>
    public bool ServeFrameBlock(byte[,,] frame) => Serve(frame, block: true);

    /// <summary>The allocation-free form of <see cref="ServeFrameBlock(byte[,,])"/>.</summary>
    public bool ServeFrameBlock(ReadOnlySpan<byte> frame) => Serve(frame, block: true);

    private bool Serve(byte[,,] frame, bool block) => Serve(_port.FrameBytesOf(frame), block);

    private bool Serve(ReadOnlySpan<byte> frame, bool block)
    {
        // The slot is computed under the state lock (the clock starts at the first frame); the wait holds no lock.
        if (!_port.Pace(session =>
        {
            long n = session.FramesSent;
            if (n == 0) _clockStart = Stopwatch.GetTimestamp();
            return block ? _clockStart + SlotTicks(n, session.Settings.FrameRate) : 0; // frame k's slot is start + k / fps
        })) return false;
        return _port.Encode(frame);
    }

    private static long SlotTicks(long frame, (int num, int den) rate) =>
        (long)((double)frame * rate.den / rate.num * Stopwatch.Frequency);

    /// <summary>Bytes of one source frame (heightSrc x widthSrc x 3) of the open stream.</summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    public int FrameBytes => _port.FrameBytes;

    /// <summary>Flushes the encoder, ends the stream (the container's trailer) and disconnects. Safe when not set up.</summary>
    /// <returns>True when the stream ended cleanly (or nothing was open); false with the reason in <see cref="LastError"/>.</returns>
    public bool FFmpegClose() => _port.Close();

    /// <summary>
    /// Disconnects without ending the stream cleanly; keeps the parameters. Returns at once: a
    /// <see cref="ServeFrameBlock(byte[,,])"/> waiting for its slot, a write or a setup in progress on another
    /// thread give up (they return false), and the connection is released (for RTSP too).
    /// </summary>
    public void Clear() => _port.Release();

    /// <summary>Ends the stream as <see cref="FFmpegClose"/> does, then releases everything.</summary>
    public void Dispose() => _port.Close();

    /// <summary><see cref="Dispose"/> on a pool thread, so that the caller does not block while the encoder flushes and the output finishes (ending the stream).</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    /// <summary>Whether a stream is open (between a successful setup and the close), for tests of this assembly.</summary>
    internal bool IsOpen => _port.IsOpen;

    /// <summary>The original's status report.</summary>
    public override string ToString() => _port.Describe().Replace("<MpegServer>", $"<MpegServer> (frameAhead {_frameAhead})", StringComparison.Ordinal);
}
