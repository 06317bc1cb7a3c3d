using MpegCoder.Native;
using MpegCoder.Recording;

namespace MpegCoder.Streaming;

/// <summary>
/// The parts of a stream that outlive its connections: the scaler to the fixed output size, the ring,
/// the counters and the signal that wakes readers. Made by the first connection (which knows the
/// source's size); every reconnection's pipeline writes into the same output. The packet taps (recorders)
/// belong here too: they stay attached across reconnections.
/// </summary>
internal sealed class FrameOutput : IDisposable
{
    private FrameOutput(StreamOptions settings, int width, int height, bool lossless)
    {
        Width = width;
        Height = height;
        Scaler = new Scaler(width, height, settings.PixelFormat, settings.Scaling);
        try
        {
            Ring = new FrameRing(settings.EffectiveCacheSize, Scaler.FrameBytes, lossless);
        }
        catch
        {
            Scaler.Dispose();
            throw;
        }
    }

    public int Width { get; }
    public int Height { get; }
    public Scaler Scaler { get; }
    public FrameRing Ring { get; }
    public StreamCounters Counters { get; } = new();
    public FrameSignal Signal { get; } = new();
    public PacketTaps Taps { get; } = new();

    /// <summary>The output for a stream whose first connection found <paramref name="info"/>; throws <see cref="StreamOpenException"/> when no usable size is known.</summary>
    public static FrameOutput For(StreamOptions settings, StreamInfo info, bool lossless)
    {
        int width = settings.Width > 0 ? settings.Width : info.Width;
        int height = settings.Height > 0 ? settings.Height : info.Height;
        if (width <= 0 || height <= 0)
            throw new StreamOpenException("the stream does not state its frame size; set the output width and height");
        if (StreamOptions.FrameSizeProblem(width, height, settings.PixelFormat, settings.ReadSize) is { } problem)
            throw new StreamOpenException($"the source's frame size {info.Width} x {info.Height} cannot be used as the output size: {problem}; set a smaller output width and height");
        try
        {
            return new FrameOutput(settings, width, height, lossless);
        }
        catch (OutOfMemoryException)
        {
            long bytes = (long)width * height * settings.PixelFormat.BytesPerPixel();
            throw new StreamOpenException($"not enough memory for a ring of {settings.EffectiveCacheSize} frames of {bytes} bytes; lower the cache size or the output size");
        }
    }

    public void Dispose() => Scaler.Dispose();
}
