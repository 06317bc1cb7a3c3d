using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Tests.Binding;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Protocols;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Distributions;

/// <summary>
/// Every supported FFmpeg other than the host's that Debian ships, proven inside a real Debian: a
/// bullseye root (FFmpeg 4.3, the 4.x table), a trixie root (FFmpeg 7.1) and a sid root (FFmpeg 9.0 with its headers, and FFmpeg 8.1's libraries, loaded through the folder
/// override). The test assembly runs there with the host's .NET (bind-mounted) and only
/// <see cref="InRootTests"/> selected; the live stream comes from the host's RTSP server, the sftp
/// file from the host's sshd (its client key copied into the run's results folder).
/// </summary>
[Collection(DebianRootsCollection.Name)]
public class DistributionTests(RtspServerFixture fixture, SftpFixture sftp, ITestOutputHelper output)
    : IClassFixture<RtspServerFixture>, IClassFixture<SftpFixture>
{
    private const string Tests = "/mpegcoder/tests";
    private const string Clips = "/mpegcoder/clips";
    private const string Results = "/mpegcoder/results";
    private const string FolderOverride = "/tmp/ffmpeg";

    /// <summary>Suite, release, and whether the release is loaded from a folder of links (the override) rather than the system path.</summary>
    public static TheoryData<string, string, bool> Releases => new()
    {
        { "bullseye", "4.x", false },
        { "trixie", "7.1", false },
        { "sid", "9.0", false },
        { "sid", "8.x", true },
    };

    [Theory]
    [MemberData(nameof(Releases))]
    public void The_in_root_tests_pass_with_this_ffmpeg(string suite, string releaseName, bool viaFolderOverride)
    {
        var release = FFmpegReleases.Supported.Single(r => r.Name == releaseName);
        var root = DebianRoot.Of(suite);
        output.WriteLine($"{suite} root at {root.Path}, ready in {root.Preparation.TotalSeconds:F1} s");
        string clip = Infrastructure.Clips.BarcodeClip(seconds: 2);
        string results = Directory.CreateTempSubdirectory("mpegcoder-inroot-results").FullName;
        try
        {
            var test = new List<string>
            {
                "/usr/share/dotnet/dotnet", "test", $"{Tests}/{Path.GetFileName(typeof(InRootTests).Assembly.Location)}",
                "--filter", $"FullyQualifiedName~{typeof(InRootTests).FullName}",
                "--logger", "trx;LogFileName=inroot.trx", "--logger", "console;verbosity=normal", "--results-directory", Results,
            };
            var command = viaFolderOverride
                ? ["/bin/sh", "-c", $"set -e; mkdir {FolderOverride}; for f in {LibraryFiles(release)}; do ln -s /usr/lib/*/$f {FolderOverride}/$f; done; exec \"$@\"", "sh", .. test]
                : test;
            // The sftp client key (and its .pub, which FFmpeg reads too) where the root can read it.
            foreach (var file in new[] { sftp.Server.PrivateKey, sftp.Server.PrivateKey + ".pub" })
                File.Copy(file, Path.Combine(results, Path.GetFileName(file)));
            var environment = new List<string>
            {
                $"{InRootEnvironment.ReleaseVariable}={release.Name}",
                $"{InRootEnvironment.ClipVariable}={Clips}/{Path.GetFileName(clip)}",
                $"{InRootEnvironment.RtspVariable}={fixture.Server.Url}",
                $"{InRootEnvironment.SftpVariable}={sftp.Server.Serve(clip)}",
                $"{InRootEnvironment.SftpKeyVariable}={Results}/{Path.GetFileName(sftp.Server.PrivateKey)}",
            };
            if (viaFolderOverride) environment.Add($"MPEGCODER_FFMPEG_ROOT={FolderOverride}");

            var clock = Stopwatch.StartNew();
            var run = root.Run(
                [$"{DotNetRoot()}:/usr/share/dotnet:ro", $"{AppContext.BaseDirectory}:{Tests}:ro", $"{Path.GetDirectoryName(clip)}:{Clips}:ro", $"{results}:{Results}"],
                environment, command, TimeSpan.FromMinutes(5));
            output.WriteLine($"in-root run: {clock.Elapsed.TotalSeconds:F1} s, exit {run.ExitCode}\n{run.StdOutText}\n{run.StdErr}");

            Assert.Empty(root.HostVisibleMounts());
            string trx = Path.Combine(results, "inroot.trx");
            Assert.True(File.Exists(trx), $"the in-root run wrote no results (exit {run.ExitCode}):\n{run.StdOutText}\n{run.StdErr}");
            var counters = Counters(File.ReadAllText(trx));
            int expected = typeof(InRootTests).GetMethods().Count(m => m.GetCustomAttribute<InRootFactAttribute>() is not null);
            Assert.True(expected > 0);
            Assert.True(counters["executed"] == expected && counters["passed"] == expected,
                $"in {suite} with FFmpeg {release.Name}: {counters["executed"]} of {expected} tests executed, {counters["passed"]} passed:\n{run.StdOutText}");
            Assert.Equal(0, run.ExitCode);
            string uses = $"MpegCoder uses FFmpeg {release.Name} (libavformat {release.AVFormat}.";
            Assert.Contains(uses, File.ReadAllText(trx));
            Assert.Contains(viaFolderOverride ? $"from '{FolderOverride}'" : "from the system library path", File.ReadAllText(trx));
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Fact]
    public void A_folder_mixing_two_releases_is_refused_with_both_named()
    {
        // The host's FFmpeg 5.1, except libavcodec: trixie's 7.1 (which cannot even load here).
        var root = DebianRoot.Of("trixie");
        using var folder = LibraryFolder.Create();
        foreach (var name in new[] { "avutil", "swscale", "avformat" })
            folder.Link(FFmpegLoader.FileName(name, FFmpegReleases.FFmpeg5_1.Major(name)), LibraryFolder.HostLibrary(name, FFmpegReleases.FFmpeg5_1));
        folder.Link("libavcodec.so.61", root.Library("libavcodec.so.61"));

        var e = Assert.Throws<FFmpegNotFoundException>(() => FFmpegLoader.LoadFrom(folder.Path));
        output.WriteLine(e.Message);
        Assert.Contains("These are a mix of FFmpeg releases (5.1: libavutil, libswscale, libavformat; 7.1: libavcodec), and MpegCoder needs all four libraries from one release", e.Message);
        Assert.Contains("libavcodec.so.61 (FFmpeg 7.1, cannot be loaded: ", e.Message);
        Assert.Matches(@"libavformat\.so\.59 \(59\.\d+\.\d+, FFmpeg 5\.1\)", e.Message);
        Assert.Contains("FFmpeg 5.1 is incomplete: libavcodec.so.59 missing or not loadable", e.Message);
        Assert.Contains("FFmpeg 7.1 is incomplete: libavutil.so.59, libswscale.so.8, libavcodec.so.61, libavformat.so.61 missing or not loadable", e.Message);
        Assert.Contains("Install: ", e.Message);
    }

    [Fact]
    public void A_root_whose_package_left_the_archive_names_it_and_the_release_it_proved()
    {
        // libavcodec57 (FFmpeg 3.4) left Debian long before bullseye: a stand-in for a package the
        // archive drops later. The build stops at debootstrap's package resolution, in a scratch cache.
        ExternalTool.Require("debootstrap", "debootstrap");
        string scratch = Directory.CreateTempSubdirectory("mpegcoder-roots").FullName;
        try
        {
            var run = ExternalTool.Run("env", [$"MPEGCODER_TEST_ROOTS={scratch}", "MPEGCODER_ROOT_EXTRA_PACKAGES=libavcodec57", "bash", DebianRoot.Script, "build", "bullseye"], TimeSpan.FromMinutes(5));
            output.WriteLine(run.StdErr);
            Assert.NotEqual(0, run.ExitCode);
            Assert.Matches(@"error: package libavcodec57 has left Debian bullseye \(\S+\): the runtime proof of FFmpeg 4\.x in the bullseye root is lost", run.StdErr);
            Assert.False(Directory.Exists(Path.Combine(scratch, "bullseye")));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static string LibraryFiles(FFmpegRelease release) =>
        string.Join(' ', FFmpegRelease.Libraries.Select(name => FFmpegLoader.FileName(name, release.Major(name))));

    /// <summary>The .NET installation running this test (…/shared/Microsoft.NETCore.App/&lt;version&gt;/ is three levels below it).</summary>
    private static string DotNetRoot() =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));

    private static Dictionary<string, int> Counters(string trx)
    {
        var counters = Regex.Match(trx, "<Counters [^>]*>").Value;
        return Regex.Matches(counters, "(\\w+)=\"(\\d+)\"").ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
    }
}

/// <summary>
/// The distribution tests run alone, after every parallel test: each in-root run starts a second .NET
/// test process, and that load would disturb the timing of the live-stream tests running beside it
/// (and theirs would disturb the in-root live test).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DebianRootsCollection
{
    public const string Name = "Debian roots";
}
