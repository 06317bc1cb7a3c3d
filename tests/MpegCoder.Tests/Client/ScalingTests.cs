using System.Globalization;
using System.Runtime.InteropServices;
using MpegCoder.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Client;

/// <summary>
/// Resizing: bicubic by default as in the original, the other algorithms on request, each giving the
/// picture the ffmpeg CLI gives with the same swscale flag (same libswscale, same input frame).
/// </summary>
public class ScalingTests(ITestOutputHelper output)
{
    private const int SourceWidth = 320, SourceHeight = 240, Width = 200, Height = 130;

    [Fact]
    public void The_default_is_bicubic_like_the_original()
    {
        Assert.Equal(Scaling.Bicubic, new StreamOptions().Scaling);
        Assert.Equal(Scaling.Bicubic, new MpegClient().Options.Scaling);
    }

    [Theory]
    [InlineData(null, "bicubic")]
    [InlineData(Scaling.Bicubic, "bicubic")]
    [InlineData(Scaling.Bilinear, "bilinear")]
    [InlineData(Scaling.Lanczos, "lanczos")]
    [InlineData(Scaling.Nearest, "neighbor")]
    public void A_resized_frame_is_the_clis_with_the_same_flag(Scaling? scaling, string cliFlag)
    {
        string clip = Clip();
        byte[] ours = FirstFrame(clip, scaling);
        byte[] same = CliFrame(clip, cliFlag);
        byte[] other = CliFrame(clip, cliFlag == "bilinear" ? "bicubic" : "bilinear");
        double toSame = MeanDifference(ours, same), toOther = MeanDifference(ours, other);
        output.WriteLine($"{scaling?.ToString() ?? "default"}: mean |difference| {toSame:F3} to the CLI's {cliFlag}, {toOther:F3} to the other");
        Assert.True(toSame < 0.05, $"{toSame:F3} from the CLI's {cliFlag}");
        Assert.True(toOther > 2 * toSame + 0.1, $"as close to another algorithm ({toOther:F3}) as to {cliFlag} ({toSame:F3})");
    }

    [Fact]
    public void An_unknown_scaling_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => (new StreamOptions() with { Scaling = (Scaling)99 }).Validate());
    }

    /// <summary>A detailed picture (testsrc2: gradients, text, sharp edges), where the algorithms differ.</summary>
    private static string Clip()
    {
        string path = Path.Combine(Clips.Folder, $"testsrc2_{SourceWidth}x{SourceHeight}_1frame.mkv");
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(Clips.Folder);
        string tmp = Path.Combine(Clips.Folder, $".{Guid.NewGuid():N}.mkv");
        // Lossless 4:4:4 RGB source (ffv1 in bgr0): the decoded frame is the same for both sides and
        // the pixel format conversion adds no chroma interpolation of its own.
        ExternalTool.RunChecked(ExternalTool.Require("ffmpeg", "ffmpeg"),
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={SourceWidth}x{SourceHeight}:rate=25",
             "-frames:v", "1", "-c:v", "ffv1", "-pix_fmt", "bgr0", tmp], TimeSpan.FromSeconds(60));
        File.Move(tmp, path, overwrite: true);
        return path;
    }

    private static byte[] FirstFrame(string clip, Scaling? scaling)
    {
        var options = new StreamOptions { Width = Width, Height = Height };
        if (scaling is { } s) options = options with { Scaling = s };
        using var client = Frames.ReadWholeFile(clip, cacheSize: 1, options);
        var session = client.Session!;
        var pixels = new byte[session.FrameBytes];
        Assert.Equal(1, session.Reads.PeekNewest(1, pixels, default));
        return pixels;
    }

    private static byte[] CliFrame(string clip, string flag)
    {
        var result = ExternalTool.RunChecked(ExternalTool.Require("ffmpeg", "ffmpeg"),
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", clip, "-frames:v", "1",
             "-vf", string.Create(CultureInfo.InvariantCulture, $"scale={Width}:{Height}:flags={flag},format=rgb24"),
             "-f", "rawvideo", "pipe:1"], TimeSpan.FromSeconds(60));
        Assert.Equal(Width * Height * 3, result.StdOut.Length);
        return result.StdOut;
    }

    private static double MeanDifference(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        long sum = 0;
        for (int i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return (double)sum / a.Length;
    }
}
