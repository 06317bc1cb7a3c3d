using System.Numerics;
using Microsoft.ML.OnnxRuntime.Tensors;
using MpegCoder.Tensors;
using MpegCoder.Tests.Infrastructure;
using OpenCvSharp;
using Xunit;

namespace MpegCoder.Interop.Tests;

public class TensorTests(LiveStreamFixture live) : IClassFixture<LiveStreamFixture>
{
    private static readonly PixelNormalization Odd = new() { Scale = 1f / 255f, Mean = new Vector3(0.1f, 0.5f, 0.9f), Std = new Vector3(0.2f, 0.3f, 0.7f) };

    /// <summary>The plain loop the vectorised pass must equal.</summary>
    private static float[] Reference(byte[] pixels, int width, int height, bool sourceBgr, TensorLayout layout, PixelNormalization n, ChannelOrder order)
    {
        var output = new float[3 * width * height];
        float[] mean = [n.Mean.X, n.Mean.Y, n.Mean.Z], std = [n.Std.X, n.Std.Y, n.Std.Z];
        for (int p = 0; p < width * height; p++)
        for (int c = 0; c < 3; c++)
        {
            int rgbChannel = order == ChannelOrder.Rgb ? c : 2 - c;
            int source = sourceBgr ? 2 - rgbChannel : rgbChannel;
            float value = (pixels[3 * p + source] * n.Scale - mean[c]) / std[c];
            output[layout == TensorLayout.Nchw ? c * width * height + p : 3 * p + c] = value;
        }
        return output;
    }

    [Theory]
    [InlineData(TensorLayout.Nchw, ChannelOrder.Rgb, FramePixelFormat.Rgb24, 37, 5)]
    [InlineData(TensorLayout.Nchw, ChannelOrder.Rgb, FramePixelFormat.Bgr24, 16, 1)]
    [InlineData(TensorLayout.Nchw, ChannelOrder.Bgr, FramePixelFormat.Bgr24, 64, 3)]
    [InlineData(TensorLayout.Nchw, ChannelOrder.Bgr, FramePixelFormat.Rgb24, 5, 3)]
    [InlineData(TensorLayout.Nhwc, ChannelOrder.Rgb, FramePixelFormat.Rgb24, 37, 5)]
    [InlineData(TensorLayout.Nhwc, ChannelOrder.Rgb, FramePixelFormat.Bgr24, 33, 2)]
    [InlineData(TensorLayout.Nhwc, ChannelOrder.Bgr, FramePixelFormat.Bgr24, 16, 16)]
    [InlineData(TensorLayout.Nhwc, ChannelOrder.Bgr, FramePixelFormat.Rgb24, 7, 9)]
    public void The_vectorised_pass_equals_the_plain_loop(TensorLayout layout, ChannelOrder order, FramePixelFormat format, int width, int height)
    {
        var pixels = new byte[3 * width * height];
        new Random(width * 31 + height).NextBytes(pixels);
        var output = new float[FrameTensor.ElementCount(width, height)];
        FrameTensor.Write(pixels, width, height, format, output, layout, Odd, order);
        var expected = Reference(pixels, width, height, format == FramePixelFormat.Bgr24, layout, Odd, order);
        for (int i = 0; i < output.Length; i++)
            Assert.True(Math.Abs(expected[i] - output[i]) < 1e-4f, $"element {i}: {output[i]} != {expected[i]}");
    }

    [Fact]
    public void The_pass_allocates_nothing()
    {
        var pixels = new byte[3 * 640 * 480];
        var output = new float[pixels.Length];
        FrameTensor.Write(pixels, 640, 480, FramePixelFormat.Bgr24, output, TensorLayout.Nchw, PixelNormalization.ImageNet);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
            FrameTensor.Write(pixels, 640, 480, FramePixelFormat.Bgr24, output, TensorLayout.Nchw, PixelNormalization.ImageNet);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void It_equals_OpenCVs_blobFromImage_on_the_same_frame()
    {
        int width = 320, height = 240;
        byte[] bgr = ToBgr(Barcode.Render(1234, width, height));
        new Random(7).NextBytes(bgr.AsSpan(0, 3 * width * 20)); // colour in the first rows, so a channel mix-up shows
        using var image = Mat.FromPixelData(height, width, MatType.CV_8UC3, bgr);
        using var blob = global::OpenCvSharp.Dnn.CvDnn.BlobFromImage(image, 1 / 255.0, new global::OpenCvSharp.Size(width, height), new Scalar(0, 0, 0), swapRB: true, crop: false);
        Assert.Equal([1, 3, height, width], Enumerable.Range(0, blob.Dims).Select(blob.Size));
        var expected = new float[blob.Total()];
        System.Runtime.InteropServices.Marshal.Copy(blob.Data, expected, 0, expected.Length);
        var output = new float[FrameTensor.ElementCount(width, height)];
        FrameTensor.Write(bgr, width, height, FramePixelFormat.Bgr24, output, TensorLayout.Nchw, PixelNormalization.UnitRange);
        Assert.Equal(expected.Length, output.Length);
        for (int i = 0; i < output.Length; i++)
            Assert.True(Math.Abs(expected[i] - output[i]) < 1e-6f, $"element {i}: {output[i]} != {expected[i]}");
    }

    [Fact]
    public async Task Live_frames_go_into_an_OnnxRuntime_DenseTensor_and_a_System_Numerics_Tensor()
    {
        await using var stream = await VideoStream.OpenAsync(live.Server.Url);
        var dense = FrameTensor.CreateDenseTensor(2, stream.Width, stream.Height, TensorLayout.Nchw);
        var tensor = FrameTensor.CreateTensor(1, stream.Width, stream.Height, TensorLayout.Nhwc);
        int checkedFrames = 0;
        await foreach (var frame in stream.ReadFramesAsync())
        {
            using (frame)
            {
                frame.Write(dense, 1, TensorLayout.Nchw, PixelNormalization.UnitRange);
                frame.Write(tensor, 0, TensorLayout.Nhwc, PixelNormalization.None);
                // The barcode's first column (bit 0) read back from both tensors.
                bool bit0 = frame.Pixels[3 * (frame.Width * (frame.Height / 4) + Barcode.ColumnCentre(0, frame.Width))] > 127;
                Assert.Equal(bit0, dense[1, 0, frame.Height / 4, Barcode.ColumnCentre(0, frame.Width)] > 0.5f);
                Assert.Equal(bit0, tensor[0, frame.Height / 4, Barcode.ColumnCentre(0, frame.Width), 0] > 127f);
                Assert.Equal(0f, dense.Buffer.Span[0]); // item 0 untouched
                var wrongShape = FrameTensor.CreateDenseTensor(1, 10, 10, TensorLayout.Nchw);
                var error = Assert.Throws<ArgumentException>(() => frame.Write(wrongShape, 0, TensorLayout.Nchw, PixelNormalization.UnitRange));
                Assert.Contains("needs a tensor of shape", error.Message);
                checkedFrames++;
                break;
            }
        }
        Assert.Equal(1, checkedFrames);
    }

    [Fact]
    public void The_ONNX_sample_runs_a_session_on_the_live_stream()
    {
        var result = SamplePrograms.Run("OnnxDetect", [live.Server.Url, "10"], TimeSpan.FromSeconds(60));
        Assert.Contains("-> tensor [1, 3, 224, 224]", result.StdOutText);
        Assert.Equal(10, result.StdOutText.Split('\n').Count(l => l.StartsWith("frame ", StringComparison.Ordinal) && l.Contains("channel means")));
    }

    private static byte[] ToBgr(byte[] rgb)
    {
        var bgr = (byte[])rgb.Clone();
        for (int i = 0; i < bgr.Length; i += 3)
            (bgr[i], bgr[i + 2]) = (bgr[i + 2], bgr[i]);
        return bgr;
    }
}
