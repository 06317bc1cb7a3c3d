using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MpegCoder.Samples.StreamPlayer;

/// <summary>The web app: the page, a small JSON API per player session, and each session's MJPEG stream.</summary>
public static class PlayerApp
{
    /// <summary>Where the app listens when no --urls is given: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the app; tests pass <c>--urls http://127.0.0.1:0</c> for a free port.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.Services.AddSingleton<PlayerSessions>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PlayerSessions>());

        var app = builder.Build();
        string page = ReadPage();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));

        var api = app.MapGroup("/api/sessions");
        api.MapPost("/", (PlayerSessions sessions) => Results.Ok(new SessionCreated(sessions.Create().Id)));
        api.MapGet("/{id}/status", (string id, PlayerSessions sessions) => With(sessions, id, s => s.Status()));
        // Connecting can take up to the open timeout (10 s): it runs off the request thread's pool slot.
        api.MapPost("/{id}/connect", async (string id, ConnectRequest request, PlayerSessions sessions) =>
            sessions.Find(id) is { } s ? Results.Ok(await Task.Run(() => s.Connect(request))) : Results.NotFound());
        api.MapPost("/{id}/start", (string id, PlayerSessions sessions) => With(sessions, id, s => s.Start()));
        api.MapPost("/{id}/stop", (string id, PlayerSessions sessions) => With(sessions, id, s => s.Stop()));
        api.MapPost("/{id}/clear", (string id, PlayerSessions sessions) => With(sessions, id, s => s.Clear()));
        // navigator.sendBeacon on page hide: the tab is gone, free its client at once.
        api.MapPost("/{id}/close", (string id, PlayerSessions sessions) => { sessions.Close(id); return Results.NoContent(); });
        api.MapGet("/{id}/snapshot.jpg", (string id, PlayerSessions sessions) =>
            sessions.Find(id)?.Latest is { } frame
                ? Results.File(frame.Jpeg, "image/jpeg", $"snapshot-{frame.Number}.jpg")
                : Results.NotFound());
        api.MapGet("/{id}/mjpeg", (string id, PlayerSessions sessions, HttpContext http) => MjpegStream.Write(http, sessions.Find(id)));
        return app;
    }

    /// <summary>The addresses the started app listens on.</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static IResult With(PlayerSessions sessions, string id, Func<PlayerSession, SessionStatus> action) =>
        sessions.Find(id) is { } s ? Results.Ok(action(s)) : Results.NotFound();

    private static string ReadPage()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("StreamPlayer.index.html")
            ?? throw new InvalidOperationException("The page resource is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
