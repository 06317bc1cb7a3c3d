using Microsoft.Extensions.Logging;
using MpegCoder.Interop;
using MpegCoder.Recording;

namespace MpegCoder.Lifecycle;

/// <summary>
/// The one place that knows what went wrong with a stream and where its messages go: the last error
/// (why a setup failed, why the stream ended, why a reconnection failed), the FFmpeg lines captured for
/// it, and the rule "the stream's logger if it has one, else standard error".
/// </summary>
/// <remarks>
/// Written by the owner's thread while opening and by the writer thread afterwards; read by anyone.
/// A logger that throws never breaks the stream: its exception is swallowed here.
/// </remarks>
internal sealed class StreamLog
{
    private volatile string? _lastError;

    public StreamLog(ILogger? logger)
    {
        Logger = logger;
        FFmpeg = new FFmpegLogCapture { Logger = logger };
    }

    public ILogger? Logger { get; }

    /// <summary>FFmpeg's warning and error lines raised on the threads that work for this stream.</summary>
    public FFmpegLogCapture FFmpeg { get; }

    /// <summary>Why the setup failed, the stream ended, or the last reconnection failed; null when all went well.</summary>
    public string? LastError => _lastError;

    /// <summary>Records <paramref name="error"/> (credentials hidden) as the last error and writes it at <paramref name="level"/>.</summary>
    public void Error(string error, LogLevel level = LogLevel.Warning) => Write(level, Remember(error));

    /// <summary>Records <paramref name="error"/> (credentials hidden) as the last error without writing it; returns what was recorded.</summary>
    public string Remember(string error) => _lastError = AddressRedaction.RedactText(error);

    /// <summary>
    /// To the logger when the stream has one; otherwise errors always go to standard error, and
    /// information and warnings from dump level 1 on (<see cref="MpegCoderGlobal.SetGlobal"/>).
    /// </summary>
    public void Write(LogLevel level, string message)
    {
        try
        {
            if (Logger is { } logger) logger.Log(level, "MpegCoder: {Message}", message);
            else if (level >= LogLevel.Error) Console.Error.WriteLine($"MpegCoder: {message}");
            else if (level >= LogLevel.Information) MpegCoderGlobal.Info($"MpegCoder: {message}");
        }
        catch (Exception)
        {
            // The application's logger failed; the stream goes on.
        }
    }
}
