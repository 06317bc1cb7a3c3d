using System.Globalization;
using MpegCoder.Tests.Infrastructure;

namespace MpegCoder.Player.Tests.Imaging;

/// <summary>Decodes image files (JPEG, PNG) to packed RGB24 with the ffmpeg CLI: an independent decoder for what the tests check.</summary>
public static class ImageFiles
{
    /// <summary>The whole picture, or the <paramref name="crop"/> rectangle of it, as packed RGB24.</summary>
    public static byte[] DecodeRgb24(byte[] file, (int x, int y, int width, int height)? crop = null)
    {
        string ffmpeg = ExternalTool.Require("ffmpeg", "ffmpeg");
        var args = new List<string> { "-hide_banner", "-nostats", "-loglevel", "error", "-f", "image2pipe", "-i", "pipe:0" };
        if (crop is { } c)
            args.AddRange(["-vf", string.Create(CultureInfo.InvariantCulture, $"crop={c.width}:{c.height}:{c.x}:{c.y}")]);
        args.AddRange(["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        var result = ExternalTool.Run(ffmpeg, args, TimeSpan.FromSeconds(30), file);
        if (result.TimedOut || result.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg could not decode the {file.Length}-byte image: {result}");
        return result.StdOut;
    }
}
