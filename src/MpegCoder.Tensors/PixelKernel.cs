using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace MpegCoder.Tensors;

/// <summary>
/// Packed 3-channel bytes to normalised floats, in one pass over the pixels: 16 pixels (48 bytes) at a
/// time are regrouped by byte shuffles (a channel plane for NCHW, a channel swap for NHWC), widened to
/// floats and multiplied-added with per-channel factors. The remainder, and machines without a byte
/// shuffle, take the scalar loop.
/// </summary>
internal static class PixelKernel
{
    private const int BlockPixels = 16;
    private const int BlockBytes = 3 * BlockPixels;

    // Gather[g][o][s]: the shuffle that takes output vector o's bytes from source vector s (0x80 = none).
    // g: 0 = NCHW keeping the order, 1 = NCHW swapping first and third channel, 2 = NHWC swapping.
    private static readonly Vector128<byte>[][][] Gather = [Tables(planar: true, swap: false), Tables(planar: true, swap: true), Tables(planar: false, swap: true)];

    public static void Convert(ReadOnlySpan<byte> pixels, Span<float> destination, int pixelCount, bool planar, bool swap, Vector3 multiplier, Vector3 offset)
    {
        int done = Vector128.IsHardwareAccelerated && (Ssse3.IsSupported || AdvSimd.Arm64.IsSupported)
            ? (planar ? Planar(pixels, destination, pixelCount, swap, multiplier, offset)
                      : Interleaved(pixels, destination, pixelCount, swap, multiplier, offset))
            : 0;
        Scalar(pixels, destination, pixelCount, done, planar, swap, multiplier, offset);
    }

    private static int Planar(ReadOnlySpan<byte> pixels, Span<float> destination, int pixelCount, bool swap, Vector3 multiplier, Vector3 offset)
    {
        var table = Gather[swap ? 1 : 0];
        ref byte src = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(pixels);
        ref float dst = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        Span<Vector128<float>> a = [Vector128.Create(multiplier.X), Vector128.Create(multiplier.Y), Vector128.Create(multiplier.Z)];
        Span<Vector128<float>> b = [Vector128.Create(offset.X), Vector128.Create(offset.Y), Vector128.Create(offset.Z)];
        int p = 0;
        for (; p + BlockPixels <= pixelCount; p += BlockPixels)
        {
            var (v0, v1, v2) = LoadBlock(ref src, p);
            for (int c = 0; c < 3; c++)
            {
                var bytes = Pick(v0, v1, v2, table[c]);
                Store(bytes, a[c], a[c], a[c], a[c], b[c], b[c], b[c], b[c], ref Unsafe.Add(ref dst, c * pixelCount + p));
            }
        }
        return p;
    }

    private static int Interleaved(ReadOnlySpan<byte> pixels, Span<float> destination, int pixelCount, bool swap, Vector3 multiplier, Vector3 offset)
    {
        var table = Gather[2];
        ref byte src = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(pixels);
        ref float dst = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        // The float vector m of a block holds values 4m..4m+3, whose channels repeat every 3 vectors.
        Span<float> am = [multiplier.X, multiplier.Y, multiplier.Z];
        Span<float> bm = [offset.X, offset.Y, offset.Z];
        Span<Vector128<float>> a = stackalloc Vector128<float>[3];
        Span<Vector128<float>> b = stackalloc Vector128<float>[3];
        for (int m = 0; m < 3; m++)
        {
            a[m] = Vector128.Create(am[(4 * m) % 3], am[(4 * m + 1) % 3], am[(4 * m + 2) % 3], am[(4 * m + 3) % 3]);
            b[m] = Vector128.Create(bm[(4 * m) % 3], bm[(4 * m + 1) % 3], bm[(4 * m + 2) % 3], bm[(4 * m + 3) % 3]);
        }
        int p = 0;
        for (; p + BlockPixels <= pixelCount; p += BlockPixels)
        {
            var (v0, v1, v2) = LoadBlock(ref src, p);
            if (swap)
                (v0, v1, v2) = (Pick(v0, v1, v2, table[0]), Pick(v0, v1, v2, table[1]), Pick(v0, v1, v2, table[2]));
            ref float output = ref Unsafe.Add(ref dst, 3 * p);
            // Output vector o (16 bytes) becomes float vectors 4o..4o+3, with patterns (4o+k) % 3.
            Store(v0, a[0], a[1], a[2], a[0], b[0], b[1], b[2], b[0], ref output);
            Store(v1, a[1], a[2], a[0], a[1], b[1], b[2], b[0], b[1], ref Unsafe.Add(ref output, 16));
            Store(v2, a[2], a[0], a[1], a[2], b[2], b[0], b[1], b[2], ref Unsafe.Add(ref output, 32));
        }
        return p;
    }

    /// <summary>The 48 bytes of the 16 pixels from <paramref name="pixel"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<byte>, Vector128<byte>, Vector128<byte>) LoadBlock(ref byte pixels, int pixel)
    {
        ref byte block = ref Unsafe.Add(ref pixels, 3 * pixel);
        return (Vector128.LoadUnsafe(ref block), Vector128.LoadUnsafe(ref block, 16), Vector128.LoadUnsafe(ref block, 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Pick(Vector128<byte> v0, Vector128<byte> v1, Vector128<byte> v2, Vector128<byte>[] table) =>
        Shuffle(v0, table[0]) | Shuffle(v1, table[1]) | Shuffle(v2, table[2]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Shuffle(Vector128<byte> v, Vector128<byte> indices) =>
        Ssse3.IsSupported ? Ssse3.Shuffle(v, indices) : AdvSimd.Arm64.VectorTableLookup(v, indices);

    /// <summary>16 bytes to 16 floats, each 4 multiplied by a0..a3 and offset by b0..b3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<byte> bytes, Vector128<float> a0, Vector128<float> a1, Vector128<float> a2, Vector128<float> a3,
        Vector128<float> b0, Vector128<float> b1, Vector128<float> b2, Vector128<float> b3, ref float destination)
    {
        var (lo, hi) = Vector128.Widen(bytes);
        var (w0, w1) = Vector128.Widen(lo);
        var (w2, w3) = Vector128.Widen(hi);
        (Vector128.ConvertToSingle(w0.AsInt32()) * a0 + b0).StoreUnsafe(ref destination);
        (Vector128.ConvertToSingle(w1.AsInt32()) * a1 + b1).StoreUnsafe(ref destination, 4);
        (Vector128.ConvertToSingle(w2.AsInt32()) * a2 + b2).StoreUnsafe(ref destination, 8);
        (Vector128.ConvertToSingle(w3.AsInt32()) * a3 + b3).StoreUnsafe(ref destination, 12);
    }

    private static void Scalar(ReadOnlySpan<byte> pixels, Span<float> destination, int pixelCount, int from, bool planar, bool swap, Vector3 multiplier, Vector3 offset)
    {
        Span<float> a = [multiplier.X, multiplier.Y, multiplier.Z];
        Span<float> b = [offset.X, offset.Y, offset.Z];
        for (int p = from; p < pixelCount; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                float value = pixels[3 * p + (swap ? 2 - c : c)] * a[c] + b[c];
                destination[planar ? c * pixelCount + p : 3 * p + c] = value;
            }
        }
    }

    private static Vector128<byte>[][] Tables(bool planar, bool swap)
    {
        var tables = new Vector128<byte>[3][];
        Span<byte> lanes = stackalloc byte[16];
        for (int o = 0; o < 3; o++)
        {
            tables[o] = new Vector128<byte>[3];
            for (int s = 0; s < 3; s++)
            {
                for (int j = 0; j < 16; j++)
                {
                    // The block byte that output byte j of vector o comes from.
                    int source = planar
                        ? 3 * j + (swap ? 2 - o : o)
                        : (16 * o + j) - (16 * o + j) % 3 + (swap ? 2 - (16 * o + j) % 3 : (16 * o + j) % 3);
                    lanes[j] = source / 16 == s ? (byte)(source % 16) : (byte)0x80;
                }
                tables[o][s] = Vector128.Create((ReadOnlySpan<byte>)lanes);
            }
        }
        return tables;
    }
}
