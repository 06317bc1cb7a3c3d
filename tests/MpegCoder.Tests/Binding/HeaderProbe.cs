using System.Reflection;
using MpegCoder.Interop.Layouts;
using MpegCoder.Tests.Infrastructure;

namespace MpegCoder.Tests.Binding;

/// <summary>
/// The C layout probe (LayoutProbe/layout_probe.c) compiled with this machine's gcc against the FFmpeg
/// headers pkg-config finds here, and its comparison with the table of the release those headers
/// belong to. Runs on the host and, inside a Debian root, with that root's gcc and headers.
/// </summary>
internal static class HeaderProbe
{
    /// <summary>The release the installed headers belong to (by libavcodec's major), or a failure naming it.</summary>
    public static FFmpegRelease ReleaseOfHeaders()
    {
        ExternalTool.Require("pkg-config", "pkg-config");
        string version = ExternalTool.RunChecked("pkg-config", ["--modversion", "libavcodec"], TimeSpan.FromSeconds(30)).StdOutText.Trim();
        int major = int.Parse(version.Split('.')[0]);
        return FFmpegReleases.Supported.SingleOrDefault(r => r.AVCodec == major)
            ?? throw new InvalidOperationException($"The installed headers are libavcodec {version}, a release without a table.");
    }

    /// <summary>Every NAME=VALUE line of the probe compiled against the installed headers.</summary>
    public static Dictionary<string, int> Run()
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

    /// <summary>The table's values by name (<c>Struct_member</c>), as the probe prints them.</summary>
    public static Dictionary<string, int> TableValues(FFmpegLayout layout) =>
        typeof(FFmpegLayout).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(int))
            .ToDictionary(p => p.Name, p => (int)p.GetValue(layout)!);

    /// <summary>
    /// Every difference between the probe and <paramref name="release"/>'s table, one line each: a name
    /// only one side has, or a value they disagree on. Empty when the table is right.
    /// </summary>
    public static List<string> Differences(FFmpegRelease release, Dictionary<string, int> probed)
    {
        var table = TableValues(release.Layout ?? throw new ArgumentException($"{release} has no table", nameof(release)));
        return table.Keys.Union(probed.Keys).Order(StringComparer.Ordinal)
            .Select(name => (name, inTable: table.TryGetValue(name, out int t) ? t : (int?)null, inHeaders: probed.TryGetValue(name, out int h) ? h : (int?)null))
            .Where(d => d.inTable != d.inHeaders)
            .Select(d => $"{d.name}: table {d.inTable?.ToString() ?? "(none)"}, headers {d.inHeaders?.ToString() ?? "(none)"}")
            .ToList();
    }
}
