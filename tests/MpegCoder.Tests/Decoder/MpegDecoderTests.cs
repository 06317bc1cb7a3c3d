using System.Runtime.InteropServices;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Decoder;

/// <summary>
/// MpegDecoder on real clips made with the ffmpeg CLI: every frame index asked gives exactly ffmpeg's
/// frame N (same pixels, same size, same scaler flags), in order, by index, by time and GOP by GOP.
/// </summary>
public class MpegDecoderTests
{
    public static TheoryData<string> Structures => new() { "h264-open-gop", "vfr", "mpeg4-avi", "delayed-end", "audio-first", "mpegts", "packed-bframes-avi", "mpeg4-bframes-avi" };

    private static string ClipOf(string name) => name switch
    {
        "h264-open-gop" => DecoderClips.H264OpenGop,
        "vfr" => DecoderClips.VariableFrameRate,
        "mpeg4-avi" => DecoderClips.Mpeg4Avi,
        "delayed-end" => DecoderClips.DelayedEnd,
        "audio-first" => DecoderClips.AudioFirst,
        "mpegts" => DecoderClips.MpegTs,
        "packed-bframes-avi" => DecoderClips.PackedBFramesAvi,
        "mpeg4-bframes-avi" => DecoderClips.Mpeg4BFramesAvi,
        _ => throw new ArgumentException(name),
    };

    private const int FrameBytes = DecoderClips.Width * DecoderClips.Height * 3;

    private static MpegDecoder Open(string path, int nthread = 0)
    {
        var d = new MpegDecoder();
        d.SetParameter(nthread: nthread);
        Assert.True(d.FFmpegSetup(path), d.LastError);
        return d;
    }

    private static ReadOnlySpan<byte> Bytes(byte[,,,] frames) =>
        MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(frames), frames.Length);

    private static void AssertFrame(byte[] reference, long n, ReadOnlySpan<byte> actual, string what)
    {
        var expected = reference.AsSpan((int)(n * FrameBytes), FrameBytes);
        if (!expected.SequenceEqual(actual))
        {
            var (top, _) = Barcode.ReadFrame(actual, DecoderClips.Width, DecoderClips.Height);
            Assert.Fail($"{what}: frame {n} differs from ffmpeg's frame {n} (its barcode reads {top})");
        }
    }

    [Theory]
    [MemberData(nameof(Structures))]
    public void Reading_in_batches_from_the_start_gives_ffmpegs_frames_exactly_then_null(string structure)
    {
        string path = ClipOf(structure);
        var reference = DecoderClips.FfmpegFrames(path);
        long count = reference.Length / FrameBytes;
        Assert.True(count >= 50, $"ffmpeg decoded {count} frames");
        using var d = Open(path, nthread: 3);
        Assert.Equal((int)count, d.GetParameter("estFrameNum"));
        Assert.Equal(count, d.FrameCount);

        long position = 0;
        byte[,,,]? batch;
        while ((batch = d.ExtractFrame(position, 7)) is not null)
        {
            int n = batch.GetLength(0);
            Assert.Equal((int)Math.Min(7, count - position), n);
            Assert.Equal(n, d.GetParameter("frameCount"));
            for (int i = 0; i < n; i++)
                AssertFrame(reference, position + i, Bytes(batch).Slice(i * FrameBytes, FrameBytes), structure);
            position += n;
        }
        Assert.Equal(count, position);
        Assert.Null(d.ExtractFrame(count));
        Assert.Null(d.ExtractFrame(count + 1000, 3));
    }

    [Theory]
    [MemberData(nameof(Structures))]
    public void Random_order_access_gives_ffmpegs_frame_n(string structure)
    {
        string path = ClipOf(structure);
        var reference = DecoderClips.FfmpegFrames(path);
        int count = reference.Length / FrameBytes;
        using var d = Open(path);
        var random = new Random(structure.GetHashCode(StringComparison.Ordinal));
        // Every frame once, in shuffled order, some as the start of a short run.
        var order = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
        foreach (int n in order.Take(40))
        {
            int num = 1 + random.Next(3);
            var frames = d.ExtractFrame(n, num)!;
            Assert.Equal(Math.Min(num, count - n), frames.GetLength(0));
            for (int i = 0; i < frames.GetLength(0); i++)
                AssertFrame(reference, n + i, Bytes(frames).Slice(i * FrameBytes, FrameBytes), $"{structure}, random access at {n}");
        }
        // The last frames, which only come out of the decoder when it is flushed, and the very first.
        AssertFrame(reference, count - 1, Bytes(d.ExtractFrame(count - 1, 5)!), $"{structure}, last frame");
        AssertFrame(reference, count - 2, Bytes(d.ExtractFrame(count - 2)!), $"{structure}, last frame but one");
        AssertFrame(reference, 0, Bytes(d.ExtractFrame(0)!), $"{structure}, first frame");
    }

    [Theory]
    [MemberData(nameof(Structures))]
    public void Gop_after_gop_covers_every_frame_exactly_once_in_order(string structure)
    {
        string path = ClipOf(structure);
        var reference = DecoderClips.FfmpegFrames(path);
        int count = reference.Length / FrameBytes;
        using var d = Open(path);
        var seen = new List<int>();
        int gops = 0;
        byte[,,,]? gop;
        while ((gop = d.ExtractGOP()) is not null)
        {
            Assert.True(gop.GetLength(0) > 0);
            foreach (var (top, bottom) in Barcode.ReadAll(Bytes(gop), DecoderClips.Width, DecoderClips.Height))
            {
                Assert.Equal(top, bottom);
                seen.Add(top);
            }
            gops++;
        }
        Assert.Equal(Enumerable.Range(0, count), seen);
        Assert.Equal(d.GetParameter("GOPCount"), gops);
        Assert.True(gops > 1, $"{structure} has {gops} GOP(s)");
        Assert.Null(d.ExtractGOP());

        // A position picks the GOP holding it; ResetGOPPosition moves the iteration.
        var second = d.ExtractGOP(count / 2)!;
        int first = Barcode.ReadFrame(Bytes(second), DecoderClips.Width, DecoderClips.Height).top;
        Assert.InRange(first, 0, count / 2);
        Assert.InRange(count / 2, first, first + second.GetLength(0) - 1);
        d.ResetGOPPosition();
        Assert.Equal(0, Barcode.ReadFrame(Bytes(d.ExtractGOP()!), DecoderClips.Width, DecoderClips.Height).top);
        d.ResetGOPPosition(framePos: count - 1);
        var last = d.ExtractGOP()!;
        Assert.Equal(count - 1, Barcode.ReadFrame(Bytes(last).Slice((last.GetLength(0) - 1) * FrameBytes), DecoderClips.Width, DecoderClips.Height).top);
        Assert.Null(d.ExtractGOP());
    }

    [Theory]
    [InlineData("vfr")]
    [InlineData("h264-open-gop")]
    [InlineData("mpeg4-avi")]
    public void By_time_gives_the_first_frame_shown_at_or_after_that_time(string structure)
    {
        string path = ClipOf(structure);
        var times = DecoderClips.FrameTimes(path);
        var reference = DecoderClips.FfmpegFrames(path);
        Assert.Equal(reference.Length / FrameBytes, times.Length);
        using var d = Open(path);
        Assert.Equal(times[^1], (double)d.GetParameter("duration")!, 0.2);
        foreach (double t in new[] { 0, 0.01, 0.5, 0.52, 0.53, 1.0, 1.07, 1.3, times[^1] - 0.001, times[^1] })
        {
            int expected = Array.FindIndex(times, x => x >= t - 1e-6);
            var frames = d.ExtractFrameByTime(t, 2)!;
            AssertFrame(reference, expected, Bytes(frames)[..FrameBytes], $"{structure} at {t} s");
        }
        // Every frame's own time gives that frame back.
        for (int n = 0; n < times.Length; n += 7)
            AssertFrame(reference, n, Bytes(d.ExtractFrameByTime(times[n])!), $"{structure} at frame {n}'s time");
        Assert.Null(d.ExtractFrameByTime(times[^1] + 0.5));
        var gop = d.ExtractGOPByTime(times[^1] / 2)!;
        int start = Barcode.ReadFrame(Bytes(gop), DecoderClips.Width, DecoderClips.Height).top;
        Assert.InRange(Array.FindIndex(times, x => x >= times[^1] / 2 - 1e-6), start, start + gop.GetLength(0) - 1);
    }

    [Fact]
    public void The_variable_frame_rate_clip_really_has_variable_frame_durations()
    {
        var times = DecoderClips.FrameTimes(DecoderClips.VariableFrameRate);
        var durations = times.Zip(times.Skip(1), (a, b) => Math.Round((b - a) * 1000)).Distinct().Order().ToArray();
        Assert.Equal([20.0, 40.0, 60.0], durations);
    }

    [Fact]
    public void The_select_filters_frame_n_is_what_the_references_hold()
    {
        // The references come from one passthrough decode; this ties them to ffmpeg's select=eq(n,N).
        string path = DecoderClips.H264OpenGop;
        var reference = DecoderClips.FfmpegFrames(path);
        using var d = Open(path);
        foreach (long n in new long[] { 0, 23, 24, 25, 26, 77, 99 })
        {
            var selected = DecoderClips.FfmpegFrameN(path, n);
            Assert.True(selected.AsSpan().SequenceEqual(reference.AsSpan((int)(n * FrameBytes), FrameBytes)), $"reference frame {n}");
            Assert.True(selected.AsSpan().SequenceEqual(Bytes(d.ExtractFrame(n)!)), $"decoder frame {n}");
        }
    }

    [Theory]
    [InlineData(Scaling.Bicubic, "bicubic")]
    [InlineData(Scaling.Bilinear, "bilinear")]
    [InlineData(Scaling.Lanczos, "lanczos")]
    public void Scaled_output_equals_ffmpegs_scale_with_the_same_flags(Scaling scaling, string swsFlags)
    {
        string path = DecoderClips.Plain;
        var reference = DecoderClips.FfmpegFrames(path, 176, 144, swsFlags);
        using var d = new MpegDecoder();
        Assert.Equal(Scaling.Bicubic, d.Scaling);
        d.Scaling = scaling;
        d.SetParameter(widthDst: 176, heightDst: 144);
        Assert.True(d.FFmpegSetup(path), d.LastError);
        Assert.Equal(176 * 144 * 3, d.FrameBytes);
        var frames = d.ExtractFrame(0, 100)!;
        Assert.Equal(new[] { 40, 144, 176, 3 }, new[] { frames.GetLength(0), frames.GetLength(1), frames.GetLength(2), frames.GetLength(3) });
        Assert.True(Bytes(frames).SequenceEqual(reference), "scaled frames differ from ffmpeg's");
        Assert.Equal(320, d.GetParameter("width"));
        Assert.Equal(176, d.GetParameter("widthDst"));
    }

    [Fact]
    public void Increasing_requests_continue_decoding_instead_of_seeking()
    {
        using var d = Open(DecoderClips.H264OpenGop);
        var reader = d.Reader!;
        var seeks = new List<string>();
        for (long n = 0; n < 100; n += 3)
        {
            Assert.NotNull(d.ExtractFrame(n, 2));
            seeks.Add($"{n}:{reader.Seeks}");
        }
        Assert.True(reader.Seeks == 1, string.Join(" ", seeks));
        Assert.Equal(100, reader.FramesDecoded);
        // A jump beyond the next keyframe seeks instead of decoding what lies between.
        Assert.NotNull(d.ExtractFrame(10));
        Assert.Equal(2, reader.Seeks);
        Assert.NotNull(d.ExtractFrame(80));
        Assert.Equal(3, reader.Seeks);
        Assert.True(reader.FramesDecoded < 100 + 11 + 40, $"{reader.FramesDecoded} frames decoded");
    }

    [Fact]
    public void The_span_form_writes_frames_and_their_index_and_time_and_says_minus_one_past_the_end()
    {
        string path = DecoderClips.VariableFrameRate;
        var reference = DecoderClips.FfmpegFrames(path);
        var times = DecoderClips.FrameTimes(path);
        int count = reference.Length / FrameBytes;
        using var d = Open(path);
        var pixels = new byte[4 * FrameBytes];
        var metadata = new FrameMetadata[4];
        Assert.Equal(3, d.ExtractFrame(pixels, metadata, count - 3, 4));
        for (int i = 0; i < 3; i++)
        {
            AssertFrame(reference, count - 3 + i, pixels.AsSpan(i * FrameBytes, FrameBytes), "span form");
            Assert.Equal(count - 3 + i, metadata[i].Sequence);
            Assert.Equal(times[count - 3 + i], metadata[i].PresentationTime!.Value.TotalSeconds, 0.0015);
        }
        Assert.Equal(2, d.ExtractFrame(pixels, default, 20, 2));
        AssertFrame(reference, 21, pixels.AsSpan(FrameBytes, FrameBytes), "span form without metadata");
        Assert.Equal(-1, d.ExtractFrame(pixels, metadata, count, 1));
        Assert.Throws<ArgumentException>(() => d.ExtractFrame(new byte[FrameBytes], default, 0, 2));
        Assert.Throws<ArgumentException>(() => d.ExtractFrame(pixels, new FrameMetadata[1], 0, 2));
    }

    [Fact]
    public void Parameters_use_the_originals_names_and_types()
    {
        string path = DecoderClips.Plain;
        using var d = new MpegDecoder();
        Assert.Equal(0, d.GetParameter("width"));
        Assert.Equal("", d.GetParameter("coderName"));
        Assert.Equal(0.0, d.GetParameter("duration"));
        Assert.Null(d.GetParameter("frameRate"));
        Assert.Equal(["videoPath", "codecName", "nthread", "width", "height"], d.GetParameter().Keys);
        Assert.Contains("not set up", d.ToString());
        d.ResetPath(path);
        Assert.True(d.FFmpegSetup(), d.LastError);
        Assert.Equal(path, d.GetParameter("videoPath"));
        Assert.Equal(320, (int)d.GetParameter("width")!);
        Assert.Equal(240, (int)d.GetParameter("height")!);
        Assert.Equal("h264", (string)d.GetParameter("coderName")!);
        Assert.Equal(40, (int)d.GetParameter("estFrameNum")!);
        Assert.Equal(25.0, (double)d.GetParameter("avgFrameRate")!, 3);
        Assert.Equal(1.6, (double)d.GetParameter("duration")!, 1);
        Assert.True((int)d.GetParameter("nthread")! >= 1);
        Assert.Equal(0, (int)d.GetParameter("frameCount")!);
        d.ExtractFrame(5, 3);
        Assert.Equal(3, (int)d.GetParameter("frameCount")!);
        Assert.Equal((25, 1), d.GetParameter("frameRate"));
        Assert.Contains("Frames:       40 in 4 GOP(s)", d.ToString());
        Assert.Equal(["videoPath", "codecName", "bitRate", "GOPSize", "maxBframe", "nthread", "widthDst", "heightDst", "width", "height", "frameRate"], d.GetParameter().Keys);
        Assert.IsType<int>(d.GetParameter("bitRate"));
        Assert.Throws<ArgumentException>(() => d.GetParameter("nonsense"));
        d.Clear();
        Assert.Throws<InvalidOperationException>(() => d.ExtractFrame());
        Assert.True(d.FFmpegSetup(), "the path stays after Clear");
        Assert.NotNull(d.ExtractFrame(39));
    }

    [Fact]
    public void Bad_input_gets_clear_errors()
    {
        using var d = new MpegDecoder();
        Assert.Throws<InvalidOperationException>(() => d.FFmpegSetup());
        Assert.Throws<InvalidOperationException>(() => d.ExtractFrame());
        string missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.mp4");
        Assert.False(d.FFmpegSetup(missing));
        Assert.Contains(missing, d.LastError);
        Assert.Contains("No such file", d.LastError);
        Assert.Throws<InvalidOperationException>(() => d.ExtractFrame());

        string text = Path.Combine(Path.GetTempPath(), $"not-a-video-{Guid.NewGuid():N}.txt");
        File.WriteAllText(text, "this is not a video\n");
        try
        {
            Assert.False(d.FFmpegSetup(text));
            Assert.Contains("Cannot set up", d.LastError);
        }
        finally
        {
            File.Delete(text);
        }

        string audioOnly = Path.Combine(Clips.Folder, "decoder_audio_only.m4a");
        if (!File.Exists(audioOnly))
            ExternalTool.RunChecked(ExternalTool.Require("ffmpeg", "ffmpeg"),
                ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", audioOnly], TimeSpan.FromMinutes(1));
        Assert.False(d.FFmpegSetup(audioOnly));
        Assert.Contains("no decodable video stream", d.LastError);

        Assert.True(d.FFmpegSetup(DecoderClips.Plain), d.LastError);
        Assert.Throws<ArgumentOutOfRangeException>(() => d.ExtractFrame(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.ExtractFrame(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.ExtractFrameByTime(-0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.ExtractFrameByTime(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.ExtractGOP(-3));
        Assert.Throws<ArgumentException>(() => d.ResetGOPPosition(1, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.SetParameter(widthDst: -1));
        Assert.NotNull(d.ExtractFrame(0)); // still usable after the errors
        Assert.Null(d.ExtractGOP(10_000));
    }

    [Fact]
    public void A_truncated_file_gives_the_frames_it_holds_and_an_mp4_without_its_index_a_clear_error()
    {
        string cut = Path.Combine(Path.GetTempPath(), $"decoder-cut-{Guid.NewGuid():N}.ts");
        string cutMp4 = Path.ChangeExtension(cut, ".mp4");
        var ts = File.ReadAllBytes(DecoderClips.MpegTs);
        File.WriteAllBytes(cut, ts[..(ts.Length * 6 / 10 / 188 * 188)]);
        var mp4 = File.ReadAllBytes(DecoderClips.Plain);
        File.WriteAllBytes(cutMp4, mp4[..(mp4.Length / 2)]);
        try
        {
            using var d = Open(cut);
            long count = d.FrameCount;
            Assert.InRange(count, 20, 79);
            var frames = d.ExtractFrame(0, 1000)!;
            Assert.InRange(frames.GetLength(0), count - 1, count);
            var read = Barcode.ReadAll(Bytes(frames), DecoderClips.Width, DecoderClips.Height);
            for (int i = 0; i < read.Count - 1; i++)
                Assert.Equal((i, i), read[i]);
            Assert.Null(d.ExtractFrame(count));

            // MP4 from ffmpeg keeps its index (moov) at the end: half a file cannot be opened.
            Assert.False(d.FFmpegSetup(cutMp4));
            Assert.Contains("moov atom not found", d.LastError);
            Assert.Null(d.Reader);
        }
        finally
        {
            File.Delete(cut);
            File.Delete(cutMp4);
        }
    }

    [Fact]
    public async Task Clear_from_another_thread_ends_a_long_extraction_and_leaves_the_decoder_usable()
    {
        using var d = Open(DecoderClips.H264OpenGop);
        var extraction = Task.Run(() =>
        {
            // Clear may come first (not set up), in the middle (interrupted read) or after the extraction.
            try { return d.ExtractFrame(0, 100)?.GetLength(0) ?? -1; }
            catch (MpegCoderException) { return -2; }
            catch (InvalidOperationException) { return -3; }
        });
        d.Clear();
        await extraction.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Throws<InvalidOperationException>(() => d.ExtractFrame());
        Assert.True(d.FFmpegSetup(), d.LastError);
        Assert.Equal(100, d.ExtractFrame(0, 100)!.GetLength(0));
    }
}
