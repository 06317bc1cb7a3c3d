using MpegCoder.Imaging;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Player.Tests.Imaging;

/// <summary>The library's JPEG encoder (FFmpeg's mjpeg), checked by decoding its files with the ffmpeg CLI.</summary>
public class JpegEncoderTests
{
    [Theory]
    [InlineData(1234, 320, 240)]
    [InlineData(0xA5A5, 480, 360)]
    [InlineData(1, 17 * 16 + 1, 99)] // odd sizes: the chroma planes round up
    public void A_barcode_picture_decodes_back_to_the_same_index(int index, int width, int height)
    {
        using var encoder = new JpegEncoder();
        byte[] jpeg = encoder.Encode(Barcode.Render(index, width, height), width, height, FramePixelFormat.Rgb24);

        Assert.Equal([0xFF, 0xD8], jpeg[..2]);   // SOI
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);  // EOI
        byte[] rgb = ImageFiles.DecodeRgb24(jpeg);
        Assert.Equal(width * height * 3, rgb.Length);
        Assert.Equal((index, index), Barcode.ReadFrame(rgb, width, height));
    }

    [Fact]
    public void One_encoder_follows_size_changes_and_encodes_many_frames()
    {
        using var encoder = new JpegEncoder();
        for (int i = 0; i < 30; i++)
        {
            (int w, int h) = i % 10 == 9 ? (160, 120) : (320, 240);
            byte[] rgb = ImageFiles.DecodeRgb24(encoder.Encode(Barcode.Render(i * 997, w, h), w, h, FramePixelFormat.Rgb24));
            Assert.Equal((i * 997, i * 997), Barcode.ReadFrame(rgb, w, h));
        }
    }

    [Fact]
    public void TryEncode_writes_the_same_file_into_a_callers_buffer_and_refuses_a_small_one()
    {
        using var encoder = new JpegEncoder(quality: 70);
        byte[] picture = Barcode.Render(4321, 320, 240);
        byte[] expected = encoder.Encode(picture, 320, 240, FramePixelFormat.Rgb24);

        var buffer = new byte[expected.Length + 100];
        Assert.True(encoder.TryEncode(picture, 320, 240, FramePixelFormat.Rgb24, buffer, out int written));
        Assert.Equal(expected, buffer[..written]);

        Assert.False(encoder.TryEncode(picture, 320, 240, FramePixelFormat.Rgb24, new byte[expected.Length - 1], out written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Higher_quality_gives_a_larger_file()
    {
        // A picture with detail everywhere (a noise-like gradient), where the quantiser matters.
        const int w = 320, h = 240;
        var picture = new byte[w * h * 3];
        for (int i = 0; i < picture.Length; i++) picture[i] = (byte)((i * 7919) ^ (i >> 5));
        using var low = new JpegEncoder(quality: 10);
        using var high = new JpegEncoder(quality: 95);
        int lowSize = low.Encode(picture, w, h, FramePixelFormat.Rgb24).Length, highSize = high.Encode(picture, w, h, FramePixelFormat.Rgb24).Length;
        Assert.True(highSize > 2 * lowSize, $"quality 95: {highSize} bytes, quality 10: {lowSize} bytes");
    }

    [Fact]
    public void TryEncode_allocates_nothing_per_picture()
    {
        const int w = 320, h = 240;
        byte[] picture = Barcode.Render(77, w, h);
        var buffer = new byte[256 * 1024];
        using var encoder = new JpegEncoder();
        for (int i = 0; i < 20; i++) Assert.True(encoder.TryEncode(picture, w, h, FramePixelFormat.Rgb24, buffer, out _)); // warm up: JIT tiers
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) encoder.TryEncode(picture, w, h, FramePixelFormat.Rgb24, buffer, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_picture_the_encoder_refuses_throws_an_MpegCoderException_naming_the_encoder()
    {
        // JPEG stores sizes in 16 bits: FFmpeg's mjpeg encoder refuses to open above 65500 pixels a side.
        const int w = 70_000, h = 2;
        using var encoder = new JpegEncoder();
        var e = Assert.ThrowsAny<MpegCoderException>(() => encoder.Encode(new byte[w * h * 3], w, h, FramePixelFormat.Rgb24));
        Assert.StartsWith("The encoder mjpeg does not open at 70000x2", e.Message);
        Assert.NotEmpty(encoder.Encode(new byte[16 * 16 * 3], 16, 16)); // the encoder is still usable
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JpegEncoder(quality: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JpegEncoder(quality: 101));
        var encoder = new JpegEncoder();
        Assert.Throws<ArgumentException>(() => encoder.Encode(new byte[100], 320, 240, FramePixelFormat.Rgb24));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(new byte[100], 0, 1, FramePixelFormat.Rgb24));
        encoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(new byte[3], 1, 1, FramePixelFormat.Rgb24));
    }

    /// <summary>
    /// A picture of four colour bars (red, green, blue, white) written in each pixel format: the JPEG
    /// shows the same colours whatever the layout the pixels came in.
    /// </summary>
    [Theory]
    [InlineData(FramePixelFormat.Rgb24)]
    [InlineData(FramePixelFormat.Bgr24)]
    [InlineData(FramePixelFormat.Rgba)]
    public void Each_pixel_format_gives_the_same_colours(FramePixelFormat format)
    {
        const int w = 64, h = 32;
        (byte r, byte g, byte b)[] bars = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)];
        int bpp = format == FramePixelFormat.Rgba ? 4 : 3;
        var pixels = new byte[w * h * bpp];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, b) = bars[x * bars.Length / w];
                int i = (y * w + x) * bpp;
                (pixels[i], pixels[i + 1], pixels[i + 2]) = format == FramePixelFormat.Bgr24 ? (b, g, r) : (r, g, b);
                if (bpp == 4) pixels[i + 3] = 255;
            }

        using var encoder = new JpegEncoder(quality: 95);
        byte[] rgb = ImageFiles.DecodeRgb24(encoder.Encode(pixels, w, h, format));
        for (int bar = 0; bar < bars.Length; bar++)
        {
            int i = ((h / 2) * w + bar * w / bars.Length + w / bars.Length / 2) * 3; // the middle of the bar
            var expected = bars[bar];
            Assert.True(Math.Abs(rgb[i] - expected.r) < 40 && Math.Abs(rgb[i + 1] - expected.g) < 40 && Math.Abs(rgb[i + 2] - expected.b) < 40,
                $"{format}, bar {bar}: expected {expected}, the JPEG shows ({rgb[i]}, {rgb[i + 1]}, {rgb[i + 2]})");
        }
    }

    [Fact]
    public void A_buffer_too_small_for_its_format_is_refused()
    {
        using var encoder = new JpegEncoder();
        var e = Assert.Throws<ArgumentException>(() => encoder.Encode(new byte[16 * 16 * 3], 16, 16, FramePixelFormat.Rgba));
        Assert.Contains("16x16 Rgba needs 1024 bytes; got 768", e.Message);
        Assert.Throws<ArgumentException>(() => encoder.Encode(new byte[16 * 16 * 3], 16, 16, (FramePixelFormat)42));
        // The RGB24 form takes exactly one RGB24 picture: an RGBA one (or a gray one) is refused, not misread.
        e = Assert.Throws<ArgumentException>(() => encoder.Encode(new byte[16 * 16 * 4], 16, 16));
        Assert.Contains("16x16 RGB24 is exactly 768 bytes; got 1024", e.Message);
        Assert.Throws<ArgumentException>(() => encoder.TryEncode(new byte[16 * 16], 16, 16, new byte[10000], out _));
        Assert.NotEmpty(encoder.Encode(new byte[16 * 16 * 3], 16, 16));
    }
}
