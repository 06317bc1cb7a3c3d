using System.Diagnostics;

/// <summary>This process's resident memory and the CPU it used between two samples.</summary>
internal sealed class ProcessFigures
{
    private TimeSpan _cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly Stopwatch _wall = Stopwatch.StartNew();

    public static long RssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        return -1;
    }

    /// <summary>The CPU used since the last call, in percent of one core.</summary>
    public double CpuPercentSinceLastSample()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        double wall = _wall.Elapsed.TotalSeconds;
        _wall.Restart();
        double percent = wall > 0 ? 100 * (cpu - _cpuBefore).TotalSeconds / wall : 0;
        _cpuBefore = cpu;
        return percent;
    }
}
