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

/// <summary>An encoder or muxer call failed (internal: the faces report it through LastError and their return values).</summary>
internal sealed class EncoderException(string message) : MpegCoderException(message);
