namespace MpegCoder.Tests.Infrastructure;

/// <summary>How the ffmpeg CLI is told a test file's container.</summary>
public static class MediaInput
{
    /// <summary>
    /// "-f mpegts" for an MPEG-TS file, nothing for the others. FFmpeg's format probe fails on some MPEG-TS
    /// files of a few frames ("End of file"; a segment a stop cut 0.1 s after it started), which it reads
    /// whole once told the container: the CLI's own `-c copy` of 3 barcode frames gives such a file.
    /// </summary>
    public static string[] FormatOf(string path) =>
        Path.GetExtension(path).Equals(".ts", StringComparison.OrdinalIgnoreCase) ? ["-f", "mpegts"] : [];
}
