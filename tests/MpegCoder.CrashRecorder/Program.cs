// Records a live stream into segments until it is killed, for the tests that kill a recorder mid-file.
//
//   dotnet MpegCoder.CrashRecorder.dll URL FOLDER SEGMENT_SECONDS CONTAINER[,CONTAINER...] [--no-crash-safe]
//
// One recorder per container on one connection, each writing FOLDER/seg-NNN.CONTAINER. Prints
// "recording" once every recorder has its first file open, then "finished PATH PACKETS" for each
// finished file. Runs until killed.
using System.Globalization;
using MpegCoder;

if (args.Length < 4)
{
    Console.Error.WriteLine("usage: MpegCoder.CrashRecorder URL FOLDER SEGMENT_SECONDS CONTAINER[,CONTAINER...] [--no-crash-safe]");
    return 2;
}
string url = args[0], folder = args[1];
var segment = TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture));
string[] containers = args[3].Split(',');
bool crashSafe = !args.Contains("--no-crash-safe");

await using var stream = await VideoStream.OpenAsync(url, new StreamOptions { RtspTransport = RtspTransport.Tcp });
var recorders = new List<StreamRecorder>();
foreach (string container in containers)
{
    var recorder = stream.StartRecording(new RecordingOptions
    {
        Path = Path.Combine(folder, $"seg-{{1:000}}.{container}"),
        SegmentDuration = segment,
        CrashSafe = crashSafe,
    });
    recorder.FileFinished += (_, file) => Console.WriteLine($"finished {file.Path} {file.Packets}");
    recorders.Add(recorder);
}
Console.WriteLine("recording");
await Task.Delay(Timeout.Infinite);
return 0;
