using System.Globalization;
using System.Runtime.InteropServices;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Decoder;

/// <summary>
/// Positions are the frames FFmpeg outputs (DivX-style AVI with packed B-frames), a frame the decoder never
/// outputs costs one retry and is named, and a result too large for one .NET array is refused up front.
/// </summary>
public class MpegDecoderPositionTests
{
    private const int FrameBytes = DecoderClips.Width * DecoderClips.Height * 3;

    private static ReadOnlySpan<byte> Bytes(byte[,,,] frames) =>
        MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(frames), frames.Length);

    private static string Probe(params string[] args) =>
        ExternalTool.RunChecked(ExternalTool.Require("ffprobe", "ffmpeg"), ["-v", "error", .. args], TimeSpan.FromMinutes(1)).StdOutText;

    [Fact]
    public void A_divx_style_avi_with_packed_b_frames_is_positioned_by_the_frames_ffmpeg_outputs()
    {
        string path = DecoderClips.PackedBFramesAvi;
        // The clip is what it claims: empty N-VOP packets of a few bytes among the others.
        var sizes = Probe("-select_streams", "v:0", "-show_entries", "packet=size", "-of", "csv=p=0", path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        Assert.True(sizes.Count(s => s < 10) >= 10, $"{sizes.Count(s => s < 10)} packets under 10 bytes");
        long counted = long.Parse(Probe("-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path).Trim(), CultureInfo.InvariantCulture);

        using var d = new MpegDecoder();
        Assert.True(d.FFmpegSetup(path), d.LastError);
        Assert.Equal(counted, d.FrameCount);
        var first = d.ExtractFrame(0, 3)!;
        Assert.Equal(3, first.GetLength(0));
        for (int i = 0; i < 3; i++)
            Assert.True(DecoderClips.FfmpegFrameN(path, i).AsSpan().SequenceEqual(Bytes(first).Slice(i * FrameBytes, FrameBytes)), $"frame {i} of ExtractFrame(0, 3)");
        foreach (long n in new long[] { 1, 2, 17, 40, 41, counted - 1 })
            Assert.True(DecoderClips.FfmpegFrameN(path, n).AsSpan().SequenceEqual(Bytes(d.ExtractFrame(n)!)), $"frame {n}");
        Assert.Null(d.LastError);
    }

    [Fact]
    public void A_frame_the_decoder_never_outputs_costs_one_retry_and_is_named()
    {
        // MJPEG in Matroska, every frame a keyframe; frame 40's JPEG is zeroed: its packet is there, its frame never comes out.
        string folder = Directory.CreateTempSubdirectory("mpegcoder-missing").FullName;
        string path = Path.Combine(folder, "missing.mkv");
        ExternalTool.RunChecked(ExternalTool.Require("ffmpeg", "ffmpeg"),
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", Barcode.LavfiSource(DecoderClips.Width, DecoderClips.Height, DecoderClips.Fps),
             "-frames:v", "200", "-c:v", "mjpeg", "-q:v", "3", "-pix_fmt", "yuvj420p", "-f", "matroska", path], TimeSpan.FromMinutes(1));
        var bytes = File.ReadAllBytes(path);
        int start = -1;
        for (int k = 0; k <= 190; k++) start = bytes.AsSpan(start + 1).IndexOf([(byte)0xFF, (byte)0xD8, (byte)0xFF]) + start + 1;
        int end = bytes.AsSpan(start).IndexOf([(byte)0xFF, (byte)0xD9]) + start + 2;
        bytes.AsSpan(start, end - start).Clear();
        File.WriteAllBytes(path, bytes);
        try
        {
            using var d = new MpegDecoder();
            Assert.True(d.FFmpegSetup(path), d.LastError);
            Assert.Equal(200, d.FrameCount);
            var reader = d.Reader!;
            for (int call = 0; call < 3; call++)
            {
                long before = reader.FramesDecoded;
                var frames = d.ExtractFrame(190)!;
                Assert.Equal(0, frames.GetLength(0));
                Assert.Contains("frame 190 did not come out of the decoder", d.LastError, StringComparison.Ordinal);
                // A seek to the frame's keyframe and one to the keyframe before: a few frames, not the file from its start.
                Assert.InRange(reader.FramesDecoded - before, 1, 10);
            }
            var around = d.ExtractFrame(189, 3)!;
            Assert.Equal(2, around.GetLength(0));
            Assert.Equal([189, 191], Barcode.ReadAll(Bytes(around), DecoderClips.Width, DecoderClips.Height).Select(b => b.top));
            Assert.Contains("frame 190", d.LastError, StringComparison.Ordinal);
            Assert.Equal(1, d.ExtractFrame(191)!.GetLength(0));
            Assert.Null(d.LastError);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Results_larger_than_one_array_throw_the_documented_exception_before_allocating()
    {
        using var d = new MpegDecoder();
        d.SetParameter(widthDst: 8192, heightDst: 8192); // 192 MiB a frame: 12 frames exceed Array.MaxLength
        Assert.True(d.FFmpegSetup(DecoderClips.Plain), d.LastError);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => d.ExtractFrame(0, 20));
        Assert.Equal("frameNum", e.ParamName);
        Assert.Contains("largest .NET array", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => d.ExtractFrameByTime(0, 20));
        // The clip's GOPs are 10 frames: 1.9 GiB still fit one array at this size, 3.75 GiB at twice the width do not.
        d.SetParameter(widthDst: 8192 * 2, heightDst: 8192);
        Assert.True(d.FFmpegSetup(), d.LastError);
        Assert.Equal("framePos", Assert.Throws<ArgumentOutOfRangeException>(() => d.ExtractGOP()).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => d.ExtractGOPByTime(0));
    }
}
