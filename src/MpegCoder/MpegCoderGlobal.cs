using MpegCoder.Interop;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder;

/// <summary>
/// Process-wide settings, the port of mpegCoder's module-level <c>setGlobal</c>. With
/// <c>using static MpegCoder.MpegCoderGlobal;</c> the Python line <c>mpegCoder.setGlobal(dumpLevel=2)</c>
/// reads <c>SetGlobal(dumpLevel: 2);</c>.
/// </summary>
public static class MpegCoderGlobal
{
    private static volatile int _dumpLevel;

    /// <summary>The current dump level (0, 1 or 2).</summary>
    public static int DumpLevel => _dumpLevel;

    /// <summary>
    /// Hides the credentials of every address in <paramref name="text"/>, as the library does in all it
    /// prints: "rtsp://user:secret@cam/live" becomes "rtsp://***@cam/live".
    /// </summary>
    public static string HideCredentials(string text) => AddressRedaction.RedactText(text);

    /// <summary>
    /// Sets how much MpegCoder and FFmpeg print to standard error: 0 = errors only (the default),
    /// 1 = basic (FFmpeg's info lines and MpegCoder's own events), 2 = detailed (FFmpeg's verbose lines,
    /// and every successful setup prints FFmpeg's format dump). Without an argument nothing changes, as
    /// in the original. docs/from-python.md lists where the levels differ from the original's.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A level other than 0, 1 or 2.</exception>
    public static void SetGlobal(int? dumpLevel = null)
    {
        if (dumpLevel is not { } level) return;
        ArgumentOutOfRangeException.ThrowIfNegative(level, nameof(dumpLevel));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 2, nameof(dumpLevel));
        _dumpLevel = level;
        FFmpegLog.Threshold = level switch { 0 => AV_LOG_ERROR, 1 => AV_LOG_INFO, _ => AV_LOG_VERBOSE };
    }

    /// <summary>MpegCoder's own "basic" messages: printed from dump level 1 on.</summary>
    internal static void Info(string message)
    {
        if (_dumpLevel >= 1) Console.Error.WriteLine(message);
    }
}
