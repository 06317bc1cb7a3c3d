using System.Reflection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using MpegCoder.Hosting;
using OpenTelemetry.Metrics;

namespace MpegCoder.Samples.CameraWall;

/// <summary>The web app: the page, each camera's newest picture and status, /health and /metrics.</summary>
public static class CameraWallApp
{
    /// <summary>Where the app listens when no --urls is given: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5090";

    /// <summary>
    /// Builds the app with the appsettings.json of <paramref name="contentRoot"/> (by default the one beside
    /// the program, wherever it is started from). Tests pass <c>--urls http://127.0.0.1:0</c>, a folder of
    /// their own and their cameras.
    /// </summary>
    public static WebApplication Build(string[] args, string? contentRoot = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = contentRoot ?? AppContext.BaseDirectory,
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls(DefaultUrl);

        // The cameras: bound from "MpegCoder", reloaded when appsettings.json changes.
        builder.Services.AddMpegCoder(builder.Configuration.GetSection("MpegCoder"));
        var staleAfter = builder.Configuration.GetValue("CameraWall:StaleAfter", TimeSpan.FromSeconds(3));
        builder.Services.AddHealthChecks().AddMpegCoderCameras(staleAfter: staleAfter);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MpegCoderMetrics.MeterName, MpegCoderHostingMetrics.MeterName)
            .AddPrometheusExporter());
        builder.Services.AddSingleton<TilePictures>();

        var app = builder.Build();
        string page = ReadPage();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet("/api/cameras", (ICameraRegistry cameras) => cameras.GetStatuses().Select(s => CameraView.Of(s, cameras.GetRecordedFiles(s.Name))));
        // A recorded file, by name: only one the registry lists for that camera, so no path from the request reaches the disk.
        app.MapGet("/cameras/{name}/recordings/{file}", (string name, string file, ICameraRegistry cameras) =>
            cameras.GetRecordedFiles(name).LastOrDefault(f => Path.GetFileName(f.Path) == file) is { } recorded && File.Exists(recorded.Path)
                ? Results.File(Path.GetFullPath(recorded.Path), ContentTypeOf(recorded.Path), enableRangeProcessing: true) // a full path: served from the disk, not the web root
                : Results.NotFound());
        app.MapGet("/cameras/{name}/frame.jpg", (string name, TilePictures pictures) =>
            pictures.Newest(name) is { } picture
                ? Results.File(picture.Jpeg, "image/jpeg")
                : Results.NotFound());
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthJson.WriteAsync });
        app.MapPrometheusScrapingEndpoint(); // /metrics
        return app;
    }

    /// <summary>The addresses the started app listens on.</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".mp4" => "video/mp4",
        ".mkv" => "video/x-matroska",
        ".ts" => "video/mp2t",
        _ => "application/octet-stream",
    };

    private static string ReadPage()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("CameraWall.index.html")
            ?? throw new InvalidOperationException("The page resource is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>What the page shows of one camera.</summary>
public sealed record CameraView(string Name, string State, double? FrameAgeMs, long FramesStored, int Reconnects, string? LastError,
    string? RecordingError, IReadOnlyList<RecordedFileView> Files)
{
    public static CameraView Of(CameraStatus s, IReadOnlyList<RecordedFile> files) => new(s.Name, s.State.ToString().ToLowerInvariant(),
        s.NewestFrameAge?.TotalMilliseconds, s.Statistics.FramesStored, s.Statistics.Reconnects, s.LastError,
        s.RecordingError, [.. files.Select(f => new RecordedFileView(Path.GetFileName(f.Path), f.Bytes, f.Duration.TotalSeconds))]);
}

/// <summary>One recorded file on the page: its name (its link), size and length.</summary>
public sealed record RecordedFileView(string Name, long Bytes, double DurationSeconds);
