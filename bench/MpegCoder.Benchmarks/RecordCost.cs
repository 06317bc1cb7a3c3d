using System.Diagnostics;
using System.Globalization;

namespace MpegCoder.Benchmarks;

/// <summary>
/// Mode "record": what recording without re-encoding costs beside decoding. The same file is read three
/// times as fast as the writer decodes it (MpegClient, newest-frame ring): decode only; decode while a
/// StreamRecorder copies every packet into a file (--container mkv); and the ffmpeg CLI copying the same
/// packets (<c>ffmpeg -i CLIP -map 0:v -map 0:a? -c copy</c>: the video and the audio, as the recorder copies them) for reference. Prints a RESULT line per run (frames,
/// wall and CPU seconds of the work) and, for the recording run, the CPU seconds of the recorder's own
/// thread (from /proc) and the difference to decoding alone.
/// </summary>
internal static class RecordCost
{
    public static int Run(BenchArgs args)
    {
        string clip = args.Source;
        int threads = args.Int("threads", 0);
        string container = args.Text("container", "mkv");
        string folder = Directory.CreateTempSubdirectory("mpegcoder-record-bench").FullName;
        try
        {
            FFmpegLibrary.EnsureLoaded();
            double decode = Decode(clip, threads, null);
            double record = Decode(clip, threads, Path.Combine(folder, $"library.{container}"));
            double cli = CliCopy(clip, Path.Combine(folder, $"cli.{container}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"COST record-decode={record - decode:0.###} cpu-s ({(record - decode) / decode:P1} of decoding); cli-copy={cli:0.###} cpu-s"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Decodes the whole clip (and records it when <paramref name="recordTo"/> is set); returns the CPU seconds.</summary>
    private static double Decode(string clip, int threads, string? recordTo)
    {
        using var client = new MpegClient();
        client.Options = client.Options with { ReadSize = 1, CacheSize = 4, Threads = threads, FullRing = FullRingPolicy.OverwriteOldest };
        var meter = new WorkMeter();
        if (!client.FFmpegSetup(clip)) throw new InvalidOperationException(client.LastError);
        // Attached before the writer starts: the recorder gets every packet.
        using var recorder = recordTo is null ? null : client.StartRecording(new RecordingOptions { Path = recordTo, QueueCapacity = 4096 });
        client.Start();
        while (client.LastError is null) Thread.Sleep(5);
        double recorderThread = 0;
        if (recorder is not null)
        {
            // The file is read faster than real time: let the recorder write what is queued (the clip's end finishes
            // its file), then read its thread's time.
            while (recorder.Files.Count == 0 && recorder.Completion is { IsCompleted: false }) Thread.Sleep(5);
            recorderThread = ThreadCpuSeconds("MpegCoder recor"); // /proc shows 15 characters of a thread's name
            recorder.StopAsync().GetAwaiter().GetResult();
            var stats = recorder.Statistics;
            if (stats.PacketsDropped > 0) throw new InvalidOperationException($"{stats.PacketsDropped} packets dropped: raise --queue");
        }
        long decoded = client.Statistics.FramesDecoded;
        double cpu = meter.CpuSecondsUsed;
        meter.Report(decoded, recorder is null ? "decode" : string.Create(CultureInfo.InvariantCulture,
            $"decode+record {Path.GetExtension(recordTo)} recorder-thread-cpu={recorderThread:0.###} written={recorder.Statistics.PacketsWritten}"));
        return cpu;
    }

    private static double CliCopy(string clip, string output)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostats", "-loglevel", "error", "-i", clip, "-map", "0:v", "-map", "0:a?", "-c", "copy", "-y", output })
            info.ArgumentList.Add(a);
        var meter = new WorkMeter();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg exited with {process.ExitCode}: {errors}");
        double cpu = meter.CpuSecondsUsed;
        meter.Report(0, "cli ffmpeg -c copy (frames not counted)");
        return cpu;
    }

    /// <summary>User + system CPU seconds of this process's threads named <paramref name="name"/> (Linux /proc).</summary>
    private static double ThreadCpuSeconds(string name)
    {
        double total = 0;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() != name) continue;
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // After "pid (comm) ": state is field 3, utime field 14 and stime field 15 (1-based) of the whole line.
                total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return total;
    }
}
