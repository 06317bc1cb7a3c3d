using System.Diagnostics;

namespace MpegCoder.Benchmarks;

/// <summary>
/// The usual C# way to get frames without bindings: start the ffmpeg CLI with rawvideo RGB24 on its
/// standard output and read one frame's bytes at a time from a plain Process (what FFMpegCore does too).
/// </summary>
internal sealed class FFmpegPipe : IDisposable
{
    private readonly Process _process;

    /// <param name="inputOptions">Options before -i (e.g. -fflags nobuffer).</param>
    /// <param name="width">Output width, 0 = the source's (then <paramref name="frameBytes"/> must be given).</param>
    public FFmpegPipe(string source, IEnumerable<string> inputOptions, int width, int height, int threads, int frameBytes)
    {
        FrameBytes = frameBytes;
        var info = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-threads", threads.ToString() })
            info.ArgumentList.Add(a);
        foreach (var a in inputOptions) info.ArgumentList.Add(a);
        info.ArgumentList.Add("-i");
        info.ArgumentList.Add(source);
        if (width > 0)
        {
            info.ArgumentList.Add("-s");
            info.ArgumentList.Add($"{width}x{height}");
        }
        foreach (var a in new[] { "-an", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1" })
            info.ArgumentList.Add(a);
        _process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start");
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[ffmpeg] {e.Data}"); };
        _process.BeginErrorReadLine();
    }

    public int FrameBytes { get; }

    /// <summary>Fills <paramref name="frame"/> with the next frame; false at the end of the output.</summary>
    public bool Read(byte[] frame)
    {
        try
        {
            _process.StandardOutput.BaseStream.ReadExactly(frame, 0, FrameBytes);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    /// <summary>Waits for ffmpeg to exit, so that its CPU time is counted as a reaped child's.</summary>
    public void WaitForExit() => _process.WaitForExit();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(); } catch (InvalidOperationException) { }
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    /// <summary>Mode "pipe": reads a clip to its end through the pipe.</summary>
    public static int Run(BenchArgs args)
    {
        var (width, height) = args.Size;
        if (width == 0) (width, height) = ProbeSize(args.Source);
        var meter = new WorkMeter();
        long frames = 0;
        using (var pipe = new FFmpegPipe(args.Source, [], width, height, args.Int("threads", 0), width * height * 3))
        {
            var frame = new byte[pipe.FrameBytes];
            while (pipe.Read(frame)) frames++;
            pipe.WaitForExit();
        }
        meter.Report(frames);
        return 0;
    }

    /// <summary>The source's frame size, as MpegClient reports it (a reader of rawvideo must know it up front).</summary>
    public static (int width, int height) ProbeSize(string source)
    {
        using var client = new MpegClient();
        if (!client.FFmpegSetup(source)) throw new InvalidOperationException($"cannot open {source}: {client.LastError}");
        return ((int)client.GetParameter("width")!, (int)client.GetParameter("height")!);
    }
}
