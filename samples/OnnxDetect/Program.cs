// Runs an ONNX Runtime session on a live stream: each frame goes into one reused NCHW tensor
// (MpegCoder.Tensors), normalised in one pass, and the model's output is printed.
// Usage: OnnxDetect <address> [frames]
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using MpegCoder;
using MpegCoder.Tensors;

string address = args.Length > 0 ? args[0] : "rtsp://localhost:8554/video";
int frames = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 25;
const int Size = 224; // the model's input size; the stream's scaler resizes every frame to it

using var session = new InferenceSession(TinyModel.Build(Size, Size));
var input = FrameTensor.CreateDenseTensor(1, Size, Size, TensorLayout.Nchw);
var inputs = new[] { NamedOnnxValue.CreateFromTensor(TinyModel.Input, input) };

await using var stream = await VideoStream.OpenAsync(address, new StreamOptions { Width = Size, Height = Size });
Console.WriteLine($"{stream.Info.CodecName} {stream.Info.Width}x{stream.Info.Height} -> tensor [1, 3, {Size}, {Size}]");

int seen = 0;
await foreach (var frame in stream.ReadFramesAsync())
{
    using (frame)
    {
        long start = Stopwatch.GetTimestamp();
        frame.Write(input, 0, TensorLayout.Nchw, PixelNormalization.ImageNet);
        using var results = session.Run(inputs);
        var mean = results[0].AsTensor<float>();
        Console.WriteLine($"frame {frame.Metadata.Sequence}: channel means {mean[0, 0, 0, 0]:0.000} {mean[0, 1, 0, 0]:0.000} {mean[0, 2, 0, 0]:0.000} " +
                          $"in {Stopwatch.GetElapsedTime(start).TotalMilliseconds:0.00} ms");
    }
    if (++seen == frames)
        break;
}
