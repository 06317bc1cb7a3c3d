using Microsoft.Playwright;
using MpegCoder.Tests.Infrastructure;

namespace MpegCoder.Player.Tests.Browser;

/// <summary>
/// Debian's headless Chromium driven by Playwright for .NET. Playwright cannot download its own browser
/// on these machines, so it launches /usr/bin/chromium; as root that needs --no-sandbox, and the
/// background-networking flags keep it from flooding the closed network with refused connections.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private ChromiumBrowser(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    /// <summary>The browser's one context (a fresh profile): every page opened in it is a tab.</summary>
    public IBrowserContext Context { get; }

    public static async Task<ChromiumBrowser> LaunchAsync()
    {
        ExternalTool.Require(Executable, "chromium");
        var playwright = await Playwright.CreateAsync();
        string profile = Directory.CreateTempSubdirectory("mpegcoder-chromium-").FullName; // a fresh --user-data-dir
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new()
            {
                ExecutablePath = Executable,
                Headless = true,
                Args = Flags,
                ViewportSize = new() { Width = 960, Height = 480 },
                DeviceScaleFactor = 1, // one screenshot pixel per CSS pixel: the picture is cropped 1:1
                AcceptDownloads = true,
                Timeout = 60_000,
            });
            return new ChromiumBrowser(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>A new tab with a bounded wait for every action.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var page = await Context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { /* Chromium may still be writing to it */ }
    }
}
