using System.Globalization;
using System.Text;

namespace MpegCoder.Hosting;

/// <summary>
/// The bindable form of <see cref="StreamOptions"/> (an immutable record with a tuple frame rate, which
/// configuration cannot bind): the same settings with setters, sizes as numbers, enums by name, timeouts
/// as "00:00:10", the frame rate as text ("25", "12.5" or "30000/1001"), FFmpeg's options as a
/// dictionary. <see cref="ToStreamOptions"/> maps it. Defaults are <see cref="StreamOptions"/>'s.
/// </summary>
public sealed class CameraStreamOptions
{
    private static readonly StreamOptions Defaults = new();

    /// <summary>Output width; 0 = the source's.</summary>
    public int Width { get; set; }

    /// <summary>Output height; 0 = the source's.</summary>
    public int Height { get; set; }

    /// <summary>Pixel layout of stored frames. Default Rgb24.</summary>
    public FramePixelFormat PixelFormat { get; set; } = Defaults.PixelFormat;

    /// <summary>Frames a read returns by default.</summary>
    public int ReadSize { get; set; } = Defaults.ReadSize;

    /// <summary>How frames are resized.</summary>
    public Scaling Scaling { get; set; } = Defaults.Scaling;

    /// <summary>Ring slots; 0 = 2 x ReadSize.</summary>
    public int CacheSize { get; set; }

    /// <summary>What the writer does when the ring is full of unread frames.</summary>
    public FullRingPolicy FullRing { get; set; } = Defaults.FullRing;

    /// <summary>Target frame rate: "25", "12.5", "30000/1001"; empty or null = every frame.</summary>
    public string? FrameRate { get; set; }

    /// <summary>Decoder threads; 0 = FFmpeg's choice.</summary>
    public int Threads { get; set; }

    /// <summary>Frames the decoder skips without decoding.</summary>
    public DecoderSkip SkipFrames { get; set; }

    /// <summary>Bound on connecting and probing. Default 10 s.</summary>
    public TimeSpan OpenTimeout { get; set; } = Defaults.OpenTimeout;

    /// <summary>Bound on waiting for the next packet. Default 5 s.</summary>
    public TimeSpan StallTimeout { get; set; } = Defaults.StallTimeout;

    /// <summary>RTSP transport.</summary>
    public RtspTransport RtspTransport { get; set; } = Defaults.RtspTransport;

    /// <summary>FFmpeg format and protocol options, e.g. <c>"FFmpegOptions": { "buffer_size": "1048576" }</c>.</summary>
    public Dictionary<string, string> FFmpegOptions { get; set; } = [];

    /// <summary>The only protocols FFmpeg may use; empty = all.</summary>
    public List<string> AllowedProtocols { get; set; } = [];

    /// <summary>How the camera reconnects (and retries a first open that failed).</summary>
    public ReconnectOptions Reconnect { get; set; } = new();

    /// <summary>
    /// The <see cref="StreamOptions"/> these settings describe, named <paramref name="name"/> (the
    /// metrics' camera tag), with <paramref name="logger"/>.
    /// </summary>
    /// <exception cref="FormatException">The frame rate is not a number or a fraction.</exception>
    public StreamOptions ToStreamOptions(string? name = null, Microsoft.Extensions.Logging.ILogger? logger = null) => new()
    {
        Name = name,
        Width = Width,
        Height = Height,
        PixelFormat = PixelFormat,
        ReadSize = ReadSize,
        Scaling = Scaling,
        CacheSize = CacheSize,
        FullRing = FullRing,
        FrameRate = ParseFrameRate(FrameRate),
        Threads = Threads,
        SkipFrames = SkipFrames,
        OpenTimeout = OpenTimeout,
        StallTimeout = StallTimeout,
        RtspTransport = RtspTransport,
        FFmpegOptions = new Dictionary<string, string>(FFmpegOptions),
        AllowedProtocols = AllowedProtocols.Count > 0 ? [.. AllowedProtocols] : null,
        Reconnect = Reconnect.ToPolicy(),
        Logger = logger,
    };

    /// <summary>"25" gives (25, 1), "12.5" (25, 2), "30000/1001" (30000, 1001); empty gives null.</summary>
    /// <exception cref="FormatException">Neither a number nor a fraction.</exception>
    public static (int num, int den)? ParseFrameRate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var culture = CultureInfo.InvariantCulture;
        string[] parts = text.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.Integer, culture, out int num) && int.TryParse(parts[1], NumberStyles.Integer, culture, out int den))
            return (num, den);
        if (parts.Length == 1 && decimal.TryParse(parts[0], NumberStyles.Float, culture, out decimal rate) && rate > 0 && rate <= int.MaxValue / 1000)
        {
            int scale = 1;
            while (rate != decimal.Truncate(rate) && scale < 1000) { rate *= 10; scale *= 10; }
            return ((int)decimal.Round(rate), scale);
        }
        throw new FormatException($"The frame rate '{text}' is neither a number (\"25\", \"12.5\") nor a fraction (\"30000/1001\").");
    }

    /// <summary>Every setting as one line of text: two cameras whose lines are equal are read the same way.</summary>
    internal string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Width}x{Height} {PixelFormat} read {ReadSize} {Scaling} cache {CacheSize} {FullRing} fps {FrameRate} ");
        text.Append(CultureInfo.InvariantCulture, $"threads {Threads} {SkipFrames} {OpenTimeout} {StallTimeout} {RtspTransport} ");
        foreach (var (key, value) in FFmpegOptions.OrderBy(o => o.Key, StringComparer.Ordinal)) text.Append(CultureInfo.InvariantCulture, $"{key}={value};");
        text.Append(' ').AppendJoin(',', AllowedProtocols);
        text.Append(CultureInfo.InvariantCulture, $" reconnect {Reconnect.InitialDelay} {Reconnect.MaxDelay} {Reconnect.Multiplier} {Reconnect.Jitter} {Reconnect.MaxAttempts}");
        return text.ToString();
    }
}
