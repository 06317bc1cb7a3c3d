using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace MpegCoder.Benchmarks;

/// <summary>
/// Wall time and CPU time of the measured work only (not the runtime's start-up), read with getrusage
/// for this process and for the children it has waited for (a piped ffmpeg). Prints the one RESULT
/// line that bench/side-by-side.sh parses.
/// </summary>
internal sealed class WorkMeter
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly double _cpuStart = CpuSeconds();

    public double WallSeconds => Stopwatch.GetElapsedTime(_start).TotalSeconds;

    /// <summary>CPU seconds (user + system) of this process and its reaped children since the meter started.</summary>
    public double CpuSecondsUsed => CpuSeconds() - _cpuStart;

    public static double CpuSeconds() => Usage(RusageSelf) + Usage(RusageChildren);

    /// <summary>The line the script reads: frames, wall seconds and CPU seconds of the work.</summary>
    public void Report(long frames, string note = "")
    {
        double wall = WallSeconds, cpu = CpuSecondsUsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT frames={frames} wall={wall:0.###} cpu={cpu:0.###} fps={frames / wall:0.#} {note}").TrimEnd());
    }

    private const int RusageSelf = 0;
    private const int RusageChildren = -1;

    // struct rusage on 64-bit Linux: ru_utime and ru_stime (two timevals), then 14 longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec;
        public unsafe fixed long Rest[14];
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);

    private static double Usage(int who) =>
        getrusage(who, out var u) == 0 ? u.UtimeSec + u.StimeSec + (u.UtimeUsec + u.StimeUsec) / 1e6 : 0;
}
