using MpegCoder.Tests.Infrastructure;

namespace MpegCoder.Tests.Windows;

/// <summary>
/// FFmpeg's Windows DLLs cross-built (mingw-w64) from one Debian release's ffmpeg source package by
/// windows-ffmpeg.sh (beside this file), cached under /var/cache/mpegcoder-test-roots/windows (or
/// $MPEGCODER_TEST_ROOTS/windows) and built again only when the archive's source version changes;
/// and Wine, which runs Windows programs against them. Paths handed to Windows programs are Wine's
/// Z: drive (the host's /).
/// </summary>
internal sealed class WindowsFFmpeg
{
    public const string Wine = "/usr/lib/wine/wine64";

    public static string Script { get; } = Path.Combine(Repository.Root, "tests", "MpegCoder.Tests", "Windows", "windows-ffmpeg.sh");

    private WindowsFFmpeg(string suite, string folder, TimeSpan preparation)
    {
        Suite = suite;
        Folder = folder;
        Preparation = preparation;
    }

    public string Suite { get; }

    /// <summary>The install folder: bin/ (the DLLs), include/, .mpegcoder-stamp (source version, build time).</summary>
    public string Folder { get; }

    public string Bin => Path.Combine(Folder, "bin");

    /// <summary>How long getting the build took: the cross-build the first time, an archive version check afterwards.</summary>
    public TimeSpan Preparation { get; }

    /// <summary>The source package version the DLLs were built from, e.g. "7:5.1.9-0+deb12u1".</summary>
    public string SourceVersion =>
        File.ReadLines(Path.Combine(Folder, ".mpegcoder-stamp")).Single(l => l.StartsWith("source=ffmpeg ", StringComparison.Ordinal))["source=ffmpeg ".Length..];

    private static readonly ScriptBuild Builds = new(Script, TimeSpan.FromMinutes(30));

    /// <summary>The DLLs of <paramref name="suite"/>'s FFmpeg, built on first use (about 3 minutes on 2 idle cores).</summary>
    public static WindowsFFmpeg Of(string suite)
    {
        ExternalTool.Require("x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64");
        ExternalTool.Require("dpkg-source", "dpkg-dev");
        ExternalTool.Require("make", "make");
        var (folder, took) = Builds.Of(suite);
        return new WindowsFFmpeg(suite, folder, took);
    }

    /// <summary>The Windows path of a host path, on Wine's Z: drive.</summary>
    public static string WindowsPath(string path) => "Z:" + Path.GetFullPath(path).Replace('/', '\\');

    /// <summary>
    /// Runs a Windows program under Wine (a cached prefix beside the builds) with only PATH, HOME and
    /// <paramref name="environment"/> ("NAME=VALUE") in its environment.
    /// </summary>
    public static ToolResult RunUnderWine(string exe, IEnumerable<string> args, IEnumerable<string> environment, TimeSpan timeout)
    {
        ExternalTool.Require(Wine, "wine64");
        string roots = Environment.GetEnvironmentVariable("MPEGCODER_TEST_ROOTS") is { Length: > 0 } r ? r : "/var/cache/mpegcoder-test-roots";
        string prefix = Path.Combine(roots, "windows", "wine-prefix");
        Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
        return ExternalTool.Run("env",
            ["-i", "PATH=/usr/bin:/bin", $"HOME={Environment.GetEnvironmentVariable("HOME") ?? "/root"}", $"WINEPREFIX={prefix}", "WINEDEBUG=-all",
             .. environment, Wine, exe, .. args], timeout);
    }
}
