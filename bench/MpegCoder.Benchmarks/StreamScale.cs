using System.Diagnostics;
using System.Globalization;

namespace MpegCoder.Benchmarks;

/// <summary>
/// Mode "scale": N consumers of the same live stream at once (MpegClient with --tool lib, one ffmpeg CLI
/// process each with --tool cli), each converting every frame to RGB24 at the source's size. A consumer
/// keeps up when, over the measured window, its newest frame advances as fast as the clock: its lag
/// (window - frames advanced / fps) grows by less than --max-lag-growth seconds.
/// </summary>
internal static class StreamScale
{
    public static int Run(BenchArgs args)
    {
        string url = args.Source;
        int streams = args.Int("streams", 1);
        double fps = args.Double("fps", 25);
        double seconds = args.Double("seconds", 10);
        double maxGrowth = args.Double("max-lag-growth", 0.4);
        string tool = args.Text("tool", "lib");
        var (width, height) = FFmpegPipe.ProbeSize(url);
        var consumers = new List<INewestFrame>();
        try
        {
            // Connected 8 at a time: one by one, a hundred setups (RTSP handshake and probing) take minutes.
            var opened = new INewestFrame[streams];
            try
            {
                Parallel.For(0, streams, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
                    opened[i] = tool == "lib"
                        ? new LibraryNewestFrame($"lib{i}", url, threads: 1)
                        : new PipeNewestFrame($"cli{i}", url, ["-rtsp_transport", "tcp"], width, height, threads: 1));
            }
            finally
            {
                consumers.AddRange(opened.Where(c => c is not null)); // disposed below, even after a failed setup
            }
            var deadline = Stopwatch.StartNew();
            while (consumers.Any(c => c.NewestIndex() is null))
            {
                if (deadline.Elapsed.TotalSeconds > 30) { Console.WriteLine($"RESULT tool={tool} streams={streams} kept_up=0 error=no-first-frame"); return 0; }
                Thread.Sleep(50);
            }
            Thread.Sleep(TimeSpan.FromSeconds(args.Double("warmup", 3)));
            double cpu0 = WorkMeter.CpuSeconds() + ChildrenCpu();
            var clock = Stopwatch.StartNew();
            var first = consumers.Select(c => c.NewestIndex()!.Value).ToArray();
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            var last = consumers.Select(c => c.NewestIndex()!.Value).ToArray();
            double window = clock.Elapsed.TotalSeconds;
            double cpu = WorkMeter.CpuSeconds() + ChildrenCpu() - cpu0;
            var growth = first.Zip(last, (a, b) => window - (b - a) / fps).ToArray();
            int keptUp = growth.Count(g => g < maxGrowth);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT tool={tool} streams={streams} kept_up={keptUp} worst_lag_growth_s={growth.Max():0.00} " +
                $"cpu_per_s={cpu / window:0.00}"));
        }
        finally
        {
            foreach (var c in consumers) c.Dispose();
        }
        return 0;
    }

    /// <summary>CPU seconds of the running ffmpeg children (not yet reaped, so getrusage does not count them yet).</summary>
    private static double ChildrenCpu() => ChildProcessCpu(Environment.ProcessId).Sum();

    private static IEnumerable<double> ChildProcessCpu(int parent)
    {
        double tick = 100.0; // USER_HZ on Linux
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            int close = stat.LastIndexOf(')');
            if (close < 0) continue;
            var fields = stat[(close + 2)..].Split(' ');
            // After "pid (comm) ": state=0, ppid=1, ..., utime=11, stime=12.
            if (fields.Length > 12 && int.TryParse(fields[1], out int ppid) && ppid == parent)
                yield return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / tick;
        }
    }
}
