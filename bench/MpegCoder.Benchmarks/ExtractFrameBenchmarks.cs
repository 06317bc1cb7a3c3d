using BenchmarkDotNet.Attributes;

namespace MpegCoder.Benchmarks;

/// <summary>
/// ExtractFrame of 5 frames at 1080p against a plain copy of the same bytes (5 frames from 5 separate
/// pinned buffers, as the ring's slots are). The writer is stopped (Terminate) after the ring has
/// filled, so ExtractFrame answers with the same frames and nothing else competes for the memory bus.
/// The clip comes from the environment variable MPEGCODER_BENCH_CLIP (a 1080p file; bench/side-by-side.sh sets it).
/// </summary>
[MemoryDiagnoser]
public class ExtractFrameBenchmarks
{
    private const int Frames = 5;
    private MpegClient _client = null!;
    private byte[][] _sources = null!;
    private byte[] _destination = null!;
    private int _frameBytes;

    [GlobalSetup]
    public void Setup()
    {
        string clip = Environment.GetEnvironmentVariable("MPEGCODER_BENCH_CLIP")
            ?? throw new InvalidOperationException("set MPEGCODER_BENCH_CLIP to a 1080p clip (bench/side-by-side.sh does)");
        _client = new MpegClient();
        // Reads of the newest frames that take nothing: the frozen ring answers every call alike.
        _client.Options = _client.Options with { ReadSize = Frames, CacheSize = 2 * Frames, FullRing = FullRingPolicy.OverwriteOldest };
        if (!_client.FFmpegSetup(clip)) throw new InvalidOperationException(_client.LastError);
        _frameBytes = _client.FrameBytes;
        _destination = GC.AllocateArray<byte>(Frames * _frameBytes, pinned: true);
        _client.Start();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_client.ExtractFrame(_destination, Frames) != Frames)
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"no {Frames} frames: {_client.LastError}");
            Thread.Sleep(10);
        }
        _client.Terminate(); // freeze the ring: the frames stay readable
        // The baseline's sources hold the same frames. Written, not just allocated: pages that were
        // never written map to the kernel's one zero page, which stays in cache and would flatter the copy.
        _sources = Enumerable.Range(0, Frames).Select(i => _destination.AsSpan(i * _frameBytes, _frameBytes).ToArray()).ToArray();
        _sources = _sources.Select(frame =>
        {
            var pinned = GC.AllocateUninitializedArray<byte>(frame.Length, pinned: true);
            frame.CopyTo(pinned, 0);
            return pinned;
        }).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Baseline = true, Description = "memory copy of 5 x 1080p RGB24")]
    public void MemoryCopy()
    {
        for (int i = 0; i < Frames; i++)
            _sources[i].AsSpan().CopyTo(_destination.AsSpan(i * _frameBytes, _frameBytes));
    }

    [Benchmark(Description = "ExtractFrame(Span<byte>, 5)")]
    public int ExtractFrameIntoSpan() => _client.ExtractFrame(_destination, Frames);

    [Benchmark(Description = "ExtractFrame(5) -> byte[5,h,w,3]")]
    public byte[,,,]? ExtractFrameArray() => _client.ExtractFrame(Frames);
}
