using MpegCoder.Interop;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Native;

/// <summary>
/// An owned SwsContext converting decoded frames to one packed pixel format at a fixed output size.
/// sws_getCachedContext keeps the context while the input geometry is unchanged and rebuilds it
/// when a stream changes resolution or pixel format mid-way, so the output size never changes.
/// </summary>
internal sealed unsafe class Scaler : IDisposable
{
    private SwsContext* _context;
    private readonly int _dstWidth;
    private readonly int _dstHeight;
    private readonly int _dstFormat;
    private readonly int _dstStride;

    public Scaler(int dstWidth, int dstHeight, FramePixelFormat format)
    {
        _dstWidth = dstWidth;
        _dstHeight = dstHeight;
        _dstFormat = format.ToAVPixelFormat();
        _dstStride = dstWidth * format.BytesPerPixel();
    }

    /// <summary>Bytes of one output frame.</summary>
    public int FrameBytes => _dstStride * _dstHeight;

    /// <summary>
    /// Converts one frame straight into <paramref name="destination"/> (FrameBytes long).
    /// Returns false when FFmpeg cannot convert this input (unknown format, zero size).
    /// </summary>
    public bool Convert(byte** srcData, int* srcLinesize, int srcWidth, int srcHeight, int srcFormat, byte* destination)
    {
        _context = ffmpeg.sws_getCachedContext(_context, srcWidth, srcHeight, srcFormat,
            _dstWidth, _dstHeight, _dstFormat, SWS_BILINEAR, null, null, null);
        if (_context == null) return false;
        byte** dst = stackalloc byte*[4];
        int* dstStride = stackalloc int[4];
        dst[0] = destination;
        dstStride[0] = _dstStride;
        return ffmpeg.sws_scale(_context, srcData, srcLinesize, 0, srcHeight, dst, dstStride) == _dstHeight;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~Scaler() => Free();

    private void Free()
    {
        var context = _context;
        _context = null;
        if (context != null) ffmpeg.sws_freeContext(context);
    }
}
