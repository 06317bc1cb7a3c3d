namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// The "frame index barcode": frame N shows 16 vertical columns over the full width; column k
/// (from the left, spanning x in [k*W/16, (k+1)*W/16)) is white when bit k of N is 1, black
/// otherwise, identical over the whole height. Reading it at h/4 and 3h/4 detects torn frames.
/// </summary>
public static class Barcode
{
    public const int Bits = 16;

    /// <summary>Indices wrap after 2^16 frames (about 43 minutes at 25 fps).</summary>
    public const int Modulus = 1 << Bits;

    /// <summary>
    /// lavfi source drawing the barcode (yuv420p, full range of the luma values 0/255, cb=cr=128).
    /// geq evaluates one 2-pixel-high strip (the expression depends only on N and X) which is then
    /// stretched vertically with nearest-neighbour scaling: byte-identical to running geq over the
    /// whole frame but ~H/2 times cheaper. Width and height must be even.
    /// </summary>
    public static string LavfiSource(int width, int height, int fps)
    {
        if (width < Bits || height < 2 || width % 2 != 0 || height % 2 != 0)
            throw new ArgumentException($"Barcode size must be even and at least {Bits}x2, got {width}x{height}");
        if (fps <= 0)
            throw new ArgumentOutOfRangeException(nameof(fps));
        return $"nullsrc=s={width}x2:r={fps}," +
               @"geq=lum='255*bitand(trunc(N/pow(2\,trunc(X*16/W)))\,1)':cb=128:cr=128," +
               $"scale={width}:{height}:flags=neighbor,setsar=1,format=yuv420p";
    }

    /// <summary>Left edge (inclusive) of column <paramref name="k"/>, i.e. ceil(k*W/16).</summary>
    public static int ColumnStart(int k, int width) => (k * width + Bits - 1) / Bits;

    /// <summary>X coordinate sampled for column <paramref name="k"/>: the centre of [k*W/16, (k+1)*W/16).</summary>
    public static int ColumnCentre(int k, int width) => (2 * k + 1) * width / (2 * Bits);

    /// <summary>Reads the index at row <paramref name="y"/> of a packed rgb24 (or bgr24) image without padding.</summary>
    public static int Read(ReadOnlySpan<byte> rgb24, int width, int height, int y) =>
        Read(rgb24, width, height, y, width * 3);

    /// <summary>Reads the index at row <paramref name="y"/> of a packed rgb24 (or bgr24) image with the given stride.</summary>
    public static int Read(ReadOnlySpan<byte> rgb24, int width, int height, int y, int stride)
    {
        if (width < Bits || height <= 0)
            throw new ArgumentException($"Image {width}x{height} is too small for a {Bits}-column barcode");
        if (stride < width * 3)
            throw new ArgumentException($"stride {stride} < width*3 ({width * 3})");
        if ((uint)y >= (uint)height)
            throw new ArgumentOutOfRangeException(nameof(y), $"y={y} outside 0..{height - 1}");
        long needed = (long)y * stride + width * 3;
        if (rgb24.Length < needed)
            throw new ArgumentException($"Buffer of {rgb24.Length} bytes is too small for row {y} (stride {stride})");

        var row = rgb24.Slice(y * stride, width * 3);
        int value = 0;
        for (int k = 0; k < Bits; k++)
        {
            int o = ColumnCentre(k, width) * 3;
            int sum = row[o] + row[o + 1] + row[o + 2];
            if (sum >= 3 * 128) // average of R, G, B >= 128
                value |= 1 << k;
        }
        return value;
    }

    /// <summary>Reads the index at h/4 and at 3h/4; both are equal for an intact frame.</summary>
    public static (int top, int bottom) ReadFrame(ReadOnlySpan<byte> rgb24, int width, int height) =>
        ReadFrame(rgb24, width, height, width * 3);

    /// <summary>Reads the index at h/4 and at 3h/4 of an image with the given stride.</summary>
    public static (int top, int bottom) ReadFrame(ReadOnlySpan<byte> rgb24, int width, int height, int stride) =>
        (Read(rgb24, width, height, height / 4, stride), Read(rgb24, width, height, 3 * height / 4, stride));

    /// <summary>Renders the barcode of <paramref name="index"/> as a packed rgb24 image (what geq draws).</summary>
    public static byte[] Render(int index, int width, int height)
    {
        var img = new byte[width * height * 3];
        var row = new byte[width * 3];
        for (int x = 0; x < width; x++)
        {
            int k = x * Bits / width; // k*W/16 <= x < (k+1)*W/16
            byte v = ((index >> k) & 1) != 0 ? (byte)255 : (byte)0;
            row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = v;
        }
        for (int y = 0; y < height; y++)
            row.CopyTo(img, y * row.Length);
        return img;
    }

    /// <summary>Splits a concatenation of packed rgb24 frames and reads every frame.</summary>
    public static List<(int top, int bottom)> ReadAll(ReadOnlySpan<byte> frames, int width, int height)
    {
        int size = width * height * 3;
        var result = new List<(int, int)>(frames.Length / size);
        for (int off = 0; off + size <= frames.Length; off += size)
            result.Add(ReadFrame(frames.Slice(off, size), width, height));
        return result;
    }
}
