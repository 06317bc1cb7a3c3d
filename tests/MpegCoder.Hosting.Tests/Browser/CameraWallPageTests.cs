using System.Diagnostics;
using Microsoft.Playwright;
using MpegCoder.Player.Tests.Imaging;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Hosting.Tests.Live; // one class with the other live tests: they share the server and never overlap

/// <summary>The camera wall page in headless Chromium: every tile's picture is read back as a barcode.</summary>
public partial class CameraWallTests
{
    private static string Tile(string camera) => $".tile[data-camera=\"{camera}\"]";

    /// <summary>The barcode index a tile's picture shows now (an element screenshot, decoded by ffmpeg).</summary>
    private static Task<int> TileIndexAsync(IPage page, string camera, string artifact) =>
        PictureIndexAsync(page.Locator($"{Tile(camera)} img"), camera, artifact);

    /// <summary>
    /// The barcode index of a 320x240 picture on the page: an element screenshot, kept under
    /// TestResults/camera-wall as <paramref name="artifact"/> and decoded by ffmpeg; never torn.
    /// </summary>
    private static async Task<int> PictureIndexAsync(ILocator picture, string what, string artifact)
    {
        byte[] png = await picture.ScreenshotAsync();
        string folder = Path.Combine(Repository.Root, "TestResults", "camera-wall");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, artifact), png);
        byte[] rgb = ImageFiles.DecodeRgb24(png);
        Assert.Equal(320 * 240 * 3, rgb.Length);
        var (top, bottom) = Barcode.ReadFrame(rgb, 320, 240);
        Assert.True(top == bottom, $"{what}: torn picture, top {top}, bottom {bottom}");
        return top;
    }

    private static Task WaitForStateAsync(IPage page, string camera, string state) =>
        page.WaitForFunctionAsync($"() => document.querySelector('{Tile(camera)} .state')?.textContent === '{state}'");

    [Fact]
    public async Task The_page_shows_every_camera_live_and_a_killed_stream_says_so()
    {
        await StreamingAsync("live", "second");
        var browser = await wall.BrowserAsync();
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1100, 700);
        await page.GotoAsync(wall.BaseUrl + "/");
        foreach (string camera in new[] { "live", "second" })
        {
            await WaitForStateAsync(page, camera, "streaming");
            await page.WaitForFunctionAsync($"() => document.querySelector('{Tile(camera)} img').naturalWidth === 320");
            Assert.True(await page.IsVisibleAsync($"{Tile(camera)} img"));
            Assert.True(await page.IsHiddenAsync($"{Tile(camera)} .placeholder"), $"{camera}: \"no picture yet\" over its picture");
        }
        await WaitForStateAsync(page, "dead", "reconnecting");
        Assert.True(await page.IsVisibleAsync($"{Tile("dead")} .placeholder")); // no picture ever came
        Assert.Contains("refused", await page.InnerTextAsync($"{Tile("dead")} .error"), StringComparison.OrdinalIgnoreCase);

        // Every live tile advances: its picture shows a later frame a second later.
        var first = new Dictionary<string, (int Index, long TakenBy)>();
        foreach (string camera in new[] { "live", "second" })
            first[camera] = (await TileIndexAsync(page, camera, $"{camera}-1.png"), Stopwatch.GetTimestamp());
        await Task.Delay(1200);
        foreach (string camera in new[] { "live", "second" })
        {
            int later = await TileIndexAsync(page, camera, $"{camera}-2.png");
            double most = Stopwatch.GetElapsedTime(first[camera].TakenBy).TotalSeconds + 1; // and the first capture's own time
            Assert.True(later > first[camera].Index, $"{camera}: frame {first[camera].Index} then {later}");
            // The index counts the source's 25 frames a second; the tile shows a kept one, a moment late.
            Assert.InRange(later - first[camera].Index, 5, (int)(25 * most) + 15);
        }
        Assert.Matches(@"^\d+ ms$", await page.InnerTextAsync($"{Tile("live")} .age"));

        try
        {
            wall.Server.StopServer();
            foreach (string camera in new[] { "live", "second" })
                await WaitForStateAsync(page, camera, "reconnecting");
            Assert.Matches("ended|refused", await page.InnerTextAsync($"{Tile("live")} .error")); // the end, then each failed attempt
            await page.ScreenshotAsync(new() { Path = Path.Combine(Repository.Root, "TestResults", "camera-wall", "killed.png") });
        }
        finally
        {
            wall.Server.RestartServer();
        }
        await WaitForStateAsync(page, "live", "streaming");
        Assert.True(await page.IsHiddenAsync($"{Tile("live")} .error"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Repository.Root, "TestResults", "camera-wall", "wall.png") });
        await page.CloseAsync();
    }
}
