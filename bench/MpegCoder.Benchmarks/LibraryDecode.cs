namespace MpegCoder.Benchmarks;

/// <summary>
/// Mode "library": MpegClient reads a file as fast as its writer can (decode, select, convert to RGB24
/// into the ring), while this thread reads the newest frame every --read-ms (200) like an application
/// would, until ExtractFrame returns the end (-1). The end is noticed within 5 ms (LastError is set when
/// the writer stops), so the wall time is the writer's own. Frames = the decoder's frameCount.
/// --scaling bicubic|bilinear|fast_bilinear|neighbor|area|lanczos (swscale's names, as the CLI's -sws_flags).
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
            Threads = args.Int("threads", 0), FrameRate = args.Rate, SkipFrames = args.Skip, Scaling = args.Scaling,
            // The writer alone, as fast as it decodes: a file would otherwise wait for this slow reader.
            FullRing = FullRingPolicy.OverwriteOldest,
        };
        var meter = new WorkMeter();
        if (!client.FFmpegSetup(args.Source))
        {
            Console.Error.WriteLine($"setup failed: {client.LastError}");
            return 1;
        }
        var destination = new byte[client.FrameBytes];
        client.Start();
        var readEvery = TimeSpan.FromMilliseconds(args.Int("read-ms", 200));
        var nextRead = TimeSpan.Zero;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (client.LastError is null)
        {
            if (clock.Elapsed >= nextRead)
            {
                client.ExtractFrame(destination, 1);
                nextRead = clock.Elapsed + readEvery;
            }
            Thread.Sleep(5);
        }
        if (client.ExtractFrame(destination, 1) != -1) throw new InvalidOperationException($"not at the end: {client.LastError}");
        long decoded = (int)client.GetParameter("frameCount")!;
        meter.Report(decoded, $"threads={client.GetParameter("nthread")}");
        return 0;
    }
}
