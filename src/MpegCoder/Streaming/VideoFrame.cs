using System.Buffers;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder;

/// <summary>
/// One frame handed out by <see cref="VideoStream.ReadFramesAsync"/>. Its pixel buffer is rented from
/// <see cref="ArrayPool{T}.Shared"/>: dispose the frame when done, and do not keep its spans afterwards.
/// </summary>
public sealed class VideoFrame : IDisposable
{
    private byte[]? _buffer;

    internal VideoFrame(byte[] buffer, int width, int height, FramePixelFormat format, FrameMetadata metadata)
    {
        _buffer = buffer;
        Width = width;
        Height = height;
        PixelFormat = format;
        Metadata = metadata;
        Length = width * height * format.BytesPerPixel();
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixel layout.</summary>
    public FramePixelFormat PixelFormat { get; }

    /// <summary>Sequence number, timestamps and keyframe flag.</summary>
    public FrameMetadata Metadata { get; }

    /// <summary>Bytes of the frame (rows are packed).</summary>
    public int Length { get; }

    /// <summary>The pixels, rows packed top to bottom.</summary>
    /// <exception cref="ObjectDisposedException">The frame was disposed.</exception>
    public ReadOnlySpan<byte> Pixels => Memory.Span;

    /// <summary>The pixels as memory, valid until the frame is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The frame was disposed.</exception>
    public ReadOnlyMemory<byte> Memory
    {
        get
        {
            var buffer = _buffer;
            ObjectDisposedException.ThrowIf(buffer is null, this);
            return buffer.AsMemory(0, Length);
        }
    }

    /// <summary>Returns the pixel buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
