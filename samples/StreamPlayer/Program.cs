using MpegCoder.Samples.StreamPlayer;

// The stream player: open the printed address in a browser, enter a stream address, Connect, Start.
// Listens on http://127.0.0.1:5080 unless --urls (or ASPNETCORE_URLS) says otherwise.
var app = PlayerApp.Build(args);
app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"Player page:  {string.Join(", ", PlayerApp.Addresses(app).Select(a => a + "/"))}" +
                      "   (enter a stream address, Connect, Start; Ctrl-C to stop)"));
app.Run();
