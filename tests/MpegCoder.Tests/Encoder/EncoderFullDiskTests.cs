using System.Runtime.InteropServices;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using MpegCoder.Tests.Recording;
using Xunit;

namespace MpegCoder.Tests.Encoder;

/// <summary>
/// MpegEncoder on a small file system of its own that fills: a failed write or trailer returns false with
/// the system's reason, and a trailer that fails while FFmpegSetup closes the previous file stays in LastError.
/// </summary>
public class EncoderFullDiskTests : IDisposable
{
    private const int W = 320, H = 240;
    private readonly TempFolder _folder = new("encoder-disk");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Encoding_onto_a_disk_that_fills_returns_false_with_the_reason()
    {
        using var disk = new SmallDisk(256 << 10);
        using var encoder = new MpegEncoder();
        encoder.SetParameter(videoPath: disk.File("out.mp4"), width: W, height: H, frameRate: (25, 1), GOPSize: 5);
        Assert.True(encoder.FFmpegSetup(), encoder.LastError);
        RecorderFullDiskTests.FillAllBut(disk, 0); // from the header on, nothing more fits
        bool encoded = true;
        for (int i = 0; i < 3000 && encoded; i++) encoded = encoder.EncodeFrame(MpegEncoderTests.Frame(i));
        bool closed = encoder.FFmpegClose();
        Assert.False(encoded && closed, "3000 frames and the trailer written to a full disk: nothing failed");
        Assert.Contains("No space left on device", encoder.LastError);
    }

    [Fact]
    public void A_trailer_that_fails_when_FFmpegSetup_closes_the_previous_file_stays_in_LastError()
    {
        using var disk = new SmallDisk(64 << 10);
        using var encoder = new MpegEncoder();
        encoder.SetParameter(videoPath: disk.File("first.mp4"), width: W, height: H, frameRate: (25, 1));
        Assert.True(encoder.FFmpegSetup(), encoder.LastError);
        RecorderFullDiskTests.FillAllBut(disk, 0);
        // Noise, so that the three frames need more than the page the header's few bytes took; held back by
        // the encoder's lookahead, they are written when the file is finished.
        var noise = new byte[H, W, 3];
        var random = new Random(1);
        for (int i = 0; i < 3; i++)
        {
            random.NextBytes(MemoryMarshal.CreateSpan(ref noise[0, 0, 0], noise.Length));
            Assert.True(encoder.EncodeFrame(noise), encoder.LastError);
        }

        // The next setup closes first.mp4, whose trailer cannot be written, then opens second.mp4.
        Assert.True(encoder.FFmpegSetup(_folder.File("second.mp4")), encoder.LastError);
        Assert.NotNull(encoder.LastError);
        Assert.Contains("first.mp4", encoder.LastError);
        Assert.Contains("No space left on device", encoder.LastError);
        for (int i = 0; i < 10; i++) Assert.True(encoder.EncodeFrame(MpegEncoderTests.Frame(i)));
        Assert.True(encoder.FFmpegClose(), encoder.LastError);
        EncodedFile.Read(_folder.File("second.mp4")).HoldsFrames(10, W, H);

        // The next setup that closes nothing failing starts clean.
        Assert.True(encoder.FFmpegSetup(_folder.File("third.mp4")), encoder.LastError);
        Assert.Null(encoder.LastError);
        Assert.True(encoder.FFmpegClose(), encoder.LastError);
    }
}
