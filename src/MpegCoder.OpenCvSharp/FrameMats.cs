using OpenCvSharp;

namespace MpegCoder.OpenCvSharp;

/// <summary>
/// A set of <see cref="Mat"/>s that a stream's newest frames are read into, with no copy besides the
/// read itself: the Mats are row ranges of one continuous block, and the read writes straight into it.
/// Create one per consumer and reuse it; reads allocate nothing.
/// </summary>
public sealed class FrameMats : IDisposable
{
    private readonly Mat _block;
    private readonly Mat[] _frames;
    private readonly FrameMetadata[] _metadata;
    private readonly int _frameBytes;

    /// <summary>Room for <paramref name="capacity"/> frames of <paramref name="width"/> x <paramref name="height"/> in <paramref name="format"/>.</summary>
    public FrameMats(int capacity, int width, int height, FramePixelFormat format = FramePixelFormat.Bgr24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        PixelFormat = format;
        MatType type = OpenCvFrames.MatTypeOf(format);
        _block = new Mat(capacity * height, width, type);
        _frameBytes = checked(width * height * _block.ElemSize());
        // Each frame's Mat is a header over its rows of the block; the block owns the pixels.
        _frames = new Mat[capacity];
        for (int i = 0; i < capacity; i++)
            _frames[i] = Mat.FromPixelData(height, width, type, _block.Data + i * _frameBytes);
        _metadata = new FrameMetadata[capacity];
    }

    /// <summary>Room for <paramref name="capacity"/> frames of <paramref name="stream"/>'s size and format.</summary>
    public static FrameMats For(VideoStream stream, int capacity)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new FrameMats(capacity, stream.Width, stream.Height, stream.PixelFormat);
    }

    /// <summary>The pixel format the Mats hold.</summary>
    public FramePixelFormat PixelFormat { get; }

    /// <summary>How many frames the last read returned.</summary>
    public int Count { get; private set; }

    /// <summary>How many frames fit.</summary>
    public int Capacity => _frames.Length;

    /// <summary>Frame <paramref name="index"/> of the last read, oldest first. The Mat is reused by the next read.</summary>
    public Mat this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _frames[index];
        }
    }

    /// <summary>The metadata of the frames of the last read (from a <see cref="VideoStream"/>; empty after a client read).</summary>
    public ReadOnlySpan<FrameMetadata> Metadata => _metadata.AsSpan(0, Count);

    /// <summary>
    /// Reads the newest <see cref="Capacity"/> frames of the stream into the Mats (see <see cref="ReadNewest(VideoStream, int)"/>).
    /// </summary>
    public int ReadNewest(VideoStream stream) => ReadNewest(stream, 0);

    /// <summary>
    /// Reads the newest <paramref name="count"/> frames (0: <see cref="Capacity"/>) of the stream into the Mats
    /// (<see cref="VideoStream.CopyNewestFrames"/>: never waits, takes nothing, on a file too). Returns how many
    /// frames were read (fewer right after the start).
    /// </summary>
    public int ReadNewest(VideoStream stream, int count)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckShape(stream.FrameBytes, stream.PixelFormat);
        count = Limit(count);
        Count = stream.CopyNewestFrames(Block(count), _metadata.AsSpan(0, count), count);
        return Count;
    }

    /// <summary>
    /// Reads the newest frames (the client's read size, at most <see cref="Capacity"/>) of a started
    /// <see cref="MpegClient"/> into the Mats (see <see cref="ReadNewest(MpegClient, int)"/>).
    /// </summary>
    public int ReadNewest(MpegClient client) => ReadNewest(client, 0);

    /// <summary>
    /// Reads the newest <paramref name="count"/> frames (0: the client's read size) of a started
    /// <see cref="MpegClient"/> into the Mats (<see cref="MpegClient.CopyNewestFrames"/>: never waits, takes
    /// nothing). Returns how many frames were read (fewer right after the start).
    /// </summary>
    public int ReadNewest(MpegClient client, int count)
    {
        ArgumentNullException.ThrowIfNull(client);
        CheckShape(client.FrameBytes, client.Options.PixelFormat);
        count = count == 0 ? Math.Min(client.Options.ReadSize, Capacity) : Limit(count);
        Count = client.CopyNewestFrames(Block(count), count);
        return Count;
    }

    private int Limit(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Capacity);
        return count == 0 ? Capacity : count;
    }

    private unsafe Span<byte> Block(int count) => new((void*)_block.Data, count * _frameBytes);

    private void CheckShape(int frameBytes, FramePixelFormat format)
    {
        if (frameBytes != _frameBytes || format != PixelFormat)
            throw new ArgumentException($"The stream's frames ({frameBytes} bytes, {format}) do not match these Mats ({_frameBytes} bytes, {PixelFormat}).");
    }

    /// <summary>Releases the Mats.</summary>
    public void Dispose()
    {
        foreach (var frame in _frames)
            frame.Dispose();
        _block.Dispose();
    }
}
