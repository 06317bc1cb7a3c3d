namespace MpegCoder.Benchmarks;

/// <summary>
/// Mode "alloc": bytes the calling thread allocates per ExtractFrame(Span, n), counted exactly with
/// GC.GetAllocatedBytesForCurrentThread over many calls on a live stream (the writer running), next to
/// the process-wide count, which also sees the runtime's own threads.
/// </summary>
internal static class AllocationCheck
{
    public static int Run(BenchArgs args)
    {
        int frames = args.Int("frames", 5), calls = args.Int("calls", 2000);
        using var client = new MpegClient();
        // Newest-frame reads that take nothing, for a file as for a live stream.
        client.Options = client.Options with { ReadSize = frames, CacheSize = 2 * frames, RtspTransport = RtspTransport.Tcp, FullRing = FullRingPolicy.OverwriteOldest };
        if (!client.FFmpegSetup(args.Source)) throw new InvalidOperationException(client.LastError);
        client.Start();
        var destination = new byte[frames * client.FrameBytes];
        while (client.ExtractFrame(destination, frames) != frames) Thread.Sleep(10);
        for (int i = 0; i < 200; i++) client.ExtractFrame(destination, frames); // past tiered JIT's first tiers
        long thread0 = GC.GetAllocatedBytesForCurrentThread(), total0 = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < calls; i++)
            client.ExtractFrame(destination, frames);
        long thread = GC.GetAllocatedBytesForCurrentThread() - thread0, total = GC.GetTotalAllocatedBytes(precise: true) - total0;
        Console.WriteLine($"RESULT calls={calls} thread_bytes_per_call={(double)thread / calls:0.###} process_bytes_per_call={(double)total / calls:0.###}");
        return 0;
    }
}
