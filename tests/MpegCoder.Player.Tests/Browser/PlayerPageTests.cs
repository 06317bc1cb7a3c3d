using System.Diagnostics;
using MpegCoder.Player.Tests.Imaging;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Player.Tests.Browser;

/// <summary>
/// The stream player sample in headless Chromium against the live barcode RTSP server: what the user
/// sees is checked in screenshots, by reading the frame index out of the picture's pixels.
/// </summary>
public class PlayerPageTests(PlayerFixture fixture) : IClassFixture<PlayerFixture>
{
    [Fact]
    public async Task The_page_shows_the_live_test_stream_and_it_moves()
    {
        var player = await PlayerPage.OpenAsync(fixture);
        await player.ConnectAsync(fixture.Server.Url);
        Assert.Equal("connected", await player.TextAsync("#state"));
        await player.StartAsync();

        var earlier = await player.ScreenshotAsync("player-1.png");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var later = await player.ScreenshotAsync("player-2.png");

        var (first, firstBottom) = earlier.ReadIndex();
        var (second, secondBottom) = later.ReadIndex();
        Assert.True(first == firstBottom, $"torn picture in the first screenshot: top {first}, bottom {firstBottom}");
        Assert.True(second == secondBottom, $"torn picture in the second screenshot: top {second}, bottom {secondBottom}");
        // It moves at the stream's 25 fps: the index advanced by 25 per second between the two captures
        // (each capture lies between its Before and After), give or take 15 frames of display latency.
        double least = Stopwatch.GetElapsedTime(earlier.After, later.Before).TotalSeconds;
        double most = Stopwatch.GetElapsedTime(earlier.Before, later.After).TotalSeconds;
        Assert.InRange(second - first, (int)(25 * least) - 15, (int)(25 * most) + 15);
        Assert.True(second - first >= 10, $"the picture hardly moved: {first} then {second}");

        Assert.Equal("320 x 240", await player.TextAsync("#source-size"));
        Assert.Equal("320 x 240", await player.TextAsync("#output-size"));
        Assert.Equal("h264", await player.TextAsync("#codec"));
        Assert.Equal("playing", await player.TextAsync("#state"));
        Assert.InRange(await player.NumberAsync("#measured-fps"), 12, 40);
        Assert.InRange(await player.NumberAsync("#frame-age"), 0, 1000);
        Assert.True(await player.Page.IsHiddenAsync("#message"));

        // The snapshot button downloads the current frame as a JPEG: a frame at least as new as the last screenshot.
        var download = await player.Page.RunAndWaitForDownloadAsync(() => player.Page.ClickAsync("#snapshot"));
        string file = Path.Combine(PlayerPage.ArtifactFolder, "snapshot.jpg");
        await download.SaveAsAsync(file);
        byte[] rgb = ImageFiles.DecodeRgb24(await File.ReadAllBytesAsync(file));
        var (shot, shotBottom) = Barcode.ReadFrame(rgb, 320, 240);
        Assert.Equal(shot, shotBottom);
        Assert.True(shot >= second, $"snapshot shows frame {shot}, older than the screenshot's {second}");

        // Stop freezes the picture; Disconnect closes it.
        await player.Page.ClickAsync("#stop");
        await player.Page.WaitForFunctionAsync("() => document.getElementById('state').textContent === 'stopped'");
        await player.Page.ClickAsync("#clear");
        await player.Page.WaitForFunctionAsync("() => document.getElementById('state').textContent === 'idle'");
        Assert.True(await player.Page.IsHiddenAsync("#picture"));
        await player.Page.CloseAsync();
    }

    [Fact]
    public async Task Two_tabs_watch_at_once_each_with_its_own_client()
    {
        var tabs = new[] { await PlayerPage.OpenAsync(fixture), await PlayerPage.OpenAsync(fixture) };
        foreach (var tab in tabs)
        {
            await tab.ConnectAsync(fixture.Server.Url);
            await tab.StartAsync(frames: 5);
        }
        for (int i = 0; i < tabs.Length; i++)
        {
            var (top, bottom) = (await tabs[i].ScreenshotAsync($"tab-{i + 1}.png")).ReadIndex();
            Assert.Equal(top, bottom);
            Assert.Equal("playing", await tabs[i].TextAsync("#state"));
        }
        foreach (var tab in tabs) await tab.Page.CloseAsync();
    }

    [Fact]
    public async Task A_bad_address_shows_a_readable_message()
    {
        var player = await PlayerPage.OpenAsync(fixture);
        await player.ConnectAsync("rtsp://127.0.0.1:1/no-such-stream");

        Assert.Equal("failed", await player.TextAsync("#state"));
        Assert.True(await player.Page.IsVisibleAsync("#message"));
        string message = await player.TextAsync("#message");
        Assert.Contains("Cannot set up 'rtsp://127.0.0.1:1/no-such-stream'", message);
        Assert.Contains("refused", message, StringComparison.OrdinalIgnoreCase);
        Assert.True(await player.Page.IsHiddenAsync("#picture"), "no dead picture for a stream that never opened");
        await player.SaveScreenshotAsync("bad-address.png");
        await player.Page.CloseAsync();
    }

    [Fact]
    public async Task A_dropped_stream_shows_a_readable_message_over_the_frozen_picture()
    {
        using var server = RtspTestServer.Start(); // its own: this test kills it
        var player = await PlayerPage.OpenAsync(fixture);
        await player.ConnectAsync(server.Url);
        await player.StartAsync(frames: 5);

        server.StopServer();
        await player.Page.WaitForFunctionAsync("() => document.getElementById('state').textContent === 'ended'",
            null, new() { Timeout = 20_000 });
        Assert.True(await player.Page.IsVisibleAsync("#message"));
        Assert.Contains("the stream", await player.TextAsync("#message"));
        Assert.Contains("stale", await player.Page.GetAttributeAsync("#picture", "class") ?? "");
        await player.SaveScreenshotAsync("dropped.png");
        await player.Page.CloseAsync();
    }
}
