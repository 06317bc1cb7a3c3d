// The seed example of mpegCoder's "Pulling a video stream", in C#:
// scale the remote frames to 480x360, resample to 5 fps, read 5 frames at a time from a ring of 12.
//
//   dotnet run --project samples/StreamClient -- [rtsp://localhost:8554/video] [batches]
using System.Diagnostics;
using MpegCoder;
using static MpegCoder.MpegCoderGlobal;

string address = args.Length > 0 ? args[0] : "rtsp://localhost:8554/video";
int batches = args.Length > 1 ? int.Parse(args[1]) : 10;
const int intervalSeconds = 5;

SetGlobal(dumpLevel: 2);                                   // show the full log

using var d = new MpegClient();                            // create the handle
d.SetParameter(widthDst: 480, heightDst: 360, dstFrameRate: (5, 1), readSize: 5, cacheSize: 12);
bool success = d.FFmpegSetup(address);                     // connect with the server
Console.WriteLine(d);
if (!success)
{
    Console.Error.WriteLine($"Setup failed: {d.LastError}");
    return 1;
}

d.Start();                                                 // start the writer thread
Thread.Sleep(TimeSpan.FromSeconds(intervalSeconds));       // wait for some frames
Console.WriteLine("Get slept");
for (int i = 0; i < batches; i++)
{
    var clock = Stopwatch.StartNew();
    byte[,,,]? p = d.ExtractFrame();                       // the newest frames of the ring
    clock.Stop();
    if (p is null)
    {
        Console.WriteLine($"The stream has ended: {d.LastError}");
        break;
    }
    Console.WriteLine($"batch {i}: ({p.GetLength(0)}, {p.GetLength(1)}, {p.GetLength(2)}, {p.GetLength(3)}) in {clock.Elapsed.TotalMilliseconds:0.000} ms, {d.GetParameter("frameCount")} frames decoded");
    if (i + 1 < batches) Thread.Sleep(TimeSpan.FromSeconds(intervalSeconds));
}
d.Terminate();                                             // stop the writer; Start() could resume it
d.Clear();                                                 // release everything
return 0;
