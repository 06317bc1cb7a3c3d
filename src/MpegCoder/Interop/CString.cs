using System.Runtime.InteropServices;
using System.Text;

namespace MpegCoder.Interop;

/// <summary>
/// The one way text crosses into and out of FFmpeg (and libssh): UTF-8 with a terminating zero.
/// Fixed names are written as literals, <c>"mjpeg\0"u8</c>, which need no conversion at all; every
/// string made at run time goes through <see cref="From"/>, pinned with <c>fixed</c> for the call.
/// </summary>
internal static unsafe class CString
{
    /// <summary>The UTF-8 bytes of <paramref name="text"/> followed by a zero byte.</summary>
    public static byte[] From(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>A zero-terminated UTF-8 string of FFmpeg's, or null for a null pointer.</summary>
    public static string? Read(byte* text) => Marshal.PtrToStringUTF8((nint)text);
}
