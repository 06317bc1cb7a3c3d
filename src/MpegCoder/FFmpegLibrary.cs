using MpegCoder.Interop;

namespace MpegCoder;

/// <summary>Where MpegCoder finds FFmpeg, and which FFmpeg it uses.</summary>
public static class FFmpegLibrary
{
    /// <summary>
    /// A folder to load the FFmpeg shared libraries from (like FFmpeg.AutoGen's RootPath), e.g. the
    /// <c>bin</c> folder of a shared FFmpeg build on Windows. Null (the default) uses the system's
    /// library search path; the environment variable <c>MPEGCODER_FFMPEG_ROOT</c> is used when this is null.
    /// Set it before the first client is set up.
    /// </summary>
    public static string? RootPath
    {
        get => FFmpegLoader.RootPath;
        set => FFmpegLoader.RootPath = value;
    }

    /// <summary>
    /// Loads FFmpeg now (otherwise the first <see cref="MpegClient.FFmpegSetup"/> does) and returns a
    /// description of the release in use and where it came from, e.g. "FFmpeg 7.1 (libavformat 61.7.100,
    /// libavcodec 61.19.101, libavutil 59.39.100, libswscale 8.3.100) from the system library path".
    /// </summary>
    /// <exception cref="FFmpegNotFoundException">No supported FFmpeg could be loaded; the message says what was found and what to install.</exception>
    public static string EnsureLoaded() => FFmpegLoader.EnsureLoaded().ToString();
}
