using BenchmarkDotNet.Running;

namespace MpegCoder.Benchmarks;

/// <summary>
/// The benchmark runner. Modes:
///   bdn [BenchmarkDotNet args]           in-process figures (ExtractFrame vs memory copy; frame to tensor
///                                        vs a plain loop and OpenCV's blobFromImage; MemoryDiagnoser)
///   library CLIP [--size WxH] [--threads N] [--rate 5/1] [--skip none|noref|nokey] [--scaling bicubic|bilinear|...]
///   pipe CLIP [--size WxH] [--threads N]   ffmpeg CLI piped into this process (plain Process)
///   ffmpegcore CLIP [--size WxH] [--threads N]
///   fresh URL [--seconds S]               age of the newest frame: MpegClient settings vs the ffmpeg CLI
///   scale URL --tool lib|cli --streams N [--seconds S]
///   alloc CLIP_OR_URL [--frames 5] [--calls 2000]   bytes allocated per ExtractFrame(Span, n)
///   encode [--size WxH] [--frames 250] [--threads 2] [--gop 25] [--bf 2]   MpegEncoder vs ffmpeg CLI, libx264
///   file CLIP [--face stream|port] [--read-size N]   every frame of a file, default options: peak RSS vs ring + 150 MB
///   decode CLIP [--size WxH] [--threads N] [--batch 25] [--random K]   MpegDecoder: sequential fps, random access cost
///   record CLIP [--threads N] [--container mkv]   CPU of decoding alone, of decoding while StreamRecorder copies
///                                        the packets into a file, and of the ffmpeg CLI's -c copy
/// The decode modes print "RESULT frames= wall= cpu= fps=" for the work alone (not the runtime's start-up).
/// </summary>
public static class Program
{
    public static int Main(string[] argv)
    {
        if (argv.Length == 0)
        {
            Console.Error.WriteLine("usage: MpegCoder.Benchmarks bdn|library|pipe|ffmpegcore|fresh|scale ... (see Program.cs)");
            return 2;
        }
        var rest = argv[1..];
        if (argv[0] == "bdn")
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest);
            return 0;
        }
        var args = new BenchArgs(rest);
        return argv[0] switch
        {
            "library" => LibraryDecode.Run(args),
            "pipe" => FFmpegPipe.Run(args),
            "ffmpegcore" => FFMpegCoreDecode.Run(args),
            "fresh" => Freshness.Run(args),
            "scale" => StreamScale.Run(args),
            "alloc" => AllocationCheck.Run(args),
            "encode" => EncodeThroughput.Run(args),
            "file" => FileRead.Run(args),
            "decode" => FileDecode.Run(args),
            "record" => RecordCost.Run(args),
            var m => throw new ArgumentException($"unknown mode '{m}'"),
        };
    }
}
