using System.Numerics;

namespace MpegCoder.Tensors;

/// <summary>
/// value = (pixel x <see cref="Scale"/> - mean[c]) / std[c], for each of the tensor's three channels c,
/// in the tensor's channel order.
/// </summary>
/// <param name="Scale">Applied to the 0..255 byte first; 1/255 gives 0..1.</param>
/// <param name="Mean">Per-channel mean, after scaling.</param>
/// <param name="Std">Per-channel standard deviation, after scaling; no component may be 0.</param>
public readonly record struct PixelNormalization(float Scale, Vector3 Mean, Vector3 Std)
{
    /// <summary>0..1: pixel / 255.</summary>
    public static PixelNormalization UnitRange { get; } = new(1f / 255f, Vector3.Zero, Vector3.One);

    /// <summary>0..255 as floats.</summary>
    public static PixelNormalization None { get; } = new(1f, Vector3.Zero, Vector3.One);

    /// <summary>ImageNet's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225) over 0..1, in RGB order.</summary>
    public static PixelNormalization ImageNet { get; } = new(1f / 255f, new Vector3(0.485f, 0.456f, 0.406f), new Vector3(0.229f, 0.224f, 0.225f));

    /// <summary>The same normalisation for the channels in the opposite order (RGB to BGR).</summary>
    public PixelNormalization Reversed() => new(Scale, new Vector3(Mean.Z, Mean.Y, Mean.X), new Vector3(Std.Z, Std.Y, Std.X));

    internal Vector3 Multiplier => new Vector3(Scale) / Std;

    internal Vector3 Offset => -Mean / Std;
}
