using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Encoder;

/// <summary>EncodeFrame(ReadOnlySpan) allocates nothing per frame: convert, encode, mux and write, over 500 frames.</summary>
public class EncodeFrameAllocationTests
{
    [Theory]
    [InlineData("libx264", "mkv")]
    [InlineData("mpeg4", "ts")]
    public void Five_hundred_frames_through_EncodeFrame_span_allocate_nothing(string codec, string extension)
    {
        using var folder = new TempFolder("encoder-alloc");
        string path = folder.File($"alloc.{extension}");
        const int w = 64, h = 48;
        var frames = Enumerable.Range(0, 600).Select(i => Barcode.Render(i, w, h)).ToArray();
        using var encoder = new MpegEncoder();
        encoder.SetParameter(videoPath: path, codecName: codec, width: w, height: h, nthread: 1);
        Assert.True(encoder.FFmpegSetup(), encoder.LastError);

        for (int i = 0; i < 100; i++) Assert.True(encoder.EncodeFrame(frames[i].AsSpan())); // warm up: JIT tiers, encoder lookahead
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 100; i < 600; i++)
            if (!encoder.EncodeFrame(frames[i].AsSpan())) Assert.Fail(encoder.LastError);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(encoder.FFmpegClose(), encoder.LastError);
        EncodedFile.Read(path).HoldsFrames(600, w, h);
    }
}
