using System.Diagnostics;
using System.Globalization;

namespace MpegCoder.Benchmarks;

/// <summary>
/// Mode "fresh": the age of the newest frame each consumer would hand out, on the same live barcode
/// stream (the pusher runs with -re, so frame N leaves at T0 + N/fps). All consumers run at once and
/// are asked at the same moments; T0 is calibrated as the earliest (seen - N/fps) over every sample of
/// every consumer, so an age is "later than the fastest consumer ever was", common to all of them.
/// </summary>
internal static class Freshness
{
    public static int Run(BenchArgs args)
    {
        string url = args.Source;
        double fps = args.Double("fps", 25);
        double seconds = args.Double("seconds", 10);
        var (width, height) = FFmpegPipe.ProbeSize(url);
        var consumers = new List<INewestFrame>
        {
            new LibraryNewestFrame("MpegCoder nthread=1", url, threads: 1),
            new LibraryNewestFrame("MpegCoder nthread=1 fflags=nobuffer", url, threads: 1,
                new Dictionary<string, string> { ["fflags"] = "nobuffer" }),
            new LibraryNewestFrame("MpegCoder nthread=0 (FFmpeg's choice)", url, threads: 0),
            new PipeNewestFrame("ffmpeg CLI -fflags nobuffer -flags low_delay", url,
                ["-fflags", "nobuffer", "-flags", "low_delay", "-rtsp_transport", "tcp"], width, height, threads: 0),
        };
        try
        {
            Thread.Sleep(TimeSpan.FromSeconds(args.Double("warmup", 3)));
            var samples = consumers.Select(_ => new List<(double t, int index)>()).ToList();
            var clock = Stopwatch.StartNew();
            var random = new Random(5);
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                for (int i = 0; i < consumers.Count; i++)
                    if (consumers[i].NewestIndex() is int index)
                        samples[i].Add((clock.Elapsed.TotalSeconds, index));
                Thread.Sleep(2 + random.Next(6)); // asked at moments unrelated to the frame clock
            }
            double t0 = samples.SelectMany(s => s).Min(s => s.t - s.index / fps);
            Console.WriteLine($"freshness over {seconds:0} s, {width}x{height} at {fps:0} fps (frame interval {1000 / fps:0} ms); " +
                              "age = now - when the frame was sent, in ms (calibrated: the fastest sample of all is 0)");
            for (int i = 0; i < consumers.Count; i++)
            {
                var ages = samples[i].Select(s => (s.t - t0 - s.index / fps) * 1000).Order().ToArray();
                if (ages.Length == 0) { Console.WriteLine($"RESULT tool=\"{consumers[i].Name}\" samples=0"); continue; }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RESULT tool=\"{consumers[i].Name}\" samples={ages.Length} median_ms={Quantile(ages, 0.5):0.0} " +
                    $"p90_ms={Quantile(ages, 0.9):0.0} max_ms={ages[^1]:0.0}"));
            }
        }
        finally
        {
            foreach (var c in consumers) c.Dispose();
        }
        return 0;
    }

    private static double Quantile(double[] sorted, double q) => sorted[(int)Math.Min(sorted.Length - 1, q * sorted.Length)];
}
