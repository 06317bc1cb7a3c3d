using MpegCoder.Samples.CameraWall;

// The camera wall: every camera of appsettings.json's "MpegCoder" section, live, in one page.
// Listens on http://127.0.0.1:5090 unless --urls (or ASPNETCORE_URLS) says otherwise.
var app = CameraWallApp.Build(args);
app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"Camera wall:  {string.Join(", ", CameraWallApp.Addresses(app).Select(a => a + "/"))}" +
                      "   (/health, /metrics; Ctrl-C to stop)"));
app.Run();
