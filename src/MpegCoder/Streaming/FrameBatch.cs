using MpegCoder.Streaming;
namespace MpegCoder;

/// <summary>The newest frames of a stream at one moment, oldest first, with their metadata. Only real frames: never padding.</summary>
public sealed class FrameBatch
{
    private readonly byte[] _data;
    private readonly FrameMetadata[] _metadata;

    internal FrameBatch(byte[] data, FrameMetadata[] metadata, int count, int width, int height, FramePixelFormat format)
    {
        _data = data;
        _metadata = metadata;
        Count = count;
        Width = width;
        Height = height;
        PixelFormat = format;
        FrameBytes = width * height * format.BytesPerPixel();
    }

    /// <summary>Frames in the batch.</summary>
    public int Count { get; }

    /// <summary>Width of every frame in pixels.</summary>
    public int Width { get; }

    /// <summary>Height of every frame in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixel layout of every frame.</summary>
    public FramePixelFormat PixelFormat { get; }

    /// <summary>Bytes of one frame (rows are packed).</summary>
    public int FrameBytes { get; }

    /// <summary>All frames, one after the other: Count x FrameBytes bytes.</summary>
    public ReadOnlyMemory<byte> Data => _data.AsMemory(0, Count * FrameBytes);

    /// <summary>The metadata of each frame, in the same order.</summary>
    public ReadOnlySpan<FrameMetadata> Metadata => _metadata.AsSpan(0, Count);

    /// <summary>The pixels of frame <paramref name="index"/> (0 = oldest).</summary>
    public ReadOnlySpan<byte> Frame(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _data.AsSpan(index * FrameBytes, FrameBytes);
    }
}
