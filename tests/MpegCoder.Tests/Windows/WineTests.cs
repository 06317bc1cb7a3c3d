using System.Diagnostics;
using System.Text.RegularExpressions;
using MpegCoder.Interop.Layouts;
using MpegCoder.Tests.Binding;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Distributions;
using MpegCoder.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Windows;

/// <summary>
/// MpegCoder on Windows, proven on Linux: a self-contained win-x64 .NET (MpegCoder.WineHost) runs the
/// in-root tests under Wine against FFmpeg DLLs cross-built from Debian's own source packages
/// (bookworm's 5.1, trixie's 7.1), loaded through the folder override; the file clip and the host's
/// live RTSP stream are decoded frame-exact there. And each table against the Windows ABI: the layout
/// probe cross-compiled against those builds' headers and run under Wine prints the same table
/// (the members are pointers, ints and int64_t: none is a C long, which has 32 bits on Windows).
/// </summary>
[Collection(DebianRootsCollection.Name)]
public class WineTests(RtspServerFixture fixture, ITestOutputHelper output) : IClassFixture<RtspServerFixture>
{
    /// <summary>Debian suite whose ffmpeg source package is built, and the release it is.</summary>
    public static TheoryData<string, string> Builds => new()
    {
        { "bookworm", "5.1" },
        { "trixie", "7.1" },
    };

    /// <summary>The in-root test that compiles the probe with the root's gcc: under Wine the host cross-compiles it instead (below).</summary>
    private const string HeaderTest = nameof(InRootTests.The_table_of_this_roots_headers_matches_them);

    /// <summary>
    /// In-root tests the Windows builds cannot run: they are decode-only (windows-ffmpeg.sh configures
    /// --disable-everything, then one decoder, its demuxers and protocols), with no encoder, no muxer and
    /// no libssh, so neither the encoder test nor the sftp test applies; and the header test (above).
    /// </summary>
    private static readonly string[] NotForWindowsBuilds =
    [
        HeaderTest,
        nameof(InRootTests.Frames_encoded_with_libx264_into_a_file_decode_back_in_order),
        nameof(InRootTests.A_wrong_sftp_passphrase_is_an_error_and_the_process_lives),
    ];

    [Theory]
    [MemberData(nameof(Builds))]
    public void The_in_root_tests_pass_under_wine_with_windows_ffmpeg_dlls(string suite, string releaseName)
    {
        var release = FFmpegReleases.Supported.Single(r => r.Name == releaseName);
        var build = WindowsFFmpeg.Of(suite);
        output.WriteLine($"FFmpeg {build.SourceVersion} DLLs from {suite} in {build.Folder}, ready in {build.Preparation.TotalSeconds:F1} s");
        string clip = Clips.BarcodeClip(seconds: 2);
        string host = WineHost();
        var tests = InRootRunner.Tests().Select(m => m.Name).Except(NotForWindowsBuilds).ToList();
        Assert.Equal(4, tests.Count);

        var clock = Stopwatch.StartNew();
        var run = WindowsFFmpeg.RunUnderWine(host, [WindowsFFmpeg.WindowsPath(typeof(InRootRunner).Assembly.Location), .. tests],
        [
            $"{InRootEnvironment.ReleaseVariable}={release.Name}",
            $"{InRootEnvironment.ClipVariable}={WindowsFFmpeg.WindowsPath(clip)}",
            $"{InRootEnvironment.RtspVariable}={fixture.Server.Url}",
            $"MPEGCODER_FFMPEG_ROOT={WindowsFFmpeg.WindowsPath(build.Bin)}",
        ], TimeSpan.FromMinutes(5));
        string text = run.StdOutText.Replace("\r", "");
        output.WriteLine($"Wine run: {clock.Elapsed.TotalSeconds:F1} s, exit {run.ExitCode}\n{text}\n{run.StdErr}");

        foreach (var test in tests)
            Assert.Contains($"\n{InRootRunner.Passed}{test} (", "\n" + text);
        Assert.Contains($"{tests.Count} passed, 0 failed", text);
        Assert.Equal(0, run.ExitCode);
        Assert.Matches($@"MpegCoder uses FFmpeg {Regex.Escape(release.Name)} \(libavformat {release.AVFormat}\.\d+\.\d+, .*\) from '{Regex.Escape(WindowsFFmpeg.WindowsPath(build.Bin))}'", text);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void The_table_matches_the_headers_compiled_for_windows(string suite, string releaseName)
    {
        var release = FFmpegReleases.Supported.Single(r => r.Name == releaseName);
        var build = WindowsFFmpeg.Of(suite);
        ExternalTool.Require("x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64");
        ExternalTool.Require(WindowsFFmpeg.Wine, "wine64");
        var probe = ExternalTool.RunChecked("bash", [WindowsFFmpeg.Script, "probe", suite], TimeSpan.FromMinutes(5)).StdOutText;
        output.WriteLine(probe);
        var probed = Regex.Matches(probe, @"^\s*(\w+) = (-?\d+),$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
        Assert.NotEmpty(probed);
        Assert.Empty(HeaderProbe.Differences(release, probed));
        output.WriteLine($"FFmpeg {build.SourceVersion} (Windows x64 ABI): the {release.Name} table matches");
    }

    /// <summary>The win-x64 host's .exe, built with the tests (the test project references it).</summary>
    private static string WineHost()
    {
        // …/tests/MpegCoder.Tests/bin/<Configuration>/net10.0/: the host is built with the same configuration.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        string exe = Path.Combine(Repository.Root, "tests", "MpegCoder.WineHost", "bin", configuration, "net10.0", "win-x64", "MpegCoder.WineHost.exe");
        Assert.True(File.Exists(exe), $"{exe} is missing: build tests/MpegCoder.Tests (it builds the host)");
        return exe;
    }
}
