using System.Reflection;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Binding;

/// <summary>
/// Proves the C# layout table of the loaded FFmpeg against that release's own headers: a C probe
/// compiled against the installed -dev headers prints offsetof/sizeof of every member the C# side
/// touches, and every value must equal the table's.
/// </summary>
public class LayoutTableTests
{
    private static Dictionary<string, int> TableValues(FFmpegLayout layout) =>
        typeof(FFmpegLayout).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(int))
            .ToDictionary(p => p.Name, p => (int)p.GetValue(layout)!);

    /// <summary>Compiles and runs the probe against the headers under <paramref name="includeRoot"/>'s pkg-config.</summary>
    internal static Dictionary<string, int> ProbeHeaders()
    {
        ExternalTool.Require("gcc", "gcc");
        ExternalTool.Require("pkg-config", "pkg-config");
        var cflags = ExternalTool.RunChecked("pkg-config", ["--cflags", "libavformat", "libavcodec", "libavutil"], TimeSpan.FromSeconds(30))
            .StdOutText.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string source = Path.Combine(AppContext.BaseDirectory, "LayoutProbe", "layout_probe.c");
        string binary = Path.Combine(Path.GetTempPath(), $"mpegcoder-layout-probe-{Environment.ProcessId}");
        ExternalTool.RunChecked("gcc", [.. cflags, "-Wall", "-Werror", "-Wno-deprecated-declarations", "-o", binary, source], TimeSpan.FromSeconds(60));
        try
        {
            var output = ExternalTool.RunChecked(binary, [], TimeSpan.FromSeconds(10)).StdOutText;
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('='))
                .ToDictionary(kv => kv[0].Trim(), kv => int.Parse(kv[1].Trim()));
        }
        finally
        {
            File.Delete(binary);
        }
    }

    [Fact]
    public void The_loaded_release_table_matches_the_installed_headers()
    {
        FFmpegLibrary.EnsureLoaded();
        var table = TableValues(FFmpegLoader.Layout);
        var probed = ProbeHeaders();

        Assert.Equal(table.Keys.Order(), probed.Keys.Order());
        var mismatches = table.Where(kv => probed[kv.Key] != kv.Value)
            .Select(kv => $"{kv.Key}: table {kv.Value}, headers {probed[kv.Key]}").ToList();
        Assert.Empty(mismatches);
    }

    [Fact]
    public void The_host_has_ffmpeg_5_1_and_the_loader_picks_its_table()
    {
        string description = FFmpegLibrary.EnsureLoaded();
        Assert.StartsWith("FFmpeg 5.1 (libavformat 59, libavcodec 59, libavutil 57, libswscale 6)", description);
        Assert.Same(FFmpegReleases.FFmpeg5_1, FFmpegLoader.Release);
    }

    [Fact]
    public void Versioned_file_names_follow_ffmpegs_build_system()
    {
        Assert.True(OperatingSystem.IsLinux(), "these tests run on Linux");
        Assert.Equal("libavcodec.so.59", FFmpegLoader.FileName("avcodec", 59));
    }

    [Fact]
    public void A_folder_without_ffmpeg_gives_a_message_that_says_what_to_install()
    {
        string empty = Directory.CreateTempSubdirectory("mpegcoder-no-ffmpeg").FullName;
        try
        {
            var e = Assert.Throws<FFmpegNotFoundException>(() => FFmpegLoader.LoadFrom(empty));
            Assert.Contains(empty, e.Message);
            Assert.Contains("Found: no FFmpeg libraries", e.Message);
            Assert.Contains("libavcodec.so.59", e.Message);
            Assert.Contains("apt-get install", e.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
