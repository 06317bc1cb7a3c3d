using System.Globalization;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Encoder;

/// <summary>What an encoded file holds, read back with the ffmpeg CLI: its container, codec, size and every frame's barcode.</summary>
internal sealed record EncodedFile(string Format, string Codec, int Width, int Height, IReadOnlyList<int> Indices)
{
    /// <summary>Probes <paramref name="path"/> with ffprobe and decodes every frame to RGB24 with ffmpeg (no frame dropped or repeated).</summary>
    public static EncodedFile Read(string path)
    {
        string ffprobe = ExternalTool.Require("ffprobe", "ffmpeg");
        var probe = ExternalTool.RunChecked(ffprobe, ["-v", "error", .. MediaInput.FormatOf(path), "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height:format=format_name", "-of", "default=noprint_wrappers=1", path], TimeSpan.FromSeconds(30));
        var fields = probe.StdOutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]); // MPEG-TS repeats fields per program
        int width = int.Parse(fields["width"], CultureInfo.InvariantCulture);
        int height = int.Parse(fields["height"], CultureInfo.InvariantCulture);

        string ffmpeg = ExternalTool.Require("ffmpeg", "ffmpeg");
        var decoded = ExternalTool.RunChecked(ffmpeg, ["-v", "error", .. MediaInput.FormatOf(path), "-i", path, "-fps_mode", "passthrough",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], TimeSpan.FromSeconds(60));
        int frameBytes = width * height * 3;
        Assert.True(decoded.StdOut.Length % frameBytes == 0, $"{decoded.StdOut.Length} bytes are not whole {width}x{height} frames");
        var indices = Barcode.ReadAll(decoded.StdOut, width, height);
        foreach (var (top, bottom) in indices)
            Assert.True(top == bottom, $"torn frame in {path}: top shows {top}, bottom {bottom}");
        return new EncodedFile(fields["format_name"], fields["codec_name"], width, height, indices.Select(i => i.top).ToList());
    }

    /// <summary>Asserts the file holds exactly frames 0..count-1, in order, at the given size.</summary>
    public void HoldsFrames(int count, int width, int height)
    {
        Assert.Equal((width, height), (Width, Height));
        Assert.Equal(Enumerable.Range(0, count), Indices);
    }
}
