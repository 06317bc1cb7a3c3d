using System.Buffers;
using OpenCvSharp;

namespace MpegCoder.OpenCvSharp;

/// <summary>
/// A <see cref="Mat"/> header over a frame's pixels, which stay pinned until this is disposed.
/// No pixel is copied; the Mat must not outlive the frame it views.
/// </summary>
public sealed class FrameMat : IDisposable
{
    private MemoryHandle _pin;

    private FrameMat(Mat mat, MemoryHandle pin)
    {
        Mat = mat;
        _pin = pin;
    }

    /// <summary>The view: rows are the frame's rows, packed, in the frame's channel order.</summary>
    public Mat Mat { get; }

    internal static unsafe FrameMat Over(ReadOnlyMemory<byte> pixels, int height, int width, FramePixelFormat format)
    {
        // Pinning keeps the garbage collector from moving the pooled array while OpenCV holds its address.
        MemoryHandle pin = pixels.Pin();
        try
        {
            var mat = Mat.FromPixelData(height, width, OpenCvFrames.MatTypeOf(format), (IntPtr)pin.Pointer);
            return new FrameMat(mat, pin);
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }

    /// <summary>Releases the Mat header, then unpins the pixels.</summary>
    public void Dispose()
    {
        Mat.Dispose();
        _pin.Dispose();
    }
}
