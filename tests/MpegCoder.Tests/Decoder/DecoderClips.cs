using System.Collections.Concurrent;
using System.Globalization;
using MpegCoder.Tests.Infrastructure;

namespace MpegCoder.Tests.Decoder;

/// <summary>
/// Barcode files with the structures that make random access hard, made once per run with the ffmpeg
/// CLI (frame i shows barcode i), and ffmpeg's own decoding of them as the reference.
/// </summary>
public static class DecoderClips
{
    public const int Width = 320, Height = 240, Fps = 25;

    /// <summary>The scaler flags of the library's default (<see cref="Scaling.Bicubic"/>), by ffmpeg's option name: references are made with the same.</summary>
    public const string SwsFlags = "bicubic";

    private static readonly ConcurrentDictionary<string, Lazy<string>> Made = new();
    private static readonly ConcurrentDictionary<string, Lazy<byte[]>> Decoded = new();

    /// <summary>H.264, 3 B-frames with pyramid, open GOPs of 25 frames, MP4 (the edit list shifts the B-frame delay).</summary>
    public static string H264OpenGop => Make("h264_bframes_opengop.mp4", 100,
        ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-g", "25", "-bf", "3",
         "-x264-params", "open-gop=1:scenecut=0:b-pyramid=normal", "-pix_fmt", "yuv420p", "-f", "mp4"]);

    /// <summary>
    /// Variable frame rate in Matroska: every fourth frame is shown 20 ms late and the frame after it on
    /// time, so frame durations alternate between 20, 40 and 60 ms. H.264 with B-frames, GOP 20.
    /// </summary>
    public static string VariableFrameRate => Make("vfr.mkv", 90,
        ["-vf", @"settb=1/1000,setpts=N/(25*TB)+eq(mod(N\,4)\,1)*0.02/TB", "-fps_mode", "vfr", "-enc_time_base", "1:1000",
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-g", "20", "-bf", "2",
         "-x264-params", "scenecut=0", "-pix_fmt", "yuv420p", "-f", "matroska"]);

    /// <summary>MPEG-4 part 2 (ffmpeg's mpeg4 encoder, GOP 12) in AVI, whose index has no presentation timestamps.</summary>
    public static string Mpeg4Avi => Make("mpeg4.avi", 75,
        ["-c:v", "mpeg4", "-q:v", "2", "-g", "12", "-pix_fmt", "yuv420p", "-f", "avi"]);

    /// <summary>
    /// DivX-style AVI: MPEG-4 part 2 by libxvid with 2 B-frames, which in AVI it stores packed (a P-frame and
    /// the B-frame shown before it in one packet, then an empty "N-VOP" packet of a few bytes). The packets
    /// carry no presentation timestamps, and the decoder outputs each frame one packet late.
    /// </summary>
    public static string PackedBFramesAvi => Make("xvid_packed_bframes.avi", 75,
        ["-c:v", "libxvid", "-bf", "2", "-q:v", "4", "-pix_fmt", "yuv420p", "-f", "avi"]);

    /// <summary>MPEG-4 part 2 (ffmpeg's mpeg4 encoder) with 2 B-frames in AVI, unpacked: no presentation timestamps on its reference frames.</summary>
    public static string Mpeg4BFramesAvi => Make("mpeg4_bframes.avi", 75,
        ["-c:v", "mpeg4", "-q:v", "2", "-g", "12", "-bf", "2", "-pix_fmt", "yuv420p", "-f", "avi"]);

    /// <summary>
    /// H.264 whose last frames stay inside the decoder until it is flushed: 3 B-frames and a reorder
    /// delay (the last frames in display order are decoded before the B-frames shown ahead of them).
    /// </summary>
    public static string DelayedEnd => Make("h264_delayed_end.mp4", 53,
        ["-c:v", "libx264", "-preset", "medium", "-crf", "18", "-g", "20", "-bf", "3",
         "-x264-params", "scenecut=0:b-pyramid=normal:b-adapt=0", "-pix_fmt", "yuv420p", "-f", "mp4"]);

    /// <summary>An AAC audio stream first (stream 0), then the video (stream 1), H.264 with B-frames, GOP 25, MP4.</summary>
    public static string AudioFirst => Make("audio_first.mp4", 60,
        ["-t", "2.4", "-map", "1:a", "-map", "0:v",
         "-c:a", "aac", "-b:a", "64k", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-g", "25", "-bf", "2",
         "-x264-params", "scenecut=0", "-pix_fmt", "yuv420p", "-f", "mp4"],
        moreInputs: ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2.4"]);

    /// <summary>H.264 with B-frames, GOP 15, MPEG-TS: no index, so seeking searches the timestamps; they start at 1.4 s.</summary>
    public static string MpegTs => Make("h264_bframes.ts", 80,
        ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-g", "15", "-bf", "2",
         "-x264-params", "scenecut=0", "-pix_fmt", "yuv420p", "-f", "mpegts"]);

    /// <summary>H.264 with B-frames, GOP 10, MP4: the clip for scaled output and the API's bookkeeping.</summary>
    public static string Plain => Make("h264_plain.mp4", 40,
        ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-g", "10", "-bf", "2",
         "-x264-params", "scenecut=0", "-pix_fmt", "yuv420p", "-f", "mp4"]);

    /// <summary>
    /// Every frame of <paramref name="path"/> as ffmpeg decodes it, in decoder output order (no frame
    /// dropped or repeated: passthrough), RGB24 at the given size with the library's scaler flags.
    /// </summary>
    public static byte[] FfmpegFrames(string path, int width = Width, int height = Height, string swsFlags = SwsFlags) =>
        Decoded.GetOrAdd($"{path}|{width}x{height}|{swsFlags}", _ => new Lazy<byte[]>(() =>
        {
            var result = ExternalTool.RunChecked(ExternalTool.Require("ffmpeg", "ffmpeg"),
                ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", path, "-map", "0:v:0", "-fps_mode", "passthrough",
                 "-sws_flags", swsFlags, "-vf", $"scale={width}:{height}", "-pix_fmt", "rgb24", "-f", "rawvideo", "-"],
                TimeSpan.FromMinutes(2));
            return result.StdOut;
        })).Value;

    /// <summary>Frame <paramref name="n"/> exactly as the brief of the port defines it: <c>select=eq(n\,N)</c>.</summary>
    public static byte[] FfmpegFrameN(string path, long n, int width = Width, int height = Height)
    {
        var result = ExternalTool.RunChecked(ExternalTool.Require("ffmpeg", "ffmpeg"),
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", path, "-map", "0:v:0", "-sws_flags", SwsFlags,
             "-vf", string.Create(CultureInfo.InvariantCulture, $@"select=eq(n\,{n}),scale={width}:{height}"), "-vframes", "1",
             "-pix_fmt", "rgb24", "-f", "rawvideo", "-"],
            TimeSpan.FromMinutes(1));
        return result.StdOut;
    }

    /// <summary>Each frame's time from the first frame, in seconds, as ffprobe reports the decoded frames.</summary>
    public static double[] FrameTimes(string path)
    {
        var result = ExternalTool.RunChecked(ExternalTool.Require("ffprobe", "ffmpeg"),
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=best_effort_timestamp_time", "-of", "csv=p=0", path],
            TimeSpan.FromMinutes(1));
        var times = result.StdOutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => double.Parse(t.TrimEnd(','), CultureInfo.InvariantCulture)).ToArray();
        return times.Select(t => t - times[0]).ToArray();
    }

    private static string Make(string name, int frames, string[] encode, string[]? moreInputs = null)
    {
        return Made.GetOrAdd(name, _ => new Lazy<string>(() =>
        {
            string path = Path.Combine(Clips.Folder, "decoder_" + name);
            if (File.Exists(path) && new FileInfo(path).Length > 0) return path;
            Directory.CreateDirectory(Clips.Folder);
            string tmp = Path.Combine(Clips.Folder, $".{Guid.NewGuid():N}{Path.GetExtension(name)}");
            var args = new List<string>
            {
                "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", Barcode.LavfiSource(Width, Height, Fps),
            };
            args.AddRange(moreInputs ?? []);
            args.AddRange(["-frames:v", frames.ToString(CultureInfo.InvariantCulture)]);
            args.AddRange(encode);
            if (!encode.Contains("-map")) args.Add("-an");
            args.Add(tmp);
            try
            {
                ExternalTool.RunChecked(ExternalTool.Require("ffmpeg", "ffmpeg"), args, TimeSpan.FromMinutes(2));
                File.Move(tmp, path, overwrite: true);
            }
            finally
            {
                if (File.Exists(tmp)) File.Delete(tmp);
            }
            return path;
        }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }
}
