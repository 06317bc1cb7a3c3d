using MpegCoder.Interop;

namespace MpegCoder.Imaging;

/// <summary>
/// Encodes packed RGB24 pictures (what <see cref="MpegClient.ExtractFrame(int)"/> returns) to JPEG with
/// FFmpeg's own mjpeg encoder: no image library needed. The encoder is opened at the first picture
/// and kept while the size stays the same, so encoding a stream of frames costs no setup per frame.
/// </summary>
/// <remarks>Thread-safe: calls are serialised. Use one encoder per thread for parallel encoding.</remarks>
/// <example><code>
/// using var jpeg = new JpegEncoder(quality: 85);
/// byte[] file = jpeg.Encode(rgb24, width, height);
/// </code></example>
public sealed class JpegEncoder : IDisposable
{
    private readonly object _gate = new();
    private MjpegCodec? _codec;
    private bool _disposed;

    /// <summary>Creates an encoder; FFmpeg is loaded now if it is not yet.</summary>
    /// <param name="quality">1 (smallest file) to 100 (best picture), mapped onto FFmpeg's quantiser scale 31..2.</param>
    /// <exception cref="ArgumentOutOfRangeException">Quality outside 1..100.</exception>
    /// <exception cref="FFmpegNotFoundException">No supported FFmpeg is installed.</exception>
    public JpegEncoder(int quality = 85)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        Quality = quality;
        FFmpegLoader.EnsureLoadedRelease();
    }

    /// <summary>The quality given at construction, 1..100.</summary>
    public int Quality { get; }

    /// <summary>FFmpeg's quantiser scale for <see cref="Quality"/>: 100 gives 2 (its best), 1 gives 31.</summary>
    internal int QScale => 31 - (int)Math.Round((Quality - 1) * 29 / 99.0);

    /// <summary>Encodes one picture and returns the JPEG file's bytes.</summary>
    /// <param name="rgb24">At least width x height x 3 bytes, rows top to bottom, no padding.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <exception cref="ArgumentException">A size below 1, or too few bytes.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    public byte[] Encode(ReadOnlySpan<byte> rgb24, int width, int height) =>
        Run(rgb24, width, height, 0, static (jpeg, _) => jpeg.ToArray());

    /// <summary>
    /// Encodes one picture into <paramref name="destination"/>, allocating nothing per call.
    /// Returns false, with <paramref name="written"/> = 0, when the JPEG does not fit.
    /// </summary>
    public unsafe bool TryEncode(ReadOnlySpan<byte> rgb24, int width, int height, Span<byte> destination, out int written)
    {
        fixed (byte* target = destination)
        {
            written = Run(rgb24, width, height, ((nint)target, destination.Length), static (jpeg, d) =>
            {
                if (jpeg.Length > d.Item2) return 0;
                jpeg.CopyTo(new Span<byte>((void*)d.Item1, d.Item2));
                return jpeg.Length;
            });
        }
        return written > 0;
    }

    private TResult Run<TState, TResult>(ReadOnlySpan<byte> rgb24, int width, int height, TState state, JpegBytesHandler<TState, TResult> take)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (rgb24.Length < (long)width * height * 3)
            throw new ArgumentException($"{width}x{height} RGB24 needs {(long)width * height * 3} bytes; got {rgb24.Length}.", nameof(rgb24));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_codec is null || _codec.Width != width || _codec.Height != height)
            {
                _codec?.Dispose();
                _codec = null;
                _codec = MjpegCodec.Open(width, height, QScale);
            }
            return _codec.Encode(rgb24, state, take);
        }
    }

    /// <summary>Frees the FFmpeg encoder.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _codec?.Dispose();
            _codec = null;
        }
    }
}
