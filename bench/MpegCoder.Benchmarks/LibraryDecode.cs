namespace MpegCoder.Benchmarks;

/// <summary>
/// Mode "library": MpegClient reads a file as fast as its writer can (decode, select, convert to RGB24
/// into the ring), while this thread polls ExtractFrame like an application would, until it returns
/// the end (-1). Frames = the decoder's frameCount.
/// </summary>
internal static class LibraryDecode
{
    public static int Run(BenchArgs args)
    {
        var (width, height) = args.Size;
        using var client = new MpegClient();
        client.Options = client.Options with
        {
            Width = width, Height = height, ReadSize = 1, CacheSize = 4,
            Threads = args.Int("threads", 0), FrameRate = args.Rate, SkipFrames = args.Skip,
        };
        var meter = new WorkMeter();
        if (!client.FFmpegSetup(args.Source))
        {
            Console.Error.WriteLine($"setup failed: {client.LastError}");
            return 1;
        }
        var destination = new byte[client.FrameBytes];
        client.Start();
        int pollMs = args.Int("poll-ms", 20);
        while (client.ExtractFrame(destination, 1) >= 0)
            Thread.Sleep(pollMs);
        long decoded = (long)client.GetParameter("frameCount")!;
        meter.Report(decoded, $"threads={client.GetParameter("nthread")}");
        return 0;
    }
}
