using System.Diagnostics;
using System.Globalization;

namespace MpegCoder.Benchmarks;

/// <summary>
/// Mode "decode": MpegDecoder over a file.
///   sequential (default): ExtractFrame(Span) in batches of --batch (25) from frame 0 to the end; prints the
///     RESULT line (frames, wall, cpu, fps of the work, setup included) and the process's peak RSS.
///   --random K: K extractions of one frame at seeded random positions after one sequential pass; prints
///     the mean milliseconds per random frame, the same as sequential frames per random frame, and the
///     clip's GOP length, which bounds how many frames a random access decodes.
/// </summary>
internal static class FileDecode
{
    public static int Run(BenchArgs args)
    {
        var (width, height) = args.Size;
        var meter = new WorkMeter();
        using var decoder = new MpegDecoder();
        decoder.SetParameter(widthDst: width, heightDst: height, nthread: args.Int("threads", 0));
        if (!decoder.FFmpegSetup(args.Source))
        {
            Console.Error.WriteLine($"setup failed: {decoder.LastError}");
            return 1;
        }
        int batch = args.Int("batch", 25);
        var pixels = new byte[(long)batch * decoder.FrameBytes];
        long frames = 0;
        int got;
        while ((got = decoder.ExtractFrame(pixels, default, frames, batch)) > 0)
            frames += got;
        if (frames != decoder.FrameCount) throw new InvalidOperationException($"read {frames} of {decoder.FrameCount} frames");
        double sequentialMs = meter.WallSeconds * 1000 / frames;
        int gops = (int)decoder.GetParameter("GOPCount")!;
        string note = string.Create(CultureInfo.InvariantCulture,
            $"threads={decoder.GetParameter("nthread")} gop={(double)frames / gops:0.#} peak_rss_mb={PeakRssMb():0}");

        int randomCount = args.Int("random", 0);
        if (randomCount == 0)
        {
            meter.Report(frames, note);
            return 0;
        }
        var random = new Random(13);
        var one = new byte[decoder.FrameBytes];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < randomCount; i++)
            if (decoder.ExtractFrame(one, default, random.NextInt64(frames), 1) != 1) throw new InvalidOperationException("no frame");
        double randomMs = clock.Elapsed.TotalMilliseconds / randomCount;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RANDOM accesses={randomCount} ms_per_access={randomMs:0.##} sequential_ms_per_frame={sequentialMs:0.###} " +
            $"sequential_frames_per_access={randomMs / sequentialMs:0.#} {note}"));
        return 0;
    }

    /// <summary>VmHWM: the most resident memory the process has had.</summary>
    private static double PeakRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return 0;
    }
}
