// The soak: one client on a live stream for a long time, reading 5 frames every 200 ms and checking
// every frame's barcode (no torn frame, indices in order). Prints a line a minute with the process's
// RSS, thread count and the stream's counters, and a summary at the end. Exit code 1 on a torn or
// out-of-order frame, or when RSS grew more than the bound after the first minute.
//
//   dotnet tools/Soak/bin/Release/net10.0/Soak.dll rtsp://127.0.0.1:8554/video 30
// With --record first, the recording soak instead (RecordingSoak.cs, bench/recording-soak.sh):
//   dotnet tools/Soak/bin/Release/net10.0/Soak.dll --record rtsp://127.0.0.1:8554/video 10 /tmp/recordings
using System.Diagnostics;
using System.Runtime.InteropServices;
using MpegCoder;

if (args.Length > 0 && args[0] == "--record")
    return await RecordingSoak.Run(args.Length > 1 ? args[1] : "rtsp://127.0.0.1:8554/video",
        args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10,
        args.Length > 3 ? args[3] : Path.Combine(Path.GetTempPath(), $"recording-soak-{Environment.ProcessId}"));

string address = args.Length > 0 ? args[0] : "rtsp://127.0.0.1:8554/video";
double minutes = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 30;
const double rssBoundMb = 16;

// 16 columns, column k = bit k of the frame index; read at 1/4 and 3/4 of the height.
static int ReadIndex(ReadOnlySpan<byte> rgb, int width, int y)
{
    int value = 0;
    for (int k = 0; k < 16; k++)
    {
        int o = (y * width + (2 * k + 1) * width / 32) * 3;
        if (rgb[o] + rgb[o + 1] + rgb[o + 2] >= 3 * 128) value |= 1 << k;
    }
    return value;
}

using var client = new MpegClient();
client.SetParameter(widthDst: 320, heightDst: 240, readSize: 5, cacheSize: 10);
client.Options = client.Options with { Reconnect = new ReconnectPolicy() };
if (!client.FFmpegSetup(address)) { Console.Error.WriteLine(client.LastError); return 2; }
client.Start();

var clock = Stopwatch.StartNew();
var buffer = new byte[5 * client.FrameBytes];
long reads = 0, frames = 0, torn = 0, disorder = 0;
long rssAfterWarmUp = -1, rssMax = 0;
var nextReport = TimeSpan.FromMinutes(1);
while (clock.Elapsed < TimeSpan.FromMinutes(minutes))
{
    Thread.Sleep(200);
    int n = client.ExtractFrame(buffer);
    if (n < 0) { Console.WriteLine($"stream ended: {client.LastError}"); break; }
    reads++;
    int previous = -1;
    for (int i = 0; i < n; i++)
    {
        var frame = buffer.AsSpan(i * client.FrameBytes, client.FrameBytes);
        int top = ReadIndex(frame, 320, 60), bottom = ReadIndex(frame, 320, 180);
        if (top != bottom) torn++;
        if (previous >= 0 && top != ((previous + 1) & 0xffff)) disorder++;
        previous = top;
        frames++;
    }
    if (clock.Elapsed >= nextReport)
    {
        long rss = ProcessFigures.RssMb();
        if (rssAfterWarmUp < 0) rssAfterWarmUp = rss;
        rssMax = Math.Max(rssMax, rss);
        var s = client.Statistics;
        Console.WriteLine($"{clock.Elapsed:hh\\:mm\\:ss} rss={rss} MB threads={Process.GetCurrentProcess().Threads.Count} " +
                          $"heap={GC.GetTotalMemory(false) / 1048576} MB decoded={s.FramesDecoded} stored={s.FramesStored} " +
                          $"corrupt={s.FramesCorrupt} reconnects={s.Reconnects} reads={reads} torn={torn} disorder={disorder} state={client.State}");
        nextReport += TimeSpan.FromMinutes(1);
    }
}
long growth = rssAfterWarmUp < 0 ? 0 : rssMax - rssAfterWarmUp;
bool ok = torn == 0 && disorder == 0 && growth <= rssBoundMb;
Console.WriteLine($"soak {(ok ? "passed" : "FAILED")}: {clock.Elapsed.TotalMinutes:0.0} min, {reads} reads, {frames} frames checked, " +
                  $"torn={torn}, disorder={disorder}, RSS after 1 min {rssAfterWarmUp} MB, max {rssMax} MB (+{growth} MB, bound {rssBoundMb} MB), " +
                  $"reconnects={client.Statistics.Reconnects}, ring {client.GetParameter("cacheSize")} x {client.FrameBytes} B");
return ok ? 0 : 1;
