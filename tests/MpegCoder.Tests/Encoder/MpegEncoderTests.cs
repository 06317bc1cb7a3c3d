using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Encoder;

/// <summary>
/// MpegEncoder writes files that decode again: barcode frames go in, the ffmpeg CLI decodes the file,
/// and every frame's index, the frame count, the size, the codec and the container must come back.
/// </summary>
public class MpegEncoderTests : IDisposable
{
    private const int W = 320, H = 240;
    private readonly TempFolder _folder = new("encoder");

    public void Dispose() => _folder.Dispose();

    /// <summary>The barcode of <paramref name="index"/> as the client's frame shape, byte[h, w, 3].</summary>
    internal static byte[,,] Frame(int index, int width = W, int height = H)
    {
        var frame = new byte[height, width, 3];
        Buffer.BlockCopy(Barcode.Render(index, width, height), 0, frame, 0, frame.Length);
        return frame;
    }

    [Theory]
    [InlineData("libx264", "mp4", "h264", "mov,mp4,m4a,3gp,3g2,mj2")]
    [InlineData("libx264", "mkv", "h264", "matroska,webm")]
    [InlineData("libx265", "mkv", "hevc", "matroska,webm")]
    [InlineData("mpeg4", "avi", "mpeg4", "avi")]
    [InlineData("mjpeg", "avi", "mjpeg", "avi")]
    [InlineData("ffv1", "mkv", "ffv1", "matroska,webm")]
    [InlineData("h264", "ts", "h264", "mpegts")]
    public void Frames_encoded_into_a_file_decode_back_in_order_at_their_size(string codecName, string extension, string codec, string format)
    {
        string path = _folder.File($"out.{extension}");
        using var encoder = new MpegEncoder();
        encoder.SetParameter(videoPath: path, codecName: codecName, width: W, height: H, frameRate: (25, 1), GOPSize: 12, maxBframe: 2);
        Assert.True(encoder.FFmpegSetup(), encoder.LastError);
        for (int i = 0; i < 50; i++)
            Assert.True(encoder.EncodeFrame(Frame(i)), encoder.LastError);
        Assert.True(encoder.FFmpegClose(), encoder.LastError);

        var file = EncodedFile.Read(path);
        Assert.Equal(codec, file.Codec);
        Assert.Equal(format, file.Format);
        file.HoldsFrames(50, W, H);
    }

    [Fact]
    public void Frames_of_another_size_are_scaled_to_the_encoded_size()
    {
        string path = _folder.File("scaled.mp4");
        using var encoder = new MpegEncoder();
        encoder.SetParameter(videoPath: path, width: 160, height: 120, widthSrc: 640, heightSrc: 480);
        Assert.True(encoder.FFmpegSetup(), encoder.LastError);
        Assert.Equal(640 * 480 * 3, encoder.FrameBytes);
        for (int i = 0; i < 30; i++)
            Assert.True(encoder.EncodeFrame(Barcode.Render(i, 640, 480).AsSpan()), encoder.LastError);
        Assert.True(encoder.FFmpegClose(), encoder.LastError);
        EncodedFile.Read(path).HoldsFrames(30, 160, 120);
    }

    [Fact]
    public void A_second_setup_finishes_the_first_file_and_starts_the_next()
    {
        using var encoder = new MpegEncoder();
        encoder.SetParameter(codecName: "mpeg4", width: W, height: H);
        Assert.True(encoder.FFmpegSetup(_folder.File("first.mkv")), encoder.LastError);
        for (int i = 0; i < 10; i++) Assert.True(encoder.EncodeFrame(Frame(i)));
        Assert.True(encoder.FFmpegSetup(_folder.File("second.mkv")), encoder.LastError);
        for (int i = 0; i < 20; i++) Assert.True(encoder.EncodeFrame(Frame(100 + i)));
        encoder.Dispose(); // finishes the file like FFmpegClose

        EncodedFile.Read(_folder.File("first.mkv")).HoldsFrames(10, W, H);
        Assert.Equal(Enumerable.Range(100, 20), EncodedFile.Read(_folder.File("second.mkv")).Indices);
    }

    [Fact]
    public async Task DisposeAsync_finishes_the_file_like_FFmpegClose()
    {
        string path = _folder.File("async.mkv");
        await using (var encoder = new MpegEncoder())
        {
            encoder.SetParameter(videoPath: path, codecName: "mpeg4", width: W, height: H);
            Assert.True(encoder.FFmpegSetup(), encoder.LastError);
            for (int i = 0; i < 10; i++) Assert.True(encoder.EncodeFrame(Frame(i)), encoder.LastError);
        }
        EncodedFile.Read(path).HoldsFrames(10, W, H);
    }

    [Fact]
    public void A_clients_stream_is_copied_by_SetParameter_decoder_and_re_encoded_frame_exact()
    {
        var (clip, frames) = Protocols.ProtocolAssert.Clip(seconds: 2);
        using var client = Frames.ReadWholeFile(clip, cacheSize: frames);
        var decoded = client.ExtractFrame(frames)!;
        // A file that has ended still hands out the ring: read it directly.
        var session = client.Session!;
        var all = new byte[frames * session.FrameBytes];
        Assert.Equal(frames, session.Reads.PeekNewest(frames, all, default));

        string path = _folder.File("copy.mkv");
        using var encoder = new MpegEncoder();
        encoder.SetParameter(decoder: client, videoPath: path);
        var p = encoder.GetParameter();
        Assert.Equal("h264", p["codecName"]);
        Assert.Equal((320, 240, (25, 1)), ((int)p["width"], (int)p["height"], ((int, int))p["frameRate"]));
        Assert.True(encoder.FFmpegSetup(), encoder.LastError);
        Assert.Equal("libx264", encoder.GetParameter("encoderName"));
        for (int i = 0; i < frames; i++)
            Assert.True(encoder.EncodeFrame(all.AsSpan(i * session.FrameBytes, session.FrameBytes)), encoder.LastError);
        Assert.True(encoder.FFmpegClose(), encoder.LastError);
        EncodedFile.Read(path).HoldsFrames(frames, 320, 240);
        Assert.Null(decoded); // the client reports the end of the file through ExtractFrame
    }

    /// <summary>What SetParameter(decoder:) reads of a decoder other than MpegClient (MpegDecoder): its GetParameter() dictionary.</summary>
    internal sealed class DecoderLike : IDecoderParameters
    {
        public IReadOnlyDictionary<string, object> GetParameter() => new Dictionary<string, object>
        {
            ["videoPath"] = "/input/must-not-be-copied.mp4", ["codecName"] = "mpeg4", ["bitRate"] = 800_000L,
            ["GOPSize"] = 30, ["maxBframe"] = 0, ["nthread"] = 3, ["widthDst"] = 0, ["heightDst"] = 0,
            ["width"] = 176, ["height"] = 144, ["frameRate"] = (30000, 1001),
        };
    }

    [Fact]
    public void A_decoders_parameters_are_copied_but_not_its_address()
    {
        using var encoder = new MpegEncoder();
        encoder.SetParameter(videoPath: "mine.mkv");
        encoder.SetParameter(decoder: new DecoderLike());
        var p = encoder.GetParameter();
        Assert.Equal("mine.mkv", p["videoPath"]);
        Assert.Equal(("mpeg4", 800_000L, 30, 0, 3), ((string)p["codecName"], (long)p["bitRate"], (int)p["GOPSize"], (int)p["maxBframe"], (int)p["nthread"]));
        Assert.Equal((176, 144, 176, 144), ((int)p["width"], (int)p["height"], (int)p["widthSrc"], (int)p["heightSrc"]));
        Assert.Equal((30000, 1001), p["frameRate"]);
    }

    [Fact]
    public void An_MpegDecoders_stream_is_copied_by_SetParameter_decoder()
    {
        var (clip, _) = Protocols.ProtocolAssert.Clip(seconds: 2);
        using var decoder = new MpegDecoder();
        Assert.True(decoder.FFmpegSetup(clip), decoder.LastError);
        using var encoder = new MpegEncoder();
        encoder.SetParameter(decoder: decoder);
        var p = encoder.GetParameter();
        Assert.Equal(("h264", 320, 240, (25, 1)), ((string)p["codecName"], (int)p["width"], (int)p["height"], ((int, int))p["frameRate"]));
        Assert.False(p.ContainsKey("videoPath"));
    }

    [Fact]
    public void GetParameter_gives_the_originals_dictionary_that_SetParameter_takes_back()
    {
        using var first = new MpegEncoder();
        first.SetParameter(videoPath: "a.mkv", codecName: "mpeg4", nthread: 2, bitRate: 500, width: 64, height: 48,
            widthSrc: 128, heightSrc: 96, GOPSize: 5, maxBframe: 0, frameRate: (30000, 1001));
        var p = first.GetParameter();
        Assert.Equal("a.mkv", p["videoPath"]);
        Assert.Equal(500L * 1024, p["bitRate"]);
        Assert.Equal(500.0, first.GetParameter("bitRate"));
        Assert.Equal(30000 / 1001.0, (double)first.GetParameter("frameRate")!, 6);

        using var second = new MpegEncoder();
        second.SetParameter(configDict: p);
        Assert.Equal(p, second.GetParameter());
        Assert.Throws<ArgumentException>(() => first.GetParameter("colour"));
    }

    [Fact]
    public void A_frame_of_the_wrong_shape_is_refused_and_the_encoder_goes_on()
    {
        string path = _folder.File("shape.mp4");
        using var encoder = new MpegEncoder();
        encoder.SetParameter(videoPath: path, width: W, height: H);
        Assert.True(encoder.FFmpegSetup(), encoder.LastError);
        Assert.True(encoder.EncodeFrame(Frame(0)));
        var e = Assert.Throws<ArgumentException>(() => encoder.EncodeFrame(new byte[H, W, 4]));
        Assert.Contains("240 x 320 x 3", e.Message);
        Assert.Throws<ArgumentException>(() => encoder.EncodeFrame(new byte[W, H, 3]));
        Assert.Throws<ArgumentException>(() => encoder.EncodeFrame(new byte[W * H * 3 - 1].AsSpan()));
        Assert.True(encoder.EncodeFrame(Frame(1)));
        Assert.True(encoder.FFmpegClose(), encoder.LastError);
        EncodedFile.Read(path).HoldsFrames(2, W, H);
    }

    [Fact]
    public void An_unknown_codec_fails_setup_with_the_encoders_ffmpeg_has_and_opens_nothing()
    {
        string path = _folder.File("nocodec.mp4");
        using var encoder = new MpegEncoder();
        encoder.SetParameter(videoPath: path, codecName: "no-such-codec", width: W, height: H);
        Assert.False(encoder.FFmpegSetup());
        Assert.Contains("no video encoder called 'no-such-codec'", encoder.LastError);
        Assert.Contains("libx264", encoder.LastError);
        Assert.Contains("mpeg4", encoder.LastError);
        Assert.DoesNotContain("aac", encoder.LastError); // audio encoders are not offered
        Assert.False(encoder.IsOpen);
        Assert.False(File.Exists(path));
        Assert.Throws<InvalidOperationException>(() => encoder.EncodeFrame(Frame(0)));
    }

    [Fact]
    public void An_unwritable_path_or_unknown_extension_fails_setup_clearly()
    {
        using var encoder = new MpegEncoder();
        encoder.SetParameter(width: W, height: H);
        Assert.False(encoder.FFmpegSetup("/proc/no-such-folder/out.mp4"));
        Assert.Contains("cannot open '/proc/no-such-folder/out.mp4' for writing", encoder.LastError);
        Assert.False(encoder.IsOpen);

        Assert.False(encoder.FFmpegSetup(_folder.File("out.nosuchformat")));
        Assert.Contains("No container for the file name 'out.nosuchformat'", encoder.LastError);
        Assert.False(encoder.IsOpen);

        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.SetParameter(width: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.SetParameter(frameRate: (25, 0)));
        Assert.Throws<InvalidOperationException>(() => new MpegEncoder().FFmpegSetup());
        Assert.True(new MpegEncoder().FFmpegClose()); // nothing open: nothing to do
    }

    [Fact]
    public void A_size_the_encoder_refuses_fails_setup_with_ffmpegs_reason()
    {
        using var encoder = new MpegEncoder();
        encoder.SetParameter(codecName: "h263", width: W, height: H); // H.263 takes only its five picture sizes
        Assert.False(encoder.FFmpegSetup(_folder.File("odd.mp4")));
        Assert.Contains("h263 does not open at 320x240", encoder.LastError);
        Assert.Contains("not valid for the H.263 codec", encoder.LastError);
        Assert.False(encoder.IsOpen);
    }
}
