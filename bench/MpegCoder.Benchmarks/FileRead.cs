using System.Diagnostics;

namespace MpegCoder.Benchmarks;

/// <summary>
/// Mode "file": reads a file to its end with the default options (a file: every frame, the writer waiting
/// for the reader), through the .NET face (--face stream: ReadFramesAsync), the port (--face port:
/// ExtractFrame until null, a new array per call) or the port's span form (--face span: ExtractFrame into
/// one reused buffer), checks that every frame came once, and reports the process's peak RSS (VmHWM)
/// against the bound "ring + 150 MB". --threads N sets the decoder threads (0 = FFmpeg's choice).
/// </summary>
internal static class FileRead
{
    public static int Run(BenchArgs args)
    {
        string face = args.Text("face", "stream");
        var clock = Stopwatch.StartNew();
        long frames;
        int ringFrames, frameBytes;
        int threads = args.Int("threads", 0);
        if (face is "port" or "span")
        {
            using var client = new MpegClient();
            client.SetParameter(readSize: args.Int("read-size", 1), nthread: threads);
            if (!client.FFmpegSetup(args.Source)) throw new InvalidOperationException(client.LastError);
            ringFrames = (int)client.GetParameter("cacheSize")!;
            frameBytes = client.FrameBytes;
            client.Start();
            frames = 0;
            if (face == "span")
            {
                var buffer = new byte[(long)ringFrames * frameBytes / 2];
                int n;
                while ((n = client.ExtractFrame(buffer)) >= 0) frames += n;
            }
            else
            {
                byte[,,,]? batch;
                while ((batch = client.ExtractFrame()) != null) frames += batch.GetLength(0);
            }
            Check(frames, (int)client.GetParameter("frameCount")!);
        }
        else
        {
            using var stream = VideoStream.OpenAsync(args.Source, new StreamOptions { Threads = threads }).GetAwaiter().GetResult();
            ringFrames = stream.Capacity;
            frameBytes = stream.FrameBytes;
            frames = 0;
            long expected = 0;
            var enumerator = stream.ReadFramesAsync().GetAsyncEnumerator();
            while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                using (var frame = enumerator.Current)
                {
                    if (frame.Metadata.Sequence != expected++) throw new InvalidOperationException($"frame {frame.Metadata.Sequence} came as number {expected - 1}");
                    frames++;
                }
            Check(frames, stream.Statistics.FramesStored);
        }
        double ringMb = (double)ringFrames * frameBytes / (1 << 20);
        double peakMb = PeakRssKb() / 1024.0;
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT face={face} threads={threads} frames={frames} wall={clock.Elapsed.TotalSeconds:0.00} ring_mb={ringMb:0.0} peak_rss_mb={peakMb:0.0} bound_mb={ringMb + 150:0.0} within={(peakMb <= ringMb + 150 ? "yes" : "no")}"));
        return peakMb <= ringMb + 150 ? 0 : 1;
    }

    private static void Check(long read, long stored)
    {
        if (read != stored || read == 0) throw new InvalidOperationException($"read {read} frames of {stored} stored");
    }

    /// <summary>The process's peak resident set (VmHWM), in kB.</summary>
    private static long PeakRssKb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        throw new InvalidOperationException("no VmHWM in /proc/self/status");
    }
}
