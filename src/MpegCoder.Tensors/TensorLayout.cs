namespace MpegCoder.Tensors;

/// <summary>How a tensor orders an image's values.</summary>
public enum TensorLayout
{
    /// <summary>[batch, channel, height, width]: one plane per channel (PyTorch, most ONNX vision models).</summary>
    Nchw,

    /// <summary>[batch, height, width, channel]: channels interleaved per pixel (TensorFlow, OpenCV's order).</summary>
    Nhwc,
}

/// <summary>The order of the three channels in the tensor.</summary>
public enum ChannelOrder
{
    /// <summary>Red, green, blue.</summary>
    Rgb,

    /// <summary>Blue, green, red (models trained on OpenCV's images).</summary>
    Bgr,
}
