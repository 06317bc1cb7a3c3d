using System.Collections.Concurrent;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Recording;

/// <summary>
/// Retention on the live barcode stream, with 1 s segments (3 to 4 KB each) and limits of a few segments:
/// the recorder deletes its own oldest finished files to stay within MaxTotalBytes, MaxAge and MinFreeBytes,
/// files an earlier run left included, reports each deletion, and never touches a file whose name its path
/// could not have given, nor the file it is writing.
/// </summary>
public class RecorderRetentionTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    private readonly RtspTestServer _server = fixture.Server;

    /// <summary>A file that is not the recorder's, of <paramref name="bytes"/> bytes, last written <paramref name="age"/> ago.</summary>
    private static string Plant(string path, int bytes, TimeSpan age)
    {
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    private static long Size(IEnumerable<string> paths) => paths.Sum(p => new FileInfo(p).Length);

    /// <summary>The files of <paramref name="folder"/> named "seg-" and three digits or more: the recorder's ("?" of a search pattern also matches nothing).</summary>
    private static List<string> Segments(string folder, string extension) =>
        [.. Directory.GetFiles(folder).Where(f => System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(f), $@"^seg-[0-9]{{3,}}\.{extension}$")).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task With_MaxTotalBytes_the_folder_stays_bounded_the_oldest_go_first_and_each_deletion_is_reported()
    {
        using var folder = new TempFolder("recorder-total");
        string[] strangers =
        [
            Plant(folder.File("notes.txt"), 50_000, TimeSpan.FromDays(30)),
            Plant(folder.File("seg-older.mp4"), 50_000, TimeSpan.FromDays(30)),
            Plant(folder.File("seg-1.mp4"), 50_000, TimeSpan.FromDays(30)), // "{1:000}" never gives one digit
            Plant(folder.File("seg-001.mp4.part"), 50_000, TimeSpan.FromDays(30)),
        ];
        await using var stream = await RecordedClip.OpenLive(_server);
        const long limit = 12_000; // three or four 1 s segments
        var recorder = stream.StartRecording(new RecordingOptions
        {
            Path = folder.File("seg-{1:000}.mp4"),
            SegmentDuration = TimeSpan.FromSeconds(1),
            MaxTotalBytes = limit,
        });
        var deleted = new ConcurrentQueue<RecordedFileDeletedEventArgs>();
        var seen = new ConcurrentQueue<(object? Sender, bool Exists, string? Writing)>(); // the recorder swallows a handler's exceptions: asserted below
        recorder.FileDeleted += (sender, e) =>
        {
            seen.Enqueue((sender, File.Exists(e.Path), recorder.CurrentPath));
            deleted.Enqueue(e);
        };

        // Sampled while recording: the recorder's files hold at most the limit plus the segment being written.
        long largest = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(9))
        {
            await Task.Delay(100);
            var mine = Segments(folder.Path, "mp4");
            largest = Math.Max(largest, Size(mine));
        }
        await recorder.StopAsync();

        var left = Segments(folder.Path, "mp4");
        var gone = deleted.ToList();
        Assert.Equal(left, recorder.Files.Select(f => f.Path)); // a deleted file is taken off the list
        long segment = Math.Max(left.Max(f => new FileInfo(f).Length), gone.Max(e => e.Bytes));
        Assert.True(largest <= limit + segment + 1000, $"the recorder's files reached {largest} bytes; limit {limit} + one segment {segment}");
        Assert.True(Size(left) <= limit, $"{Size(left)} bytes left after the stop; limit {limit}");
        Assert.InRange(left.Count, 2, 4);

        // The oldest went first: every deleted name comes before every kept one, in the order they were written.
        Assert.True(gone.Count >= 4, $"only {gone.Count} files deleted in 9 s of 1 s segments");
        Assert.Equal(Enumerable.Range(0, gone.Count).Select(i => folder.File($"seg-{i:000}.mp4")), gone.Select(e => e.Path));
        Assert.Equal(Enumerable.Range(gone.Count, left.Count).Select(i => folder.File($"seg-{i:000}.mp4")), left);
        Assert.All(seen, s => Assert.Same(recorder, s.Sender));
        Assert.All(seen, s => Assert.False(s.Exists, "a file reported deleted was still there"));
        Assert.All(seen.Zip(gone), p => Assert.NotEqual(p.First.Writing, p.Second.Path));
        Assert.All(gone, e => Assert.Equal(RetentionLimit.MaxTotalBytes, e.Reason));
        Assert.All(gone, e => Assert.InRange(e.Bytes, 1000, 10_000));
        Assert.All(gone, e => Assert.True(DateTimeOffset.Now - e.LastWritten < TimeSpan.FromSeconds(30), $"{e.Path} was last written at {e.LastWritten}"));

        // What is left plays: the newest files, consecutive.
        var frames = left.SelectMany(RecordedClip.Frames).ToList();
        RecordedClip.AssertConsecutive(frames, "the files left");
        Assert.All(strangers, s => Assert.Equal(50_000, new FileInfo(s).Length));
    }

    [Fact]
    public async Task Files_an_earlier_run_left_are_deleted_by_age_and_by_size_while_other_files_in_the_folder_are_never_touched()
    {
        using var folder = new TempFolder("recorder-earlier");
        // An earlier run of the same recorder: names its path gives, one two days old, one recent but big.
        string old = Plant(folder.File("cam-20260101-000000.mp4"), 20_000, TimeSpan.FromDays(2));
        string big = Plant(folder.File("cam-20260102-000000-2.mp4"), 200_000, TimeSpan.FromMinutes(5));
        string kept = Plant(folder.File("cam-20260103-000000.mp4"), 5_000, TimeSpan.FromMinutes(1));
        // Not the recorder's: other names, as old and as big.
        string[] strangers =
        [
            Plant(folder.File("cam-notes.mp4"), 200_000, TimeSpan.FromDays(3)),
            Plant(folder.File("cam2-20260101-000000.mp4"), 200_000, TimeSpan.FromDays(3)),
            Plant(folder.File("cam-20260101-000000.mkv"), 200_000, TimeSpan.FromDays(3)),
            Plant(folder.File("cam-2026-01-01.mp4"), 200_000, TimeSpan.FromDays(3)),
        ];
        await using var stream = await RecordedClip.OpenLive(_server);
        var recorder = stream.StartRecording(new RecordingOptions
        {
            Path = folder.File("cam-{0:yyyyMMdd-HHmmss}.mp4"),
            SegmentDuration = TimeSpan.FromSeconds(1),
            MaxAge = TimeSpan.FromDays(1),
            MaxTotalBytes = 100_000,
        });
        var deleted = new ConcurrentQueue<RecordedFileDeletedEventArgs>();
        recorder.FileDeleted += (_, e) => deleted.Enqueue(e);
        RecordedClip.WaitUntil(() => deleted.Count >= 2, TimeSpan.FromSeconds(15), "the earlier run's files to be deleted");
        RecordedClip.WaitUntil(() => recorder.Files.Count >= 3, TimeSpan.FromSeconds(15), "three segments");
        await recorder.StopAsync();

        var gone = deleted.ToList();
        Assert.Equal(2, gone.Count);
        Assert.Equal((old, RetentionLimit.MaxAge, 20_000L), (gone[0].Path, gone[0].Reason, gone[0].Bytes));
        Assert.Equal((big, RetentionLimit.MaxTotalBytes, 200_000L), (gone[1].Path, gone[1].Reason, gone[1].Bytes));
        Assert.True(Math.Abs((DateTimeOffset.Now - gone[0].LastWritten - TimeSpan.FromDays(2)).TotalMinutes) < 1, $"last written {gone[0].LastWritten}");
        Assert.True(File.Exists(kept), "a recent file of the earlier run within the limits was deleted");
        Assert.All(strangers, s => Assert.True(File.Exists(s) && new FileInfo(s).Length == 200_000, $"{s} was touched"));
        Assert.All(recorder.Files, f => Assert.True(File.Exists(f.Path), $"{f.Path} was deleted"));
    }

    [Fact]
    public async Task With_MinFreeBytes_on_a_filling_disk_the_oldest_files_go_and_the_recording_goes_on()
    {
        using var disk = new SmallDisk(1 << 20);
        const long minFree = 40 << 10;
        RecorderFullDiskTests.FillAllBut(disk, minFree + (24 << 10)); // a few segments of room above the limit
        await using var stream = await RecordedClip.OpenLive(_server);
        var recorder = stream.StartRecording(new RecordingOptions
        {
            Path = disk.File("seg-{1:000}.ts"),
            SegmentDuration = TimeSpan.FromSeconds(1),
            MinFreeBytes = minFree,
        });
        var deleted = new ConcurrentQueue<RecordedFileDeletedEventArgs>();
        recorder.FileDeleted += (_, e) => deleted.Enqueue(e);
        long leastFree = long.MaxValue;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(12))
        {
            await Task.Delay(100);
            leastFree = Math.Min(leastFree, new DriveInfo(disk.Path).AvailableFreeSpace);
            Assert.False(recorder.Completion.IsCompleted, $"the recorder stopped: {recorder.Completion.Exception?.InnerException?.Message}");
        }
        await recorder.StopAsync();

        var gone = deleted.ToList();
        Assert.True(gone.Count >= 3, $"only {gone.Count} files deleted; {leastFree} bytes free at the least");
        Assert.All(gone, e => Assert.Equal(RetentionLimit.MinFreeBytes, e.Reason));
        Assert.Equal(Enumerable.Range(0, gone.Count).Select(i => disk.File($"seg-{i:000}.ts")), gone.Select(e => e.Path));
        // Between two passes the segment being written grows by one second of video (about 10 KB of MPEG-TS here).
        Assert.True(leastFree >= minFree - (16 << 10), $"the disk went down to {leastFree} bytes free; MinFreeBytes is {minFree}");
        Assert.True(File.Exists(disk.File("filler")), "the filler is not the recorder's");
        var left = Segments(disk.Path, "ts");
        string sizes = string.Join(", ", left.Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length} B"));
        var frames = new List<int>();
        foreach (string file in left)
        {
            try
            {
                frames.AddRange(RecordedClip.Frames(file));
            }
            catch (InvalidOperationException e)
            {
                throw new Xunit.Sdk.XunitException($"{Path.GetFileName(file)} does not read ({e.Message}); the files left: {sizes}; " +
                    $"finished: {string.Join(", ", recorder.Files.Select(f => $"{Path.GetFileName(f.Path)} {f.Packets} packets"))}");
            }
        }
        RecordedClip.AssertConsecutive(frames, "the files left");
    }
}
