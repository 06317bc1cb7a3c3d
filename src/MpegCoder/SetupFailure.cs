using MpegCoder.Interop;

namespace MpegCoder;

/// <summary>Turns a failed open into the one message both faces report.</summary>
internal static class SetupFailure
{
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
