using MpegCoder.Recording;
namespace MpegCoder;

/// <summary>
/// How frames are resized to the output size (FFmpeg's swscale algorithms). Only a resize uses it:
/// at the source's own size every choice gives the same picture. The original mpegCoder scales with
/// bicubic, the default here too.
/// </summary>
public enum Scaling
{
    /// <summary>Bicubic (SWS_BICUBIC): the original's choice, sharp, the default.</summary>
    Bicubic,
    /// <summary>Bilinear (SWS_BILINEAR): softer, a little cheaper than bicubic.</summary>
    Bilinear,
    /// <summary>FFmpeg's fast bilinear (SWS_FAST_BILINEAR): the cheapest smooth choice, lower quality.</summary>
    FastBilinear,
    /// <summary>Nearest neighbour (SWS_POINT): blocky, keeps hard edges exactly.</summary>
    Nearest,
    /// <summary>Area averaging (SWS_AREA): good for large reductions.</summary>
    Area,
    /// <summary>Lanczos (SWS_LANCZOS): the sharpest, the most expensive.</summary>
    Lanczos,
}
