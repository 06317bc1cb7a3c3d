using System.Globalization;
using Microsoft.Extensions.Logging;
using MpegCoder.Interop;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder;

/// <summary>How RTSP carries the media.</summary>
public enum RtspTransport
{
    /// <summary>FFmpeg's default: UDP first, then TCP if UDP gets nothing.</summary>
    Default,
    /// <summary>RTP interleaved in the RTSP TCP connection: survives NAT and packet loss, the usual choice for cameras.</summary>
    Tcp,
    /// <summary>RTP over UDP: lowest latency on a clean network; lost packets give damaged frames.</summary>
    Udp,
}

/// <summary>
/// Frames the decoder may skip without decoding them (FFmpeg's <c>skip_frame</c> option of the codec
/// context). Skipped frames cost almost nothing, so when few frames are wanted (a low
/// <see cref="StreamOptions.FrameRate"/>) this lowers the CPU a stream needs; the frames kept are then
/// only those the decoder still produces.
/// </summary>
public enum DecoderSkip
{
    /// <summary>Decode every frame (the default).</summary>
    None,
    /// <summary>Skip frames no other frame refers to (FFmpeg's "noref"): usually B-frames; no effect on streams without them.</summary>
    NonReference,
    /// <summary>Decode keyframes only (FFmpeg's "nokey"): one frame per GOP, the cheapest setting.</summary>
    NonKey,
}

/// <summary>
/// What the writer does when every ring slot holds a frame no read has taken yet (see
/// <see cref="StreamOptions.FullRing"/>).
/// </summary>
public enum FullRingPolicy
{
    /// <summary>
    /// <see cref="WaitForReader"/> for sources without a clock (files, and http, ftp or sftp files and
    /// HLS playlists of known length); <see cref="OverwriteOldest"/> for live ones (rtsp, rtmp, udp, rtp,
    /// srt, and any source of unknown length). The default.
    /// </summary>
    Auto,
    /// <summary>
    /// Lossless: the writer waits until a read takes a frame, so every frame is read exactly once, in order.
    /// Each read takes the oldest frames not taken yet.
    /// </summary>
    WaitForReader,
    /// <summary>
    /// Live: the writer overwrites the oldest frame, so reads always see the newest frames. Reads take
    /// nothing; a slow reader misses frames (the gap shows in <see cref="FrameMetadata.Sequence"/>).
    /// </summary>
    OverwriteOldest,
}

/// <summary>
/// Everything a client applies at its next setup, as one immutable value. The port's
/// <see cref="MpegClient.SetParameter"/> edits the same value that <see cref="MpegClient.Options"/> exposes.
/// </summary>
public sealed record StreamOptions
{
    /// <summary>The largest output width or height, in pixels (FFmpeg's scaler and a frame that fits one .NET array).</summary>
    public const int MaxDimension = 16384;

    /// <summary>Output width; 0 = the source's width. At most <see cref="MaxDimension"/>.</summary>
    public int Width { get; init; }

    /// <summary>Output height; 0 = the source's height. At most <see cref="MaxDimension"/>.</summary>
    public int Height { get; init; }

    /// <summary>The pixel layout of stored frames. Default RGB24.</summary>
    public FramePixelFormat PixelFormat { get; init; } = FramePixelFormat.Rgb24;

    /// <summary>Frames a read returns by default (the port's readSize). At least 1.</summary>
    public int ReadSize { get; init; } = 1;

    /// <summary>How frames are resized when <see cref="Width"/> or <see cref="Height"/> differ from the source's. Default bicubic, as the original.</summary>
    public Scaling Scaling { get; init; } = Scaling.Bicubic;

    /// <summary>Ring slots (the port's cacheSize); 0 = 2 x <see cref="ReadSize"/>. Never less than ReadSize.</summary>
    public int CacheSize { get; init; }

    /// <summary>
    /// What the writer does when the ring is full of frames no read has taken: wait for a reader
    /// (lossless, for files) or overwrite the oldest (live). <see cref="FullRingPolicy.Auto"/> by default:
    /// it waits for sources without a clock and overwrites for live ones.
    /// </summary>
    public FullRingPolicy FullRing { get; init; } = FullRingPolicy.Auto;

    /// <summary>Target frame rate (num, den), frames kept or dropped by their timestamps; null = every frame.</summary>
    public (int num, int den)? FrameRate { get; init; }

    /// <summary>Decoder threads; 0 = FFmpeg's choice. Each frame thread adds a frame of latency.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Frames the decoder skips without decoding (FFmpeg's <c>skip_frame</c>); <see cref="DecoderSkip.None"/> by default.
    /// Opt in when few frames are wanted: with <see cref="DecoderSkip.NonKey"/> only keyframes come out.
    /// </summary>
    public DecoderSkip SkipFrames { get; init; }

    /// <summary>Bound on connecting and probing the stream. Default 10 s.</summary>
    public TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound on waiting for the next packet once streaming; past it the stream counts as ended. Default 5 s.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>RTSP transport; ignored for other protocols.</summary>
    public RtspTransport RtspTransport { get; init; } = RtspTransport.Default;

    /// <summary>
    /// FFmpeg format and protocol options passed to avformat_open_input for this client only, e.g.
    /// <c>{ ["user_agent"] = "...", ["buffer_size"] = "1048576" }</c>. An option that no component
    /// recognises fails the setup with its name, so a typo never passes silently.
    /// </summary>
    public IReadOnlyDictionary<string, string> FFmpegOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Reopen the stream when it ends, or null (the default) to let it end as the original does, after
    /// which reads return null.
    /// </summary>
    public ReconnectPolicy? Reconnect { get; init; }

    /// <summary>
    /// The only protocols FFmpeg may use for this stream (FFmpeg's <c>protocol_whitelist</c>), e.g.
    /// <c>["rtsp", "rtp", "udp", "tcp"]</c>. Null (the default) allows every protocol. Set it whenever the
    /// address comes from someone you do not trust: otherwise a crafted playlist can make FFmpeg read
    /// local files or reach other hosts through nested protocols.
    /// </summary>
    public IReadOnlyList<string>? AllowedProtocols { get; init; }

    /// <summary>
    /// Receives this client's events and the FFmpeg log lines raised while opening it and on its writer
    /// thread; those lines then no longer go to standard error. Null (the default) keeps the global
    /// behaviour of <see cref="MpegCoderGlobal.SetGlobal"/>.
    /// </summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// The stream's name in its metrics (the <c>camera</c> tag of <see cref="MpegCoderMetrics"/>), e.g.
    /// "gate-1". Null (the default) tags them with the address, credentials hidden.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>The ring size in force: <see cref="CacheSize"/>, or 2 x <see cref="ReadSize"/> when it is 0.</summary>
    public int EffectiveCacheSize => CacheSize > 0 ? CacheSize : 2 * ReadSize;

    /// <summary>
    /// Throws the usual argument exceptions for values that cannot work, naming the setting and its limit:
    /// sizes above <see cref="MaxDimension"/>, or a read of ReadSize frames larger than the largest .NET array.
    /// </summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Width, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfNegative(Height, nameof(Height));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Width, MaxDimension, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Height, MaxDimension, nameof(Height));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReadSize, 1, nameof(ReadSize));
        if (Enum.IsDefined(PixelFormat) && Width > 0 && Height > 0 && FrameSizeProblem(Width, Height, PixelFormat, ReadSize) is { } problem)
            throw new ArgumentOutOfRangeException(nameof(ReadSize), ReadSize, problem);
        ArgumentOutOfRangeException.ThrowIfNegative(CacheSize, nameof(CacheSize));
        if (CacheSize > 0 && ReadSize > CacheSize)
            throw new ArgumentOutOfRangeException(nameof(ReadSize), ReadSize, $"ReadSize ({ReadSize}) must not exceed CacheSize ({CacheSize}).");
        if (FrameRate is { } f && (f.num <= 0 || f.den <= 0))
            throw new ArgumentOutOfRangeException(nameof(FrameRate), f, "The frame rate must be a positive fraction (num > 0, den > 0).");
        ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        if (OpenTimeout <= TimeSpan.Zero && OpenTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(OpenTimeout), OpenTimeout, "A timeout must be positive or Timeout.InfiniteTimeSpan.");
        if (StallTimeout <= TimeSpan.Zero && StallTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(StallTimeout), StallTimeout, "A timeout must be positive or Timeout.InfiniteTimeSpan.");
        if (!Enum.IsDefined(RtspTransport)) throw new ArgumentOutOfRangeException(nameof(RtspTransport));
        if (!Enum.IsDefined(PixelFormat)) throw new ArgumentOutOfRangeException(nameof(PixelFormat));
        if (!Enum.IsDefined(Scaling)) throw new ArgumentOutOfRangeException(nameof(Scaling));
        if (!Enum.IsDefined(FullRing)) throw new ArgumentOutOfRangeException(nameof(FullRing));
        Reconnect?.Validate();
        if (AllowedProtocols is { } allowed && (allowed.Count == 0 || allowed.Any(p => string.IsNullOrWhiteSpace(p) || p.Contains(','))))
            throw new ArgumentException("AllowedProtocols must name at least one protocol, each without commas.", nameof(AllowedProtocols));
        if (!Enum.IsDefined(SkipFrames)) throw new ArgumentOutOfRangeException(nameof(SkipFrames));
        ArgumentNullException.ThrowIfNull(FFmpegOptions, nameof(FFmpegOptions));
    }

    /// <summary>Protocols whose sources run on their own clock: a reader that falls behind must skip, not stall them.</summary>
    private static readonly HashSet<string> LiveProtocols = new(StringComparer.OrdinalIgnoreCase)
    {
        "rtsp", "rtsps", "rtmp", "rtmps", "rtmpt", "rtmpe", "rtmpte", "rtmpts", "rtp", "srtp", "udp", "udplite", "srt", "tcp", "unix",
    };

    /// <summary>
    /// Whether the ring of a stream opened from <paramref name="url"/>, whose first connection found
    /// <paramref name="info"/>, waits for readers: the policy, or for <see cref="FullRingPolicy.Auto"/>
    /// "the source has no clock": a known length, from a protocol that does not pace its delivery.
    /// </summary>
    internal bool WaitsForReaders(string url, StreamInfo info)
    {
        if (FullRing != FullRingPolicy.Auto) return FullRing == FullRingPolicy.WaitForReader;
        return IsFile(url, info);
    }

    /// <summary>
    /// Whether <paramref name="url"/>, whose connection found <paramref name="info"/>, is a file: a known
    /// length, from a protocol that does not pace its delivery (local, or http/ftp/sftp files). Its end is
    /// the end of the stream, with or without a reconnect policy.
    /// </summary>
    internal static bool IsFile(string url, StreamInfo info)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        string protocol = scheme > 0 ? url[..scheme] : "file";
        return info.Duration is not null && !LiveProtocols.Contains(protocol);
    }

    /// <summary>
    /// Throws the documented <see cref="ArgumentOutOfRangeException"/> (naming <paramref name="parameter"/>)
    /// when <paramref name="frames"/> frames of <paramref name="frameBytes"/> bytes do not fit one .NET array.
    /// </summary>
    internal static void CheckArraySize(long frames, long frameBytes, string parameter)
    {
        if (frames * frameBytes > Array.MaxLength)
            throw new ArgumentOutOfRangeException(parameter, frames, $"{frames} frames of {frameBytes} bytes exceed the largest .NET array ({Array.MaxLength} bytes).");
    }

    /// <summary>
    /// Why frames of <paramref name="width"/> x <paramref name="height"/> cannot be stored and read
    /// <paramref name="readSize"/> at a time, or null when they can. Every product is 64-bit.
    /// </summary>
    internal static string? FrameSizeProblem(int width, int height, FramePixelFormat format, int readSize)
    {
        if (width > MaxDimension || height > MaxDimension)
            return $"{width} x {height} exceeds the largest size, {MaxDimension} x {MaxDimension}";
        long frameBytes = (long)width * height * format.BytesPerPixel();
        if (frameBytes * readSize > Array.MaxLength)
            return $"a read of {readSize} frame(s) of {frameBytes} bytes exceeds the largest .NET array ({Array.MaxLength} bytes)";
        return null;
    }

    /// <summary>
    /// The dictionary handed to avformat_open_input: the caller's options, plus those implied by these
    /// settings unless the caller set them: the RTSP transport, the protocol allow-list, and the I/O
    /// timeout in the protocol's own option (RTSP's <c>timeout</c>, <c>stimeout</c> in FFmpeg 4.x; every other protocol's
    /// <c>rw_timeout</c>, both in microseconds) besides the interrupt callback that enforces it anyway.
    /// </summary>
    internal IReadOnlyDictionary<string, string> FormatOptions(string url)
    {
        var options = new Dictionary<string, string>(FFmpegOptions);
        bool rtsp = url.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase);
        if (rtsp && RtspTransport != RtspTransport.Default)
            options.TryAdd("rtsp_transport", RtspTransport == RtspTransport.Tcp ? "tcp" : "udp");
        if (AllowedProtocols is { } allowed)
            options.TryAdd("protocol_whitelist", string.Join(",", allowed.Select(p => p.Trim().ToLowerInvariant())));
        if (StallTimeout != Timeout.InfiniteTimeSpan)
        {
            long micros = (long)StallTimeout.TotalMicroseconds;
            if (rtsp)
            {
                var (name, max) = FFmpegLoader.EnsureLoadedRelease().RtspTimeoutOption;
                options.TryAdd(name, Math.Min(micros, max).ToString(CultureInfo.InvariantCulture));
            }
            else if (url.Contains("://", StringComparison.Ordinal)) options.TryAdd("rw_timeout", micros.ToString(CultureInfo.InvariantCulture));
        }
        return options;
    }
}
