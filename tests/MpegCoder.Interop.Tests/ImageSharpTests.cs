using MpegCoder.ImageSharp;
using MpegCoder.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace MpegCoder.Interop.Tests;

public class ImageSharpTests
{
    private static async Task<VideoFrame> FirstFrame(FramePixelFormat format)
    {
        await using var stream = await VideoStream.OpenAsync(Clips.BarcodeClip(2), new StreamOptions { PixelFormat = format });
        await foreach (var frame in stream.ReadFramesAsync())
            return frame;
        throw new InvalidOperationException("the clip gave no frame");
    }

    [Theory]
    [InlineData(FramePixelFormat.Rgb24)]
    [InlineData(FramePixelFormat.Bgr24)]
    [InlineData(FramePixelFormat.Rgba)]
    [InlineData(FramePixelFormat.Gray8)]
    public async Task A_frame_wraps_as_the_image_of_its_pixel_type_without_copying(FramePixelFormat format)
    {
        using var frame = await FirstFrame(format);
        using Image image = format switch
        {
            FramePixelFormat.Rgb24 => frame.AsImage<Rgb24>(),
            FramePixelFormat.Bgr24 => frame.AsImage<Bgr24>(),
            FramePixelFormat.Rgba => frame.AsImage<Rgba32>(),
            _ => frame.AsImage<L8>(),
        };
        Assert.Equal((frame.Width, frame.Height), (image.Width, image.Height));
        // A view: a pixel drawn on the image is a byte changed in the frame.
        byte before = frame.Pixels[0];
        switch (image)
        {
            case Image<Rgb24> rgb: rgb[0, 0] = new Rgb24((byte)(before ^ 0xFF), 0, 0); break;
            case Image<Bgr24> bgr: bgr[0, 0] = new Bgr24(0, 0, (byte)(before ^ 0xFF)); break;
            case Image<Rgba32> rgba: rgba[0, 0] = new Rgba32((byte)(before ^ 0xFF), 0, 0, 255); break;
            case Image<L8> gray: gray[0, 0] = new L8((byte)(before ^ 0xFF)); break;
        }
        Assert.Equal((byte)(before ^ 0xFF), frame.Pixels[0]);
    }

    [Fact]
    public async Task ToImage_copies_and_converts_to_any_pixel_type()
    {
        using var frame = await FirstFrame(FramePixelFormat.Bgr24);
        using var rgba = frame.ToImage<Rgba32>();
        using var rgb = frame.ToImage<Rgb24>();
        for (int x = 0; x < frame.Width; x += 7)
        {
            int o = 3 * (frame.Width * (frame.Height / 2) + x);
            var expected = new Rgb24(frame.Pixels[o + 2], frame.Pixels[o + 1], frame.Pixels[o]);
            Assert.Equal(expected, rgb[x, frame.Height / 2]);
            Assert.Equal(new Rgba32(expected.R, expected.G, expected.B, 255), rgba[x, frame.Height / 2]);
        }
        byte[] packed = new byte[frame.Width * frame.Height * 3];
        rgb.CopyPixelDataTo(packed);
        Assert.Equal(Barcode.ReadFrame(frame.Pixels, frame.Width, frame.Height), Barcode.ReadFrame(packed, frame.Width, frame.Height)); // black and white: the same in either order
    }

    [Fact]
    public async Task A_pixel_type_other_than_the_frames_is_refused_with_the_way_out()
    {
        using var frame = await FirstFrame(FramePixelFormat.Rgb24);
        var error = Assert.Throws<ArgumentException>(() => frame.AsImage<Bgr24>());
        Assert.Contains("ToImage", error.Message);
    }
}
