using Microsoft.ML.OnnxRuntime.Tensors;
using System.Numerics.Tensors;
using NumericsTensor = System.Numerics.Tensors.Tensor;
using System.Runtime.InteropServices;

namespace MpegCoder.Tensors;

/// <summary>
/// Frames as model inputs: three float channels per pixel, NCHW or NHWC, scaled and normalised per
/// channel in one vectorised pass, written into the caller's buffer. Nothing is allocated per frame.
/// Frames must be <see cref="FramePixelFormat.Rgb24"/> or <see cref="FramePixelFormat.Bgr24"/>; the size
/// is the frame's (set the stream's Width and Height to the model's input size).
/// </summary>
public static class FrameTensor
{
    /// <summary>Floats one frame takes: 3 x width x height.</summary>
    public static int ElementCount(int width, int height) => checked(3 * width * height);

    /// <summary>
    /// Writes packed pixels (one frame: <c>width x height x 3</c> bytes) into <paramref name="destination"/>,
    /// which must hold <see cref="ElementCount"/> floats, channels in RGB order.
    /// </summary>
    /// <exception cref="ArgumentException">The format is not Rgb24/Bgr24, or a buffer is too small.</exception>
    public static void Write(ReadOnlySpan<byte> pixels, int width, int height, FramePixelFormat format, Span<float> destination,
        TensorLayout layout, PixelNormalization normalization) =>
        Write(pixels, width, height, format, destination, layout, normalization, ChannelOrder.Rgb);

    /// <summary>
    /// Writes packed pixels (one frame: <c>width x height x 3</c> bytes) into <paramref name="destination"/>,
    /// which must hold <see cref="ElementCount"/> floats.
    /// </summary>
    /// <exception cref="ArgumentException">The format is not Rgb24/Bgr24, or a buffer is too small.</exception>
    public static void Write(ReadOnlySpan<byte> pixels, int width, int height, FramePixelFormat format, Span<float> destination,
        TensorLayout layout, PixelNormalization normalization, ChannelOrder order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (format is not (FramePixelFormat.Rgb24 or FramePixelFormat.Bgr24))
            throw new ArgumentException($"Tensors are made from Rgb24 or Bgr24 frames, not {format}.", nameof(format));
        int count = ElementCount(width, height);
        if (pixels.Length < count)
            throw new ArgumentException($"{pixels.Length} bytes cannot hold a {width}x{height} frame ({count} bytes).", nameof(pixels));
        if (destination.Length < count)
            throw new ArgumentException($"The destination holds {destination.Length} floats; a {width}x{height} frame needs {count}.", nameof(destination));
        if (normalization.Std.X == 0 || normalization.Std.Y == 0 || normalization.Std.Z == 0)
            throw new ArgumentException("A standard deviation of 0 divides by zero.", nameof(normalization));
        bool swap = (format == FramePixelFormat.Bgr24) != (order == ChannelOrder.Bgr);
        PixelKernel.Convert(pixels, destination, width * height, layout == TensorLayout.Nchw, swap, normalization.Multiplier, normalization.Offset);
    }

    /// <summary>Writes a frame into <paramref name="destination"/>, channels in RGB order.</summary>
    public static void Write(this VideoFrame frame, Span<float> destination, TensorLayout layout, PixelNormalization normalization) =>
        Write(frame, destination, layout, normalization, ChannelOrder.Rgb);

    /// <summary>Writes a frame into <paramref name="destination"/> (see <see cref="Write(ReadOnlySpan{byte}, int, int, FramePixelFormat, Span{float}, TensorLayout, PixelNormalization, ChannelOrder)"/>).</summary>
    public static void Write(this VideoFrame frame, Span<float> destination, TensorLayout layout, PixelNormalization normalization, ChannelOrder order)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Write(frame.Pixels, frame.Width, frame.Height, frame.PixelFormat, destination, layout, normalization, order);
    }

    /// <summary>An ONNX Runtime tensor for <paramref name="batchSize"/> frames: [N, 3, H, W] or [N, H, W, 3].</summary>
    public static DenseTensor<float> CreateDenseTensor(int batchSize, int width, int height, TensorLayout layout) =>
        new(Dimensions(batchSize, width, height, layout));

    /// <summary>Writes a frame into item <paramref name="batchIndex"/> of an ONNX Runtime tensor, channels in RGB order.</summary>
    /// <exception cref="ArgumentException">The tensor's shape does not fit the frame and layout.</exception>
    public static void Write(this VideoFrame frame, DenseTensor<float> tensor, int batchIndex, TensorLayout layout, PixelNormalization normalization) =>
        Write(frame, tensor, batchIndex, layout, normalization, ChannelOrder.Rgb);

    /// <summary>Writes a frame into item <paramref name="batchIndex"/> of an ONNX Runtime tensor of shape [N, 3, H, W] or [N, H, W, 3].</summary>
    /// <exception cref="ArgumentException">The tensor's shape does not fit the frame and layout.</exception>
    public static void Write(this VideoFrame frame, DenseTensor<float> tensor, int batchIndex, TensorLayout layout, PixelNormalization normalization,
        ChannelOrder order)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(tensor);
        CheckShape(tensor.Dimensions, frame, batchIndex, layout);
        int count = ElementCount(frame.Width, frame.Height);
        Write(frame.Pixels, frame.Width, frame.Height, frame.PixelFormat, tensor.Buffer.Span.Slice(batchIndex * count, count), layout, normalization, order);
    }

    /// <summary>A System.Numerics.Tensors tensor for <paramref name="batchSize"/> frames: [N, 3, H, W] or [N, H, W, 3].</summary>
    public static System.Numerics.Tensors.Tensor<float> CreateTensor(int batchSize, int width, int height, TensorLayout layout)
    {
        ReadOnlySpan<int> dims = Dimensions(batchSize, width, height, layout);
        return NumericsTensor.Create<float>(new float[batchSize * ElementCount(width, height)], [dims[0], dims[1], dims[2], dims[3]]);
    }

    /// <summary>Writes a frame into item <paramref name="batchIndex"/> of a dense System.Numerics.Tensors tensor, channels in RGB order.</summary>
    /// <exception cref="ArgumentException">The tensor is not dense, or its shape does not fit the frame and layout.</exception>
    public static void Write(this VideoFrame frame, System.Numerics.Tensors.Tensor<float> tensor, int batchIndex, TensorLayout layout, PixelNormalization normalization) =>
        Write(frame, tensor, batchIndex, layout, normalization, ChannelOrder.Rgb);

    /// <summary>Writes a frame into item <paramref name="batchIndex"/> of a dense System.Numerics.Tensors tensor of shape [N, 3, H, W] or [N, H, W, 3].</summary>
    /// <exception cref="ArgumentException">The tensor is not dense, or its shape does not fit the frame and layout.</exception>
    public static void Write(this VideoFrame frame, System.Numerics.Tensors.Tensor<float> tensor, int batchIndex, TensorLayout layout, PixelNormalization normalization,
        ChannelOrder order)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(tensor);
        TensorSpan<float> span = tensor.AsTensorSpan();
        if (!span.IsDense)
            throw new ArgumentException("The tensor must be dense (one contiguous block).", nameof(tensor));
        Span<int> dims = stackalloc int[span.Rank];
        for (int i = 0; i < dims.Length; i++)
            dims[i] = checked((int)span.Lengths[i]);
        CheckShape(dims, frame, batchIndex, layout);
        int count = ElementCount(frame.Width, frame.Height);
        Span<float> all = MemoryMarshal.CreateSpan(ref span.GetPinnableReference(), checked((int)span.FlattenedLength));
        Write(frame.Pixels, frame.Width, frame.Height, frame.PixelFormat, all.Slice(batchIndex * count, count), layout, normalization, order);
    }

    private static int[] Dimensions(int batchSize, int width, int height, TensorLayout layout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        return layout == TensorLayout.Nchw ? [batchSize, 3, height, width] : [batchSize, height, width, 3];
    }

    private static void CheckShape(ReadOnlySpan<int> dims, VideoFrame frame, int batchIndex, TensorLayout layout)
    {
        bool fits = dims.Length == 4 && (layout == TensorLayout.Nchw
            ? dims[1] == 3 && dims[2] == frame.Height && dims[3] == frame.Width
            : dims[1] == frame.Height && dims[2] == frame.Width && dims[3] == 3);
        if (!fits)
            throw new ArgumentException($"A {frame.Width}x{frame.Height} frame in {layout} needs a tensor of shape " +
                                        (layout == TensorLayout.Nchw ? $"[N, 3, {frame.Height}, {frame.Width}]" : $"[N, {frame.Height}, {frame.Width}, 3]") +
                                        $", not [{string.Join(", ", dims.ToArray())}].");
        ArgumentOutOfRangeException.ThrowIfNegative(batchIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batchIndex, dims[0]);
    }
}
