
namespace MpegCoder.Interop;

/// <summary>Turns FFmpeg's negative return codes into their text.</summary>
internal static unsafe class FFmpegError
{
    public static string Text(int code)
    {
        const int size = 256;
        byte* buffer = stackalloc byte[size];
        if (ffmpeg.av_strerror(code, buffer, size) < 0)
            return $"FFmpeg error {code}";
        return CString.Read(buffer) ?? $"FFmpeg error {code}";
    }
}
