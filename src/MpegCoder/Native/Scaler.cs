using MpegCoder.Interop;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Native;

/// <summary>
/// Converts decoded frames to one packed pixel format at a fixed output size with the chosen
/// <see cref="MpegCoder.Scaling"/>. Its <see cref="SwsContextHandle"/> follows the input geometry: kept
/// while it is unchanged, rebuilt when a stream changes resolution or pixel format mid-way, so the
/// output size never changes.
/// </summary>
internal sealed unsafe class Scaler : IDisposable
{
    private readonly SwsContextHandle _context = SwsContextHandle.Empty();
    private readonly int _dstWidth;
    private readonly int _dstHeight;
    private readonly int _dstFormat;
    private readonly int _dstStride;
    private readonly int _flags;

    public Scaler(int dstWidth, int dstHeight, FramePixelFormat format, Scaling scaling = Scaling.Bicubic)
    {
        _dstWidth = dstWidth;
        _dstHeight = dstHeight;
        _dstFormat = format.ToAVPixelFormat();
        _dstStride = dstWidth * format.BytesPerPixel();
        _flags = Flags(scaling);
    }

    /// <summary>Bytes of one output frame.</summary>
    public int FrameBytes => _dstStride * _dstHeight;

    /// <summary>swscale's flag for <paramref name="scaling"/>.</summary>
    public static int Flags(Scaling scaling) => scaling switch
    {
        Scaling.Bicubic => SWS_BICUBIC,
        Scaling.Bilinear => SWS_BILINEAR,
        Scaling.FastBilinear => SWS_FAST_BILINEAR,
        Scaling.Nearest => SWS_POINT,
        Scaling.Area => SWS_AREA,
        Scaling.Lanczos => SWS_LANCZOS,
        _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling, null),
    };

    /// <summary>
    /// Converts one frame straight into <paramref name="destination"/> (FrameBytes long).
    /// Returns false when FFmpeg cannot convert this input (unknown format, zero size).
    /// </summary>
    public bool Convert(byte** srcData, int* srcLinesize, int srcWidth, int srcHeight, int srcFormat, byte* destination)
    {
        var context = _context.Follow(srcWidth, srcHeight, srcFormat, _dstWidth, _dstHeight, _dstFormat, _flags);
        if (context == null) return false;
        byte** dst = stackalloc byte*[4];
        int* dstStride = stackalloc int[4];
        dst[0] = destination;
        dstStride[0] = _dstStride;
        return ffmpeg.sws_scale(context, srcData, srcLinesize, 0, srcHeight, dst, dstStride) == _dstHeight;
    }

    public void Dispose() => _context.Dispose();
}
