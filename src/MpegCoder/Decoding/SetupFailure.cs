using MpegCoder.Interop;
using MpegCoder.Lifecycle;

namespace MpegCoder;

/// <summary>Turns a failed open into the one message every reading face reports.</summary>
internal static class SetupFailure
{
    /// <summary>
    /// Runs <paramref name="open"/> with FFmpeg's log captured into <paramref name="log"/>. A failure comes
    /// out as the described <see cref="StreamOpenException"/> (see <see cref="Describe"/>), which is also
    /// remembered as the log's last error.
    /// </summary>
    public static T Open<T>(string address, StreamLog log, Func<T> open)
    {
        using var capture = FFmpegLog.Capture(log.FFmpeg);
        try
        {
            return open();
        }
        catch (StreamOpenException e)
        {
            var described = Describe(address, e, log.FFmpeg);
            log.Remember(described.Message);
            throw described;
        }
    }

    /// <summary>
    /// "Cannot set up 'address': reason (FFmpeg: last log lines)", with credentials hidden everywhere,
    /// as a <see cref="StreamOpenException"/> carrying FFmpeg's code and log.
    /// </summary>
    public static StreamOpenException Describe(string address, StreamOpenException failure, FFmpegLogCapture log)
    {
        string? said = log.Text();
        string message = $"Cannot set up '{AddressRedaction.Redact(address)}': {failure.Message}" +
                         (said is null || failure.Message.Contains(said, StringComparison.Ordinal) ? "" : $" (FFmpeg: {said})");
        return new StreamOpenException(AddressRedaction.RedactText(message), failure.FFmpegErrorCode,
            said is null ? null : AddressRedaction.RedactText(said));
    }
}
