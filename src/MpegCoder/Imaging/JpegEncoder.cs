using MpegCoder.Interop;

namespace MpegCoder.Imaging;

/// <summary>
/// Encodes packed pictures (what <see cref="MpegClient.ExtractFrame(int)"/> returns, or a
/// <see cref="VideoFrame"/>) to JPEG with FFmpeg's own mjpeg encoder: no image library needed. Every
/// call names the pixel format, so a BGR or RGBA picture is converted as what it is. The encoder is
/// opened at the first picture and kept while the size and format stay the same, so encoding a
/// stream of frames costs no setup per frame.
/// </summary>
/// <remarks>Thread-safe: calls are serialised. Use one encoder per thread for parallel encoding.</remarks>
/// <example><code>
/// using var jpeg = new JpegEncoder(quality: 85);
/// byte[] file = jpeg.Encode(pixels, width, height, FramePixelFormat.Rgb24);
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
    /// <param name="pixels">At least width x height x (bytes per pixel of <paramref name="format"/>) bytes, rows top to bottom, no padding.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <param name="format">The layout of <paramref name="pixels"/>.</param>
    /// <exception cref="ArgumentException">A size below 1, too few bytes, or an unknown format.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    /// <exception cref="MpegCoderException">FFmpeg's mjpeg encoder is missing, does not open for this picture, or did not encode it; the message says which, in FFmpeg's words.</exception>
    public byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, FramePixelFormat format) =>
        Run(pixels, width, height, format, 0, static (jpeg, _) => jpeg.ToArray());

    /// <summary>
    /// Encodes one packed RGB24 picture of exactly width x height x 3 bytes (the default pixel format).
    /// Any other length is refused, so an RGBA or gray picture is never read as RGB24; a BGR24 picture
    /// has the same length, so pass its format to the overload that takes one.
    /// </summary>
    /// <exception cref="ArgumentException">A size below 1, or not exactly width x height x 3 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    /// <exception cref="MpegCoderException">FFmpeg's mjpeg encoder is missing, does not open for this picture, or did not encode it; the message says which, in FFmpeg's words.</exception>
    public byte[] Encode(ReadOnlySpan<byte> rgb24, int width, int height)
    {
        RequireExactRgb24(rgb24.Length, width, height);
        return Encode(rgb24, width, height, FramePixelFormat.Rgb24);
    }

    /// <summary>Encodes one frame (its size and pixel format are the frame's) and returns the JPEG file's bytes.</summary>
    /// <exception cref="ObjectDisposedException">The encoder or the frame was disposed.</exception>
    /// <exception cref="MpegCoderException">FFmpeg's mjpeg encoder is missing, does not open for this picture, or did not encode it; the message says which, in FFmpeg's words.</exception>
    public byte[] Encode(VideoFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Encode(frame.Pixels, frame.Width, frame.Height, frame.PixelFormat);
    }

    /// <summary>
    /// Encodes one picture into <paramref name="destination"/>, allocating nothing per call.
    /// Returns false, with <paramref name="written"/> = 0, when the JPEG does not fit.
    /// </summary>
    /// <inheritdoc cref="Encode(ReadOnlySpan{byte}, int, int, FramePixelFormat)"/>
    public unsafe bool TryEncode(ReadOnlySpan<byte> pixels, int width, int height, FramePixelFormat format, Span<byte> destination, out int written)
    {
        fixed (byte* target = destination)
        {
            written = Run(pixels, width, height, format, ((nint)target, destination.Length), static (jpeg, d) =>
            {
                if (jpeg.Length > d.Item2) return 0;
                jpeg.CopyTo(new Span<byte>((void*)d.Item1, d.Item2));
                return jpeg.Length;
            });
        }
        return written > 0;
    }

    /// <summary>The RGB24 form of <see cref="TryEncode(ReadOnlySpan{byte}, int, int, FramePixelFormat, Span{byte}, out int)"/>: exactly width x height x 3 bytes, as <see cref="Encode(ReadOnlySpan{byte}, int, int)"/>.</summary>
    public bool TryEncode(ReadOnlySpan<byte> rgb24, int width, int height, Span<byte> destination, out int written)
    {
        RequireExactRgb24(rgb24.Length, width, height);
        return TryEncode(rgb24, width, height, FramePixelFormat.Rgb24, destination, out written);
    }

    /// <summary>Encodes one frame into <paramref name="destination"/>, allocating nothing per call; false when the JPEG does not fit.</summary>
    /// <exception cref="ObjectDisposedException">The encoder or the frame was disposed.</exception>
    /// <exception cref="MpegCoderException">FFmpeg's mjpeg encoder is missing, does not open for this picture, or did not encode it; the message says which, in FFmpeg's words.</exception>
    public bool TryEncode(VideoFrame frame, Span<byte> destination, out int written)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return TryEncode(frame.Pixels, frame.Width, frame.Height, frame.PixelFormat, destination, out written);
    }

    private static void RequireExactRgb24(int length, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        long rgb24 = (long)width * height * 3;
        if (length != rgb24)
            throw new ArgumentException(
                $"{width}x{height} RGB24 is exactly {rgb24} bytes; got {length}. For another pixel format, pass its FramePixelFormat (or the VideoFrame).",
                "rgb24");
    }

    private TResult Run<TState, TResult>(ReadOnlySpan<byte> pixels, int width, int height, FramePixelFormat format, TState state, JpegBytesHandler<TState, TResult> take)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (!Enum.IsDefined(format))
            throw new ArgumentException($"{format} is not a FramePixelFormat.", nameof(format));
        long needed = (long)width * height * format.BytesPerPixel();
        if (pixels.Length < needed)
            throw new ArgumentException($"{width}x{height} {format} needs {needed} bytes; got {pixels.Length}.", nameof(pixels));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_codec is null || _codec.Width != width || _codec.Height != height || _codec.Format != format)
            {
                _codec?.Dispose();
                _codec = null;
                _codec = MjpegCodec.Open(width, height, format, QScale);
            }
            return _codec.Encode(pixels, state, take);
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
