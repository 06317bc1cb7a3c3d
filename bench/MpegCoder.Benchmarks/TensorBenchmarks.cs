using BenchmarkDotNet.Attributes;
using MpegCoder.Tensors;
using MpegCoder.Tests.Infrastructure;
using OpenCvSharp;

namespace MpegCoder.Benchmarks;

/// <summary>
/// One BGR24 frame to a normalised float tensor, three ways on the same frame: MpegCoder.Tensors'
/// vectorised pass, the plain per-pixel loop people write, and OpenCV's dnn::blobFromImage (which
/// allocates its output Mat and has no per-channel std, so it does less work).
/// Run: MpegCoder.Benchmarks bdn --filter '*TensorBenchmarks*' --job short --memory
/// </summary>
[MemoryDiagnoser]
public class TensorBenchmarks
{
    private byte[] _bgr = [];
    private float[] _tensor = [];
    private Mat _image = new();
    private readonly float[] _mean = [0.485f, 0.456f, 0.406f];
    private readonly float[] _std = [0.229f, 0.224f, 0.225f];

    /// <summary>Square model input sizes: 224 (classifiers), 640 (YOLO-style detectors).</summary>
    [Params(224, 640)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bgr = Barcode.Render(12345, Size, Size);
        new Random(1).NextBytes(_bgr.AsSpan(0, _bgr.Length / 2)); // colour, not only black and white
        _tensor = new float[FrameTensor.ElementCount(Size, Size)];
        _image = Mat.FromPixelData(Size, Size, MatType.CV_8UC3, _bgr);
    }

    [GlobalCleanup]
    public void Cleanup() => _image.Dispose();

    [Benchmark(Baseline = true, Description = "plain loop, NCHW RGB, mean/std")]
    public float PlainLoop()
    {
        int pixels = Size * Size;
        for (int p = 0; p < pixels; p++)
        {
            for (int c = 0; c < 3; c++)
                _tensor[c * pixels + p] = (_bgr[3 * p + 2 - c] / 255f - _mean[c]) / _std[c];
        }
        return _tensor[0];
    }

    [Benchmark(Description = "FrameTensor.Write, NCHW RGB, mean/std")]
    public float VectorisedNchw()
    {
        FrameTensor.Write(_bgr, Size, Size, FramePixelFormat.Bgr24, _tensor, TensorLayout.Nchw, PixelNormalization.ImageNet);
        return _tensor[0];
    }

    [Benchmark(Description = "FrameTensor.Write, NHWC RGB, mean/std")]
    public float VectorisedNhwc()
    {
        FrameTensor.Write(_bgr, Size, Size, FramePixelFormat.Bgr24, _tensor, TensorLayout.Nhwc, PixelNormalization.ImageNet);
        return _tensor[0];
    }

    [Benchmark(Description = "OpenCV blobFromImage, NCHW RGB, mean only")]
    public float OpenCvBlob()
    {
        using var blob = global::OpenCvSharp.Dnn.CvDnn.BlobFromImage(_image, 1 / 255.0, new Size(Size, Size), new Scalar(0.406 * 255, 0.456 * 255, 0.485 * 255), swapRB: true, crop: false);
        return blob.At<float>(0, 0, 0, 0);
    }
}
