using MpegCoder.Recording;
using Xunit;

namespace MpegCoder.Tests.Recording;

/// <summary>
/// Which file names a recorder's path could have given, so that retention deletes the recorder's own files
/// (an earlier run's included) and never another program's: names the format string gives for many dates and
/// numbers match, with the "-2" of a repeated name; names it could not give do not; a path whose files cannot
/// be told apart is refused.
/// </summary>
public class RecordingNamePatternTests
{
    [Theory]
    [InlineData("cam1-{0:yyyyMMdd-HHmmss}.mp4", "cam1-20261203-062804.mp4")]
    [InlineData("cam1-{0:yyyyMMdd-HHmmss}.mp4", "cam1-20261203-062804-2.mp4")]
    [InlineData("cam1-{0:yyyyMMdd-HHmmss}.mp4", "cam1-20261203-062804-117.mp4")]
    [InlineData("seg-{1:000}.ts", "seg-000.ts")]
    [InlineData("seg-{1:000}.ts", "seg-1234.ts")]
    [InlineData("seg-{1:000}.ts", "seg-007-3.ts")]
    [InlineData("seg-{1}.mkv", "seg-0.mkv")]
    [InlineData("seg-{1:D4}.mkv", "seg-0042.mkv")]
    [InlineData("seg-{1:x}.mkv", "seg-ff.mkv")]
    [InlineData("clip.mp4", "clip.mp4")]
    [InlineData("clip.mp4", "clip-2.mp4")]
    [InlineData("cam {0:dd MMM yyyy HH.mm} #{1}.mov", "cam 03 Dec 2026 06.28 #5.mov")]
    [InlineData("{0:dddd}-{0:%d}-{0:tt}.mp4", "Thursday-3-AM.mp4")]
    [InlineData("cam-{0:s}.mkv", "cam-2026-12-03T06:28:04.mkv")]
    [InlineData("cam-{0:yyyyMMdd'T'HHmmss.fff}.mp4", "cam-20261203T062804.123.mp4")]
    [InlineData("cam-{{raw}}-{1}.ts", "cam-{raw}-3.ts")]
    [InlineData("cam-{1,4}.ts", "cam-   3.ts")]
    public void Names_the_path_gives_match(string template, string name) =>
        Assert.True(RecordingNamePattern.For(template).Matches(name), $"'{name}' should match '{template}'");

    [Theory]
    [InlineData("cam1-{0:yyyyMMdd-HHmmss}.mp4", "cam1-20261203-0628.mp4")]       // too few digits
    [InlineData("cam1-{0:yyyyMMdd-HHmmss}.mp4", "cam1-notes.mp4")]
    [InlineData("cam1-{0:yyyyMMdd-HHmmss}.mp4", "cam2-20261203-062804.mp4")]
    [InlineData("cam1-{0:yyyyMMdd-HHmmss}.mp4", "cam1-20261203-062804.mkv")]
    [InlineData("cam1-{0:yyyyMMdd-HHmmss}.mp4", "cam1-20261203-062804.mp4.bak")]
    [InlineData("cam1-{0:yyyyMMdd-HHmmss}.mp4", "old-cam1-20261203-062804.mp4")]
    [InlineData("cam1-{0:yyyyMMdd-HHmmss}.mp4", "cam1-20261203-062804-copy.mp4")]
    [InlineData("seg-{1:000}.ts", "seg-01.ts")]
    [InlineData("seg-{1:000}.ts", "seg-abc.ts")]
    [InlineData("seg-{1:000}.ts", "seg-001.TS")]
    [InlineData("seg-{1:000}.ts", "seg-００１.ts")]                                 // digits, but not ASCII ones
    [InlineData("clip.mp4", "clip-old.mp4")]
    [InlineData("clip.mp4", "clip2.mp4")]
    [InlineData("cam {0:dd MMM yyyy} .mov", "cam 03 Foo 2026 .mov")]
    public void Names_the_path_cannot_give_do_not(string template, string name) =>
        Assert.False(RecordingNamePattern.For(template).Matches(name), $"'{name}' should not match '{template}'");

    [Theory]
    [InlineData("cam1-{0:yyyyMMdd-HHmmss}.mp4")]
    [InlineData("seg-{1:000}.ts")]
    [InlineData("{0:yyyy}-{0:MM}-{0:dd}_{0:HH}h{0:mm}_{1}.mkv")]
    [InlineData("cam-{0:O}.mp4")]
    [InlineData("cam-{0:u}-{1:X2}.ts")]
    public void Every_name_the_path_gives_over_a_year_matches(string template)
    {
        var pattern = RecordingNamePattern.For(template);
        var random = new Random(7);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Local);
        for (int i = 0; i < 2000; i++)
        {
            var time = start.AddSeconds(random.NextDouble() * 366 * 86400).AddTicks(random.Next(10_000_000));
            string name = RecordingTarget.Format(template, time, random.Next(0, 100_000));
            Assert.True(pattern.Matches(Path.GetFileName(name)), $"'{name}' given by '{template}' does not match");
            Assert.True(pattern.Matches(Path.GetFileName(RecordingTarget.Repeat(name, random.Next(2, 1000)))), $"a repeat of '{name}' does not match");
        }
    }

    [Fact]
    public void The_folder_is_the_paths_own_relative_paths_from_the_current_folder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "nvr", "cam1");
        Assert.Equal(folder, RecordingNamePattern.For(Path.Combine(folder, "seg-{1}.mp4")).Folder);
        Assert.Equal(Path.GetFullPath("."), RecordingNamePattern.For("seg-{1}.mp4").Folder);
        Assert.Equal(Path.GetFullPath("out"), RecordingNamePattern.For("out/./seg-{1}.mp4").Folder);
    }

    [Theory]
    [InlineData("/srv/{0:yyyyMMdd}/cam-{1}.mp4", "folder holds a format item")]   // a folder per day
    [InlineData("/srv/cam-{0:yyyy/MM}.mp4", "not in the folder")]                  // the date prints a separator
    [InlineData("/srv/cam-{0}.mp4", "not in the folder")]                          // "G": 12/03/2026 ...
    [InlineData("/srv/cam-{1:N0}.mp4", "number format 'N0'")]                      // grouping: 12,345
    [InlineData("/srv/cam-{1:G5}.mp4", "number format 'G5'")]                      // exponent form of large numbers
    [InlineData("/srv/cam-{0:HH.FFF}.mp4", "not one this library can recognise")]  // F drops the '.' before it when the fraction is 0
    public void A_path_whose_files_cannot_be_told_apart_is_refused(string template, string why)
    {
        var e = Assert.Throws<ArgumentException>(() => RecordingNamePattern.For(template));
        Assert.Contains(why, e.Message);
        Assert.Equal("Path", e.ParamName);
    }

    [Fact]
    public void Validate_refuses_limits_on_a_push_and_limits_that_cannot_work()
    {
        var files = new RecordingOptions { Path = "/tmp/seg-{1}.mp4" };
        files.Validate();
        (files with { MaxAge = TimeSpan.FromDays(7), MaxTotalBytes = 1L << 30, MinFreeBytes = 1L << 30 }).Validate();
        Assert.Throws<ArgumentException>(() => new RecordingOptions { Path = "rtmp://server/live/cam", MaxAge = TimeSpan.FromDays(1) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (files with { MaxAge = TimeSpan.Zero }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (files with { MaxTotalBytes = 0 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (files with { MinFreeBytes = -1 }).Validate());
        Assert.Throws<ArgumentException>(() => (files with { Path = "/srv/{0:yyyyMMdd}/cam-{1}.mp4", MaxAge = TimeSpan.FromDays(1) }).Validate());
        (files with { Path = "/srv/{0:yyyyMMdd}/cam-{1}.mp4" }).Validate(); // without limits, any format string
    }
}
