using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MpegCoder.Hosting;
using MpegCoder.Player.Tests.Browser;
using MpegCoder.Samples.CameraWall;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Hosting.Tests.Live;

/// <summary>
/// What the live tests share: the barcode RTSP server (320x240, 25 fps, on a port that stays the same
/// when it is killed and restarted), the camera wall app on Kestrel at a free 127.0.0.1 port with its
/// cameras in an appsettings.json of its own (which tests rewrite to reload), and one headless Chromium.
/// Cameras: "live" and "second" on the server, "dead" on a closed port.
/// </summary>
public sealed class WallFixture : IAsyncLifetime
{
    public const string DeadAddress = "rtsp://127.0.0.1:1/none";

    private WebApplication? _app;
    private RtspTestServer? _server;
    private ChromiumBrowser? _browser;

    public RtspTestServer Server => _server ?? throw new InvalidOperationException("not started");
    public WebApplication App => _app ?? throw new InvalidOperationException("not started");
    public ICameraRegistry Cameras => App.Services.GetRequiredService<ICameraRegistry>();
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };
    public string ContentRoot { get; } = Directory.CreateTempSubdirectory("mpegcoder-wall-").FullName;
    public string BaseUrl { get; private set; } = "";

    /// <summary>The browser, launched on first use (only the page test needs it).</summary>
    public async Task<ChromiumBrowser> BrowserAsync() => _browser ??= await ChromiumBrowser.LaunchAsync();

    public async Task InitializeAsync()
    {
        _server = await Task.Run(() => RtspTestServer.Start());
        WriteSettings(("live", "10"), ("second", "5"));
        _app = CameraWallApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Critical"], ContentRoot);
        await _app.StartAsync();
        BaseUrl = CameraWallApp.Addresses(_app).Single();
        Http.BaseAddress = new Uri(BaseUrl);
    }

    /// <summary>Where the camera "live" records (continuously, 1 s segments) after the next <see cref="WriteSettings"/>; null: it does not.</summary>
    public string? RecordLiveTo { get; set; }

    /// <summary>Writes appsettings.json: the given cameras on the test server (name, frame rate), then "dead".</summary>
    public void WriteSettings(params (string Name, string FrameRate)[] cameras)
    {
        var list = cameras.Select(c => Camera(c.Name, Server.Url, c.FrameRate)).Append(Camera("dead", DeadAddress, "5"));
        var settings = new { MpegCoder = new { Cameras = list }, CameraWall = new { StaleAfter = "00:00:02" } };
        string path = Path.Combine(ContentRoot, "appsettings.json");
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(settings));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private object Camera(string name, string address, string frameRate) => new
    {
        Recording = name == "live" && RecordLiveTo is { } folder
            ? new { Mode = "Continuous", Path = Path.Combine(folder, "live-{1}.mp4"), SegmentDuration = "00:00:01" }
            : null,
        Name = name,
        Address = address,
        Options = new
        {
            Width = 320, Height = 240, FrameRate = frameRate, RtspTransport = "Tcp",
            StallTimeout = "00:00:02",
            Reconnect = new { InitialDelay = "00:00:00.2", MaxDelay = "00:00:01" },
        },
    };

    /// <summary>One camera's entry of /health, e.g. "Healthy" or "Degraded: reconnecting (...)", and the HTTP status.</summary>
    public async Task<(int Code, string Overall, Dictionary<string, string> Cameras)> HealthAsync()
    {
        using var response = await Http.GetAsync("/health");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var check = json.RootElement.GetProperty("checks").GetProperty(MpegCoderHealthChecksBuilderExtensions.DefaultName);
        var cameras = check.GetProperty("cameras").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        return ((int)response.StatusCode, json.RootElement.GetProperty("status").GetString()!, cameras);
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return await condition();
    }

    /// <summary>The barcode index of a camera's newest frame, read from the registry.</summary>
    public int NewestIndex(string camera)
    {
        var batch = Cameras.ReadNewestFrame(camera) ?? throw new InvalidOperationException($"{camera} has no stream");
        Assert.Equal(1, batch.Count);
        var (top, bottom) = Barcode.ReadFrame(batch.Frame(0), batch.Width, batch.Height);
        Assert.Equal(top, bottom);
        return top;
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
        Http.Dispose();
        Directory.Delete(ContentRoot, recursive: true);
    }
}
