using Microsoft.Playwright;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Hosting.Tests.Live; // one class with the other live tests: they share the server and never overlap

/// <summary>A recorded file opened from the camera wall page plays in headless Chromium's own player, frame after frame.</summary>
public partial class CameraWallTests
{
    private const string Player = "#player video";

    /// <summary>What the player holds now, for failure messages.</summary>
    private static Task<string> PlayerStateAsync(ILocator video) => video.EvaluateAsync<string>(
        "v => JSON.stringify({ src: v.currentSrc, time: v.currentTime, duration: v.duration, readyState: v.readyState, error: v.error && v.error.message })");

    /// <summary>Moves the paused player to <paramref name="seconds"/> and returns once that frame has been painted.</summary>
    private static async Task SeekAsync(IPage page, ILocator video, double seconds)
    {
        await video.EvaluateAsync("""
            (v, t) => new Promise(resolve => {
                v.addEventListener("seeked", () => requestAnimationFrame(() => requestAnimationFrame(resolve)), { once: true });
                v.currentTime = t;
            })
            """, seconds);
        await page.WaitForFunctionAsync($"() => document.querySelector('{Player}').readyState >= 2");
    }

    [Fact]
    public Task A_recorded_file_opens_in_the_pages_player_and_plays_its_frames_in_order() => WhileLiveRecordsAsync(async folder =>
    {
        var browser = await wall.BrowserAsync();
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1100, 700);
        await page.GotoAsync(wall.BaseUrl + "/");

        // The newest finished file, opened from the tile's list.
        var newest = page.Locator($"{Tile("live")} .files a").First;
        await newest.WaitForAsync(new() { Timeout = 30_000 });
        await newest.ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('player').open");
        var video = page.Locator(Player);
        string source = await video.EvaluateAsync<string>("v => v.currentSrc");
        Assert.Matches(@"/cameras/live/recordings/live-\d+\.mp4$", source);
        Assert.True(File.Exists(Path.Combine(folder, Path.GetFileName(new Uri(source).AbsolutePath))), source);

        // It plays (muted, so the page may start it without a gesture) past half a second.
        await video.EvaluateAsync("v => v.play()");
        try
        {
            await page.WaitForFunctionAsync($"() => {{ const v = document.querySelector('{Player}'); return v.currentTime > 0.5 && v.readyState >= 2; }}");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the player did not play: {await PlayerStateAsync(video)}");
        }
        Assert.Equal(new[] { wall.Server.Width, wall.Server.Height }, await video.EvaluateAsync<int[]>("v => [v.videoWidth, v.videoHeight]"));
        double duration = await video.EvaluateAsync<double>("v => v.duration");
        Assert.True(duration >= 0.9, $"a 1 s segment, yet {await PlayerStateAsync(video)}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Repository.Root, "TestResults", "camera-wall", "player.png") });

        // Paused, without its controls over the picture: a whole source frame (the recorder copies the
        // camera's packets), one the camera sent before its newest.
        await video.EvaluateAsync("v => { v.pause(); v.controls = false; }");
        int paused = await PictureIndexAsync(video, "player", "player-paused.png");
        Assert.True(paused < wall.NewestIndex("live"), $"frame {paused} of the file, the camera's newest {wall.NewestIndex("live")}");

        // Half a second further into the file, the barcode has counted about 12 of the source's 25 frames a second.
        await SeekAsync(page, video, 0.2);
        int early = await PictureIndexAsync(video, "player at 0.2 s", "player-0.2s.png");
        await SeekAsync(page, video, 0.7);
        int later = await PictureIndexAsync(video, "player at 0.7 s", "player-0.7s.png");
        Assert.True(later > early, $"frame {early} at 0.2 s, then {later} at 0.7 s");
        Assert.InRange(later - early, 10, 15);

        // Closing the player lets go of the file.
        await page.ClickAsync("#player .close");
        await page.WaitForFunctionAsync($"() => !document.getElementById('player').open && !document.querySelector('{Player}').hasAttribute('src')");
        await page.CloseAsync();
    });
}
