namespace MpegCoder;

/// <summary>The base of MpegCoder's own exceptions.</summary>
public class MpegCoderException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    /// <param name="message">What went wrong.</param>
    public MpegCoderException(string message) : base(message) { }

    /// <summary>Creates the exception with its message and cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="inner">The error beneath it, or null.</param>
    public MpegCoderException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>No supported FFmpeg could be loaded. The message names what was found, what is supported and how to install it.</summary>
/// <param name="message">What was found, what is supported and how to install it.</param>
public sealed class FFmpegNotFoundException(string message) : MpegCoderException(message);

/// <summary>
/// A stream could not be opened. <see cref="Exception.Message"/> says why in FFmpeg's words; the address
/// in it has its credentials hidden.
/// </summary>
public sealed class StreamOpenException : MpegCoderException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the stream could not be opened.</param>
    /// <param name="ffmpegErrorCode">FFmpeg's (negative) error code, or 0.</param>
    /// <param name="ffmpegLog">The lines FFmpeg logged while opening, or null.</param>
    public StreamOpenException(string message, int ffmpegErrorCode = 0, string? ffmpegLog = null) : base(message)
    {
        FFmpegErrorCode = ffmpegErrorCode;
        FFmpegLog = ffmpegLog;
    }

    /// <summary>FFmpeg's (negative) error code, or 0 when the failure was not an FFmpeg call's.</summary>
    public int FFmpegErrorCode { get; }

    /// <summary>The last warning and error lines FFmpeg logged while opening, or null.</summary>
    public string? FFmpegLog { get; }
}

/// <summary>
/// An encoder or muxer call failed. Internal: MpegEncoder and MpegServer report it through LastError and
/// their return values, and JpegEncoder's callers catch it as <see cref="MpegCoderException"/>. An encoder's
/// own failures come from <see cref="NotOpened"/> and <see cref="NotEncoded"/>, so that every encoder of
/// the library says them the same way.
/// </summary>
internal sealed class EncoderException(string message) : MpegCoderException(message)
{
    /// <summary>The encoder could not be opened: "The encoder libx264 does not open at 640x480, 25/1 fps: yuv420p: ...".</summary>
    /// <param name="encoder">The encoder's name.</param>
    /// <param name="setup">What it was opened for: the size, and what else the caller names.</param>
    /// <param name="reason">Why, in FFmpeg's words where it has any.</param>
    public static EncoderException NotOpened(string encoder, string setup, string reason) =>
        new($"The encoder {encoder} does not open at {setup}: {reason}");

    /// <summary>An opened encoder could not encode a frame: "The encoder mjpeg did not encode a frame: avcodec_send_frame: ...".</summary>
    public static EncoderException NotEncoded(string encoder, string reason) =>
        new($"The encoder {encoder} did not encode a frame: {reason}");
}
