using System.Globalization;
using Microsoft.Playwright;
using MpegCoder.Player.Tests.Imaging;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Player.Tests.Browser;

/// <summary>The player page in one tab, operated the way a user does: by its fields and buttons.</summary>
public sealed class PlayerPage(IPage page)
{
    /// <summary>Screenshots are kept here as test artifacts (TestResults/ is not committed).</summary>
    public static string ArtifactFolder { get; } = Path.Combine(Repository.Root, "TestResults", "player");

    public IPage Page => page;

    public static async Task<PlayerPage> OpenAsync(PlayerFixture fixture)
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(fixture.PageUrl);
        return new PlayerPage(page);
    }

    /// <summary>Enters the address, presses Connect and waits until the page reports the result.</summary>
    public async Task ConnectAsync(string address)
    {
        await page.FillAsync("#address", address);
        await page.ClickAsync("#connect");
        await page.WaitForFunctionAsync("() => ['connected', 'failed'].includes(document.getElementById('state').textContent)");
    }

    /// <summary>Presses Start and waits until the picture shows frames.</summary>
    public async Task StartAsync(int frames = 10)
    {
        await page.ClickAsync("#start");
        await page.WaitForFunctionAsync(
            $"() => Number(document.getElementById('frames-received').textContent) >= {frames} && document.getElementById('picture').naturalWidth > 0");
    }

    public Task<string> TextAsync(string selector) => page.InnerTextAsync(selector);

    /// <summary>
    /// Takes a screenshot of the page, keeps it under <see cref="ArtifactFolder"/>, and reads the barcode
    /// index the picture element shows in it (top and bottom readings, equal for an intact frame).
    /// </summary>
    public async Task<(int top, int bottom)> ScreenshotIndexAsync(string artifactName)
    {
        byte[] png = await SaveScreenshotAsync(artifactName);

        var box = await page.Locator("#picture").BoundingBoxAsync() ?? throw new InvalidOperationException("the picture is not shown");
        var crop = ((int)Math.Ceiling(box.X), (int)Math.Ceiling(box.Y), (int)Math.Floor(box.Width), (int)Math.Floor(box.Height));
        Assert.True(crop.Item3 >= Barcode.Bits && crop.Item4 >= 2, $"picture box {box.Width}x{box.Height}");
        byte[] rgb = ImageFiles.DecodeRgb24(png, crop);
        return Barcode.ReadFrame(rgb, crop.Item3, crop.Item4);
    }

    /// <summary>Takes a screenshot of the page and keeps it under <see cref="ArtifactFolder"/>.</summary>
    public async Task<byte[]> SaveScreenshotAsync(string artifactName)
    {
        byte[] png = await page.ScreenshotAsync();
        Directory.CreateDirectory(ArtifactFolder);
        await File.WriteAllBytesAsync(Path.Combine(ArtifactFolder, artifactName), png);
        return png;
    }

    /// <summary>A number shown in the panel, e.g. "24.6 fps" gives 24.6.</summary>
    public async Task<double> NumberAsync(string selector)
    {
        string text = await TextAsync(selector);
        return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
