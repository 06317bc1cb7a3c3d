using System.Net;
using System.Text.Json;
using Xunit;

namespace MpegCoder.Hosting.Tests.Live; // one class with the other live tests: they share the server and never overlap

/// <summary>The camera wall with a recording camera: its recent files in /api/cameras, each served by its link, and nothing else.</summary>
public partial class CameraWallTests
{
    /// <summary>
    /// Runs <paramref name="test"/> with the camera "live" recording into a folder of its own (1 s segments),
    /// then reloads it without its recording and deletes the folder.
    /// </summary>
    private async Task WhileLiveRecordsAsync(Func<string, Task> test)
    {
        string folder = Directory.CreateTempSubdirectory("mpegcoder-wall-rec-").FullName;
        try
        {
            wall.RecordLiveTo = folder;
            wall.WriteSettings(("live", "10"), ("second", "5"));
            await test(folder);
        }
        finally
        {
            wall.RecordLiveTo = null;
            wall.WriteSettings(("live", "10"), ("second", "5"));
        }
        // The reload reopens "live" without its recording.
        Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(wall.Cameras.GetStatus("live")!.Recording == CameraRecordingMode.Off), Soon));
        await StreamingAsync("live", "second");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public Task The_wall_lists_a_recording_cameras_files_and_serves_only_those() => WhileLiveRecordsAsync(async folder =>
    {
        string[] names = [];
        Assert.True(await WallFixture.EventuallyAsync(async () =>
        {
            using var json = JsonDocument.Parse(await wall.Http.GetStringAsync("/api/cameras"));
            var live = json.RootElement.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "live");
            names = [.. live.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()!)];
            return names.Length >= 1;
        }, Soon), "no file listed");

        // The recording counters come from the core meter alone: one series per instrument for the camera, though the wall collects both meters.
        string text = "";
        Assert.True(await WallFixture.EventuallyAsync(async () =>
        {
            text = await wall.Http.GetStringAsync("/metrics");
            return text.Contains("mpegcoder_recording_files_total{", StringComparison.Ordinal);
        }, Soon), text);
        foreach (string metric in new[] { "bytes", "files", "packets_dropped", "files_deleted", "failures" })
        {
            var series = SeriesLine().Matches(text).Where(m => m.Groups[1].Value == $"mpegcoder_recording_{metric}_total"
                && m.Groups[2].Value.Contains("camera=\"live\"", StringComparison.Ordinal)).ToList();
            Assert.True(series.Count == 1, $"{series.Count} series of mpegcoder_recording_{metric} for live in:\n{text}");
        }
        Assert.True(Sample(text, "mpegcoder_recording_files_total", "live") >= 1, text);

        using var served = await wall.Http.GetAsync($"/cameras/live/recordings/{Uri.EscapeDataString(names[0])}");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("video/mp4", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(folder, names[0])), await served.Content.ReadAsByteArrayAsync());

        // Only files the registry lists: not another camera's, not a path, not an unlisted file of the folder.
        await File.WriteAllTextAsync(Path.Combine(folder, "other.mp4"), "not a recording");
        foreach (string url in new[]
        {
            $"/cameras/second/recordings/{Uri.EscapeDataString(names[0])}",
            "/cameras/live/recordings/other.mp4",
            "/cameras/live/recordings/..%2F..%2F..%2Fetc%2Fpasswd",
            "/cameras/nobody/recordings/x.mp4",
        })
        {
            using var refused = await wall.Http.GetAsync(url);
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{url}: {refused.StatusCode}");
        }
    });
}
