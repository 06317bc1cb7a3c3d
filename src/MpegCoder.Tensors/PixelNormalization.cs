using System.Numerics;

namespace MpegCoder.Tensors;

/// <summary>
/// value = (pixel x <see cref="Scale"/> - <see cref="Mean"/>[c]) / <see cref="Std"/>[c], for each of the
/// tensor's three channels c, in the tensor's channel order.
/// </summary>
/// <remarks>
/// Built with an object initializer (<c>new PixelNormalization { Scale = 1f / 255f, Mean = ..., Std = ... }</c>);
/// a property left out keeps the value of <see cref="None"/> (scale 1, mean 0, std 1). <c>default</c> has a
/// std of 0, which the writes refuse.
/// </remarks>
public readonly record struct PixelNormalization
{
    /// <summary>The identity: scale 1, mean 0, std 1 (the same as <see cref="None"/>).</summary>
    public PixelNormalization()
    {
    }

    /// <summary>Applied to the 0..255 byte first; 1/255 gives 0..1. 1 unless set.</summary>
    public float Scale { get; init; } = 1f;

    /// <summary>Per-channel mean, after scaling. 0 unless set.</summary>
    public Vector3 Mean { get; init; } = Vector3.Zero;

    /// <summary>Per-channel standard deviation, after scaling; no component may be 0. 1 unless set.</summary>
    public Vector3 Std { get; init; } = Vector3.One;

    /// <summary>0..1: pixel / 255.</summary>
    public static PixelNormalization UnitRange { get; } = new() { Scale = 1f / 255f };

    /// <summary>0..255 as floats.</summary>
    public static PixelNormalization None { get; } = new();

    /// <summary>ImageNet's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225) over 0..1, in RGB order.</summary>
    public static PixelNormalization ImageNet { get; } = new()
    {
        Scale = 1f / 255f,
        Mean = new Vector3(0.485f, 0.456f, 0.406f),
        Std = new Vector3(0.229f, 0.224f, 0.225f),
    };

    /// <summary>The same normalisation for the channels in the opposite order (RGB to BGR).</summary>
    public PixelNormalization Reversed() => this with
    {
        Mean = new Vector3(Mean.Z, Mean.Y, Mean.X),
        Std = new Vector3(Std.Z, Std.Y, Std.X),
    };

    internal Vector3 Multiplier => new Vector3(Scale) / Std;

    internal Vector3 Offset => -Mean / Std;
}
