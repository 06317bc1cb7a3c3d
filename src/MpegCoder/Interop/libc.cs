using System.Runtime.InteropServices;

namespace MpegCoder.Interop;

/// <summary>
/// Declarations only: the C library's functions MpegCoder calls itself (Linux and macOS), with their C
/// names and signatures. See <see cref="Decoding.SftpConnectionWatch"/> for why.
/// </summary>
#pragma warning disable CS8981 // the C library's lower-case name, as for ffmpeg
internal static class libc
{
    /// <summary>shutdown's "how": no more receptions nor transmissions.</summary>
    public const int SHUT_RDWR = 2;

    /// <summary>int shutdown(int sockfd, int how): 0, or -1 with errno set.</summary>
    [DllImport("libc", SetLastError = true)] public static extern int shutdown(int sockfd, int how);
}
