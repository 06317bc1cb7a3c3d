using FFMpegCore;
using FFMpegCore.Pipes;

namespace MpegCoder.Benchmarks;

/// <summary>
/// Mode "ffmpegcore": the same pipe through FFMpegCore, the popular .NET wrapper of the ffmpeg CLI
/// (it starts the CLI and reads rawvideo RGB24 through a named pipe).
/// </summary>
internal static class FFMpegCoreDecode
{
    public static int Run(BenchArgs args)
    {
        var (width, height) = args.Size;
        if (width == 0) (width, height) = FFmpegPipe.ProbeSize(args.Source);
        var meter = new WorkMeter();
        var sink = new FrameCountingSink(width * height * 3);
        FFMpegArguments
            .FromFileInput(args.Source, verifyExists: true, o => o.WithCustomArgument($"-threads {args.Int("threads", 0)}"))
            .OutputToPipe(sink, o => o.WithCustomArgument($"-s {width}x{height} -an -pix_fmt rgb24"))
            .ProcessSynchronously();
        meter.Report(sink.Frames);
        return 0;
    }

    /// <summary>Reads whole frames from FFMpegCore's pipe and counts them.</summary>
    private sealed class FrameCountingSink(int frameBytes) : IPipeSink
    {
        public long Frames;

        public string GetFormat() => "rawvideo";

        public string GetStreamArguments() => "-f rawvideo";

        public async Task ReadAsync(Stream inputStream, CancellationToken cancellationToken)
        {
            var frame = new byte[frameBytes];
            while (true)
            {
                try
                {
                    await inputStream.ReadExactlyAsync(frame, cancellationToken);
                }
                catch (EndOfStreamException)
                {
                    return;
                }
                Frames++;
            }
        }
    }
}
