using System.Runtime.InteropServices;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using Xunit;

namespace MpegCoder.Tests.Binding;

/// <summary>
/// The host's FFmpeg (5.1, Debian 12): its table against its own headers (a C probe compiled against
/// the installed -dev headers prints offsetof/sizeof of every member the C# side touches), the loader's
/// choice, and the loader's file names and messages. The other releases are proven inside Debian roots
/// (Distributions/DistributionTests) and, on Windows, under Wine (Windows/WineTests).
/// </summary>
public class LayoutTableTests
{
    [Fact]
    public void The_table_of_the_installed_headers_matches_them()
    {
        var release = HeaderProbe.ReleaseOfHeaders();
        Assert.Same(FFmpegReleases.FFmpeg5_1, release);
        Assert.Empty(HeaderProbe.Differences(release, HeaderProbe.Run()));
    }

    [Fact]
    public void The_host_has_ffmpeg_5_1_and_the_loader_picks_its_table()
    {
        string description = FFmpegLibrary.EnsureLoaded();
        Assert.Matches(@"^FFmpeg 5\.1 \(libavformat 59\.\d+\.\d+, libavcodec 59\.\d+\.\d+, libavutil 57\.\d+\.\d+, libswscale 6\.\d+\.\d+\) from the system library path$", description);
        Assert.Same(FFmpegReleases.FFmpeg5_1, FFmpegLoader.Release);
        Assert.Same(FFmpegReleases.FFmpeg5_1.Layout, FFmpegLoader.Layout);
        Assert.Empty(FreshFrame.WrongDefaults(FFmpegLoader.Layout));
    }

    [Fact]
    public void Supported_releases_are_tried_newest_first_and_each_has_a_table()
    {
        var supported = FFmpegReleases.Supported;
        Assert.Equal(["9.0", "8.x", "7.1", "6.x", "5.1", "4.x"], supported.Select(r => r.Name));
        Assert.Equal(supported.Select(r => r.AVCodec).OrderDescending(), supported.Select(r => r.AVCodec));
        Assert.All(supported, r => Assert.NotNull(r.Layout));
        Assert.All(FFmpegReleases.Unsupported, r => Assert.Null(r.Layout));
        // A major names one release: the loader's message relies on it.
        foreach (var name in FFmpegRelease.Libraries)
            Assert.Equal(supported.Concat(FFmpegReleases.Unsupported).Count(), supported.Concat(FFmpegReleases.Unsupported).Select(r => r.Major(name)).Distinct().Count());
    }

    [Theory]
    [InlineData("avcodec", 59, "libavcodec.so.59", "avcodec-59.dll", "libavcodec.59.dylib")]
    [InlineData("avformat", 61, "libavformat.so.61", "avformat-61.dll", "libavformat.61.dylib")]
    [InlineData("avutil", 60, "libavutil.so.60", "avutil-60.dll", "libavutil.60.dylib")]
    [InlineData("swscale", 10, "libswscale.so.10", "swscale-10.dll", "libswscale.10.dylib")]
    public void Versioned_file_names_follow_ffmpegs_build_system(string library, int major, string linux, string windows, string macOS)
    {
        Assert.Equal(linux, FFmpegLoader.FileName(library, major, OSPlatform.Linux));
        Assert.Equal(windows, FFmpegLoader.FileName(library, major, OSPlatform.Windows));
        Assert.Equal(macOS, FFmpegLoader.FileName(library, major, OSPlatform.OSX));
        Assert.True(OperatingSystem.IsLinux(), "these tests run on Linux");
        Assert.Equal(linux, FFmpegLoader.FileName(library, major));
    }

    /// <summary>Every supported release's four files on each OS, as FFmpeg's own builds name them (a Windows "shared" zip's bin folder, Homebrew's lib folder).</summary>
    public static TheoryData<string, string, string, string> ReleaseFiles => new()
    {
        { "9.0", "libavutil.so.61 libswscale.so.10 libavcodec.so.63 libavformat.so.63", "avutil-61.dll swscale-10.dll avcodec-63.dll avformat-63.dll", "libavutil.61.dylib libswscale.10.dylib libavcodec.63.dylib libavformat.63.dylib" },
        { "8.x", "libavutil.so.60 libswscale.so.9 libavcodec.so.62 libavformat.so.62", "avutil-60.dll swscale-9.dll avcodec-62.dll avformat-62.dll", "libavutil.60.dylib libswscale.9.dylib libavcodec.62.dylib libavformat.62.dylib" },
        { "7.1", "libavutil.so.59 libswscale.so.8 libavcodec.so.61 libavformat.so.61", "avutil-59.dll swscale-8.dll avcodec-61.dll avformat-61.dll", "libavutil.59.dylib libswscale.8.dylib libavcodec.61.dylib libavformat.61.dylib" },
        { "6.x", "libavutil.so.58 libswscale.so.7 libavcodec.so.60 libavformat.so.60", "avutil-58.dll swscale-7.dll avcodec-60.dll avformat-60.dll", "libavutil.58.dylib libswscale.7.dylib libavcodec.60.dylib libavformat.60.dylib" },
        { "5.1", "libavutil.so.57 libswscale.so.6 libavcodec.so.59 libavformat.so.59", "avutil-57.dll swscale-6.dll avcodec-59.dll avformat-59.dll", "libavutil.57.dylib libswscale.6.dylib libavcodec.59.dylib libavformat.59.dylib" },
        { "4.x", "libavutil.so.56 libswscale.so.5 libavcodec.so.58 libavformat.so.58", "avutil-56.dll swscale-5.dll avcodec-58.dll avformat-58.dll", "libavutil.56.dylib libswscale.5.dylib libavcodec.58.dylib libavformat.58.dylib" },
    };

    [Theory]
    [MemberData(nameof(ReleaseFiles))]
    public void Each_release_is_looked_for_by_its_file_names_on_linux_windows_and_macos(string release, string linux, string windows, string macOS)
    {
        var r = FFmpegReleases.Supported.Single(s => s.Name == release);
        string Files(OSPlatform os) => string.Join(' ', FFmpegRelease.Libraries.Select(name => FFmpegLoader.FileName(name, r.Major(name), os)));
        Assert.Equal(linux, Files(OSPlatform.Linux));
        Assert.Equal(windows, Files(OSPlatform.Windows));
        Assert.Equal(macOS, Files(OSPlatform.OSX));
        Assert.Equal(FFmpegReleases.Supported.Count, ReleaseFiles.Count);
    }

    [Theory]
    [InlineData(58, "4.x")]
    [InlineData(59, "5.1")]
    [InlineData(60, "6.x")]
    [InlineData(61, "7.1")]
    [InlineData(62, "8.x")]
    [InlineData(63, "9.0")]
    public void A_libavcodec_major_names_a_supported_release_with_its_own_table(int major, string release)
    {
        var found = FFmpegReleases.OfLibrary("avcodec", major);
        Assert.NotNull(found);
        Assert.Equal(release, found.Name);
        Assert.Contains(found, FFmpegReleases.Supported);
        Assert.NotNull(found.Layout);
        // 8.x shares 9.0's table (see FFmpeg8's remarks); every other release has its own.
        var sharing = FFmpegReleases.Supported.Where(r => ReferenceEquals(r.Layout, found.Layout)).Select(r => r.Name).Order();
        Assert.Equal(release is "8.x" or "9.0" ? ["8.x", "9.0"] : [release], sharing);
    }

    [Fact]
    public void A_32_bit_process_is_told_it_needs_a_64_bit_process()
    {
        Assert.Null(FFmpegLoader.ProcessProblem(is64BitProcess: true, Architecture.X64));
        Assert.True(Environment.Is64BitProcess); // so the loader's own check passes here
        string message = FFmpegLoader.ProcessProblem(is64BitProcess: false, Architecture.X86)!;
        Assert.StartsWith("MpegCoder needs a 64-bit process, and this one is 32-bit (X86)", message);
        Assert.Contains("PlatformTarget x64 or AnyCPU without Prefer32Bit", message);
        Assert.DoesNotContain("layout table for", message);
    }

    [Fact]
    public void A_folder_override_loads_the_release_in_that_folder()
    {
        using var folder = LibraryFolder.Create();
        foreach (var name in FFmpegRelease.Libraries)
            folder.Link(FFmpegLoader.FileName(name, FFmpegReleases.FFmpeg5_1.Major(name)), LibraryFolder.HostLibrary(name, FFmpegReleases.FFmpeg5_1));
        var loaded = FFmpegLoader.LoadFrom(folder.Path);
        Assert.Same(FFmpegReleases.FFmpeg5_1, loaded.Release);
        Assert.EndsWith($"from '{folder.Path}'", loaded.ToString());
    }

    [Fact]
    public void A_folder_without_ffmpeg_gives_a_message_that_says_what_to_install()
    {
        using var folder = LibraryFolder.Create();
        var e = Assert.Throws<FFmpegNotFoundException>(() => FFmpegLoader.LoadFrom(folder.Path));
        Assert.Contains(folder.Path, e.Message);
        Assert.Contains("Found: no FFmpeg libraries", e.Message);
        Assert.Contains("Supported: FFmpeg 9.0 (libavformat 63, libavcodec 63, libavutil 61, libswscale 10) = libavutil.so.61, libswscale.so.10, libavcodec.so.63, libavformat.so.63", e.Message);
        Assert.Contains("FFmpeg 5.1 (libavformat 59, libavcodec 59, libavutil 57, libswscale 6)", e.Message);
        Assert.Contains("Debian 12: 'apt-get install libavformat59 libavcodec59 libavutil57 libswscale6'", e.Message);
        Assert.Contains("Debian 11, Ubuntu 22.04: 'apt-get install libavformat58 libavcodec58 libavutil56 libswscale5'", e.Message);
        Assert.Contains("Ubuntu 24.04: 'apt-get install libavformat60 libavcodec60 libavutil58 libswscale7'", e.Message);
        Assert.Contains("Debian 13: 'apt-get install libavformat61 libavcodec61 libavutil59 libswscale8'", e.Message);
        Assert.Contains("Windows: unzip a shared build", e.Message);
    }

    [Fact]
    public void Libraries_whose_version_contradicts_their_file_name_are_rejected()
    {
        // FFmpeg 7.1's file names, but the host's 5.1 libraries behind them.
        using var folder = LibraryFolder.Create();
        foreach (var name in FFmpegRelease.Libraries)
            folder.Link(FFmpegLoader.FileName(name, FFmpegReleases.FFmpeg7_1.Major(name)), LibraryFolder.HostLibrary(name, FFmpegReleases.FFmpeg5_1));
        var e = Assert.Throws<FFmpegNotFoundException>(() => FFmpegLoader.LoadFrom(folder.Path));
        Assert.Matches(@"Rejected: libavutil\.so\.59 reports version 57\.\d+\.\d+; libswscale\.so\.8 reports version 6\.\d+\.\d+; libavcodec\.so\.61 reports version 59\.\d+\.\d+; libavformat\.so\.61 reports version 59\.\d+\.\d+", e.Message);
        Assert.Matches(@"libavcodec\.so\.61 \(59\.\d+\.\d+, FFmpeg 5\.1\)", e.Message);
    }

    [Fact]
    public void A_release_without_a_table_is_named_with_where_it_comes_from()
    {
        // FFmpeg 3.4 (Ubuntu 18.04) is in none of the Debian releases a test can install, so its
        // message is composed from what the loader would find: the four libraries and their versions.
        var found = FFmpegRelease.Libraries.Select(name =>
        {
            int major = FFmpegReleases.Unsupported.Single(r => r.Name == "3.x").Major(name);
            return new FoundLibrary(name, major, FFmpegLoader.FileName(name, major), new LibraryVersion((uint)(major << 16 | 3 << 8 | 100)), null);
        }).ToList();
        string message = FFmpegNotFoundMessage.Compose(null, found, []);
        Console.WriteLine(message);
        Assert.StartsWith("MpegCoder could not load a supported FFmpeg from the system library path. Found: libavutil.so.55 (55.3.100, FFmpeg 3.x), libswscale.so.4 (4.3.100, FFmpeg 3.x), libavcodec.so.57 (57.3.100, FFmpeg 3.x), libavformat.so.57 (57.3.100, FFmpeg 3.x). " +
                          "FFmpeg 3.x (Ubuntu 18.04) is not supported: MpegCoder has no struct layout table for it. Supported: FFmpeg 9.0", message);
        Assert.Contains("Other Linux distributions: a shared build of FFmpeg 4.x, 5.1, 6.x, 7.1, 8.x, 9.0", message);
        Assert.DoesNotContain("mix", message);
    }
}
