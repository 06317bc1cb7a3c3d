using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Interop;

/// <summary>
/// FFmpeg's log, routed through one callback: lines at or below the global threshold
/// (<see cref="MpegCoderGlobal.SetGlobal"/>) go to standard error, and warnings and errors raised on a
/// thread that has a <see cref="FFmpegLogCapture"/> attached are also kept there, so that a failed
/// setup can say what FFmpeg said. Threads FFmpeg starts itself (decoder threads) have no capture.
/// </summary>
internal static unsafe class FFmpegLog
{
    private static volatile int _threshold = AV_LOG_ERROR;

    [ThreadStatic] private static FFmpegLogCapture? _capture;
    [ThreadStatic] private static bool _forceInfo;
    [ThreadStatic] private static int _printPrefix;

    /// <summary>The level FFmpeg filters at itself (av_log_set_level) and this callback prints up to.</summary>
    public static int Threshold
    {
        get => _threshold;
        set
        {
            _threshold = value;
            if (FFmpegLoader.IsLoaded) ffmpeg.av_log_set_level(Math.Max(value, AV_LOG_WARNING));
        }
    }

    internal static void Install()
    {
        ffmpeg.av_log_set_callback(&OnLog);
        Threshold = _threshold;
    }

    /// <summary>Attaches a capture to the calling thread until the returned scope is disposed.</summary>
    public static CaptureScope Capture(FFmpegLogCapture capture) => new(capture);

    /// <summary>Prints INFO lines of the calling thread (av_dump_format's level) until disposed.</summary>
    public static InfoScope ForceInfo() => new();

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(nint avcl, int level, byte* fmt, nint vl)
    {
        var capture = _capture;
        var logger = capture?.Logger;
        bool toLogger = logger is not null && logger.IsEnabled(ToLogLevel(level));
        // A client with its own logger keeps its FFmpeg lines off the console, except DumpFile's dump.
        bool print = (logger is null && level <= _threshold) || (_forceInfo && level <= AV_LOG_INFO);
        bool keep = capture is not null && level <= AV_LOG_WARNING;
        if (!print && !keep && !toLogger) return;
        try
        {
            const int size = 1024;
            byte* line = stackalloc byte[size];
            int prefix = _printPrefix;
            ffmpeg.av_log_format_line2(avcl, level, fmt, vl, line, size, &prefix);
            _printPrefix = prefix;
            // FFmpeg prints addresses as it got them (credentials included) in some lines: hide them.
            string text = AddressRedaction.RedactText(CString.Read(line) ?? "");
            if (print) Console.Error.Write(text);
            if (keep) capture!.Add(text);
            if (toLogger && text.Trim() is { Length: > 0 } trimmed) logger!.Log(ToLogLevel(level), "FFmpeg: {Line}", trimmed);
        }
        catch
        {
            // An exception must never cross back into FFmpeg's C frames.
        }
    }

    private static LogLevel ToLogLevel(int level) => level switch
    {
        <= AV_LOG_ERROR => LogLevel.Error,
        <= AV_LOG_WARNING => LogLevel.Warning,
        <= AV_LOG_INFO => LogLevel.Information,
        <= AV_LOG_VERBOSE => LogLevel.Debug,
        _ => LogLevel.Trace,
    };

    public readonly struct CaptureScope : IDisposable
    {
        private readonly FFmpegLogCapture? _previous;
        internal CaptureScope(FFmpegLogCapture capture) { _previous = _capture; _capture = capture; }
        public void Dispose() => _capture = _previous;
    }

    public readonly struct InfoScope : IDisposable
    {
        public InfoScope() { _forceInfo = true; }
        public void Dispose() => _forceInfo = false;
    }
}

/// <summary>The last few warning and error lines FFmpeg logged for one client, and the client's logger.</summary>
internal sealed class FFmpegLogCapture
{
    /// <summary>Where this client's FFmpeg lines go instead of standard error; null = the global behaviour.</summary>
    public volatile ILogger? Logger;

    private const int MaxLines = 8;
    private readonly Queue<string> _lines = new();
    private readonly StringBuilder _partial = new();

    public void Add(string text)
    {
        lock (_lines)
        {
            _partial.Append(text);
            if (!text.EndsWith('\n')) return;
            string line = _partial.ToString().Trim();
            _partial.Clear();
            if (line.Length == 0) return;
            if (_lines.Count == MaxLines) _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }

    public void Reset()
    {
        lock (_lines) { _lines.Clear(); _partial.Clear(); }
    }

    /// <summary>The kept lines joined with " | ", or null when FFmpeg said nothing.</summary>
    public string? Text()
    {
        lock (_lines) return _lines.Count == 0 ? null : string.Join(" | ", _lines);
    }
}
