using System.Diagnostics;
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
    /// Takes a screenshot of the page, keeps it under <see cref="ArtifactFolder"/>, and notes where the
    /// picture element is in it and when it was taken (between two Stopwatch timestamps).
    /// </summary>
    public async Task<Screenshot> ScreenshotAsync(string artifactName)
    {
        var box = await page.Locator("#picture").BoundingBoxAsync() ?? throw new InvalidOperationException("the picture is not shown");
        var picture = ((int)Math.Ceiling(box.X), (int)Math.Ceiling(box.Y), (int)Math.Floor(box.Width), (int)Math.Floor(box.Height));
        long before = Stopwatch.GetTimestamp();
        byte[] png = await SaveScreenshotAsync(artifactName);
        return new Screenshot(png, picture, before, Stopwatch.GetTimestamp());
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

/// <summary>A screenshot of the page, the picture element's rectangle in it, and when it was taken.</summary>
public sealed record Screenshot(byte[] Png, (int X, int Y, int Width, int Height) Picture, long Before, long After)
{
    /// <summary>The barcode index the picture shows, read at 1/4 and 3/4 of its height (equal for an intact frame).</summary>
    public (int top, int bottom) ReadIndex()
    {
        Assert.True(Picture.Width >= Barcode.Bits && Picture.Height >= 2, $"picture box {Picture}");
        byte[] rgb = ImageFiles.DecodeRgb24(Png, Picture);
        return Barcode.ReadFrame(rgb, Picture.Width, Picture.Height);
    }
}
