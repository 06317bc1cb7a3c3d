using System.Diagnostics;
using System.Globalization;

namespace MpegCoder.Benchmarks;

/// <summary>
/// Mode "encode": the same RGB24 frames encoded with libx264 twice in one run, first by MpegEncoder
/// (EncodeFrame(ReadOnlySpan)), then by the ffmpeg CLI reading them as rawvideo from a pipe
/// (<c>ffmpeg -f rawvideo -pix_fmt rgb24 -s WxH -r 25 -i - -c:v libx264 -preset P -g G -bf B -threads N</c>),
/// both into Matroska files in the temp folder, with the same preset, size, GOP, B-frames and threads.
/// Prints one RESULT line per side (frames, wall and CPU seconds of the work) and the ratio of their rates.
/// </summary>
internal static class EncodeThroughput
{
    public static int Run(BenchArgs args)
    {
        var (width, height) = args.Size is (0, 0) ? (1280, 720) : args.Size;
        int count = args.Int("frames", 250), threads = args.Int("threads", 2), gop = args.Int("gop", 25), bframes = args.Int("bf", 2);
        string preset = args.Text("preset", "medium");
        var frames = Enumerable.Range(0, 50).Select(i => Picture(i, width, height)).ToArray(); // cycled: 50 distinct pictures
        string folder = Directory.CreateTempSubdirectory("mpegcoder-encode-bench").FullName;
        try
        {
            FFmpegLibrary.EnsureLoaded(); // loading the libraries is the process's start-up, as the CLI's is before it reads a frame
            double library = Library(Path.Combine(folder, "library.mkv"), frames, count, width, height, threads, gop, bframes, preset);
            double cli = Cli(Path.Combine(folder, "cli.mkv"), frames, count, width, height, threads, gop, bframes, preset);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RATIO library/cli={library / cli:0.00}"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Library(string path, byte[][] frames, int count, int width, int height, int threads, int gop, int bframes, string preset)
    {
        using var encoder = new MpegEncoder();
        encoder.SetParameter(videoPath: path, codecName: "libx264", width: width, height: height, frameRate: (25, 1),
            nthread: threads, GOPSize: gop, maxBframe: bframes);
        if (preset != "medium") throw new ArgumentException("MpegEncoder uses libx264's default preset, medium: compare with --preset medium.");
        var meter = new WorkMeter();
        if (!encoder.FFmpegSetup()) throw new InvalidOperationException(encoder.LastError);
        for (int i = 0; i < count; i++)
            if (!encoder.EncodeFrame(frames[i % frames.Length].AsSpan())) throw new InvalidOperationException(encoder.LastError);
        if (!encoder.FFmpegClose()) throw new InvalidOperationException(encoder.LastError);
        meter.Report(count, $"library EncodeFrame {width}x{height} libx264 preset={preset} threads={threads}");
        return count / meter.WallSeconds;
    }

    private static double Cli(string path, byte[][] frames, int count, int width, int height, int threads, int gop, int bframes, string preset)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostats", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24",
                     "-s", $"{width}x{height}", "-r", "25", "-i", "-", "-c:v", "libx264", "-preset", preset,
                     "-g", gop.ToString(CultureInfo.InvariantCulture), "-bf", bframes.ToString(CultureInfo.InvariantCulture),
                     "-threads", threads.ToString(CultureInfo.InvariantCulture), "-y", path })
            info.ArgumentList.Add(a);
        var meter = new WorkMeter();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start");
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[ffmpeg] {e.Data}"); };
        process.BeginErrorReadLine();
        var stdin = process.StandardInput.BaseStream;
        for (int i = 0; i < count; i++) stdin.Write(frames[i % frames.Length]);
        stdin.Close();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg exited with {process.ExitCode}");
        meter.Report(count, $"cli rawvideo pipe {width}x{height} libx264 preset={preset} threads={threads}");
        return count / meter.WallSeconds;
    }

    /// <summary>A picture with detail and motion (gradients, a moving block), so that the encoder has real work.</summary>
    private static byte[] Picture(int index, int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int o = (y * width + x) * 3;
                bool block = Math.Abs(x - (index * 7) % width) < width / 8 && Math.Abs(y - height / 2) < height / 8;
                rgb[o] = (byte)(block ? 255 : x + index * 3);
                rgb[o + 1] = (byte)(block ? 0 : y * 2 - index);
                rgb[o + 2] = (byte)((x ^ y) + index);
            }
        return rgb;
    }
}
