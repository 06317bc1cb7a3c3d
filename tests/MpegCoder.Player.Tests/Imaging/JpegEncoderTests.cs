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
        byte[] jpeg = encoder.Encode(Barcode.Render(index, width, height), width, height);

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
            byte[] rgb = ImageFiles.DecodeRgb24(encoder.Encode(Barcode.Render(i * 997, w, h), w, h));
            Assert.Equal((i * 997, i * 997), Barcode.ReadFrame(rgb, w, h));
        }
    }

    [Fact]
    public void TryEncode_writes_the_same_file_into_a_callers_buffer_and_refuses_a_small_one()
    {
        using var encoder = new JpegEncoder(quality: 70);
        byte[] picture = Barcode.Render(4321, 320, 240);
        byte[] expected = encoder.Encode(picture, 320, 240);

        var buffer = new byte[expected.Length + 100];
        Assert.True(encoder.TryEncode(picture, 320, 240, buffer, out int written));
        Assert.Equal(expected, buffer[..written]);

        Assert.False(encoder.TryEncode(picture, 320, 240, new byte[expected.Length - 1], out written));
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
        int lowSize = low.Encode(picture, w, h).Length, highSize = high.Encode(picture, w, h).Length;
        Assert.True(highSize > 2 * lowSize, $"quality 95: {highSize} bytes, quality 10: {lowSize} bytes");
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JpegEncoder(quality: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JpegEncoder(quality: 101));
        var encoder = new JpegEncoder();
        Assert.Throws<ArgumentException>(() => encoder.Encode(new byte[100], 320, 240));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(new byte[100], 0, 1));
        encoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(new byte[3], 1, 1));
    }
}
