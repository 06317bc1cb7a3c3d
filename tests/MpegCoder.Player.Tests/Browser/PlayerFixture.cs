using Microsoft.AspNetCore.Builder;
using MpegCoder.Samples.StreamPlayer;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Player.Tests.Browser;

/// <summary>
/// What the browser tests share: the live barcode RTSP server (320x240, 25 fps), the player app
/// hosted in-process on a free 127.0.0.1 port, and one headless Chromium.
/// </summary>
public sealed class PlayerFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private ChromiumBrowser? _browser;
    private RtspTestServer? _server;

    public RtspTestServer Server => _server ?? throw new InvalidOperationException("not started");
    public ChromiumBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    /// <summary>The player page, e.g. http://127.0.0.1:41234/.</summary>
    public string PageUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var server = Task.Run(() => RtspTestServer.Start());
        var browser = ChromiumBrowser.LaunchAsync();
        _app = PlayerApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await _app.StartAsync();
        PageUrl = PlayerApp.Addresses(_app).Single() + "/";
        _browser = await browser;
        _server = await server;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _server?.Dispose();
    }
}
