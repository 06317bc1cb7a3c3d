using System.Runtime.InteropServices;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using Xunit;

namespace MpegCoder.Tests.Binding;

/// <summary>
/// The host's FFmpeg (5.1, Debian 12): its table against its own headers (a C probe compiled against
/// the installed -dev headers prints offsetof/sizeof of every member the C# side touches), the loader's
/// choice, and the loader's file names and messages. The other releases are proven inside Debian roots
/// (Distributions/DistributionTests).
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
        Assert.Equal(["9.0", "8.x", "7.1", "5.1"], supported.Select(r => r.Name));
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
        // FFmpeg 6.1 (Ubuntu 24.04) is in none of the Debian releases a test can install, so its
        // message is composed from what the loader would find: the four libraries and their versions.
        var found = FFmpegRelease.Libraries.Select(name =>
        {
            int major = FFmpegReleases.Unsupported.Single(r => r.Name == "6.x").Major(name);
            return new FoundLibrary(name, major, FFmpegLoader.FileName(name, major), new LibraryVersion((uint)(major << 16 | 3 << 8 | 100)), null);
        }).ToList();
        string message = FFmpegNotFoundMessage.Compose(null, found, []);
        Console.WriteLine(message); // the README quotes this text
        Assert.StartsWith("MpegCoder could not load a supported FFmpeg from the system library path. Found: libavutil.so.58 (58.3.100, FFmpeg 6.x), libswscale.so.7 (7.3.100, FFmpeg 6.x), libavcodec.so.60 (60.3.100, FFmpeg 6.x), libavformat.so.60 (60.3.100, FFmpeg 6.x). " +
                          "FFmpeg 6.x (Ubuntu 24.04) is not supported: MpegCoder has no struct layout table for it. Supported: FFmpeg 9.0", message);
        Assert.Contains("Ubuntu 24.04 ships FFmpeg 6.1, which is not supported; there and on other Linux distributions: a shared build of FFmpeg 5.1, 7.1, 8.x, 9.0", message);
        Assert.DoesNotContain("mix", message);
    }
}
