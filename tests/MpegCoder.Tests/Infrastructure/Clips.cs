using System.Collections.Concurrent;
using System.Globalization;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>Barcode video files for tests, generated once per argument set with the ffmpeg CLI.</summary>
public static class Clips
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Cache = new();

    /// <summary>Folder holding the generated clips (shared by test runs; files are keyed by their arguments).</summary>
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "mpegcoder-tests-clips");

    /// <summary>
    /// Path of a file whose frame i (0 ≤ i &lt; seconds*fps) shows the barcode of index i.
    /// GOP = fps (a keyframe every second), no B-frames.
    /// </summary>
    public static string BarcodeClip(int seconds, int width = 320, int height = 240, int fps = 25,
        string codec = "libx264", string container = "mp4")
    {
        if (seconds <= 0)
            throw new ArgumentOutOfRangeException(nameof(seconds));
        string fpsText = fps.ToString(CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            "-f", "lavfi", "-i", Barcode.LavfiSource(width, height, fps),
            "-frames:v", (seconds * fps).ToString(CultureInfo.InvariantCulture),
            "-an", "-c:v", codec, "-g", fpsText, "-bf", "0",
        };
        args.AddRange(codec switch
        {
            "libx264" => X264,
            "libx265" => new[] { "-preset", "veryfast", "-crf", "18", "-x265-params", "scenecut=0:log-level=error", "-pix_fmt", "yuv420p" },
            "mjpeg" => new[] { "-q:v", "2" },
            "mpeg4" or "mpeg2video" or "mpeg1video" or "h263p" or "msmpeg4v2" => new[] { "-q:v", "2", "-pix_fmt", "yuv420p" },
            _ => new[] { "-b:v", "2M" },
        });
        args.AddRange(["-f", container switch { "mkv" => "matroska", "ts" => "mpegts", _ => container }]);
        return Cached(string.Create(CultureInfo.InvariantCulture, $"barcode_{seconds}s_{width}x{height}_{fps}fps_{codec}.{container}"), args);
    }

    /// <summary>
    /// Path of a Matroska file with the barcode video of <see cref="BarcodeClip"/> (320x240, 25 fps, H.264, a
    /// keyframe every second) and a mono 1 kHz tone beside it, in <paramref name="audioCodec"/>: "aac" (48 kHz),
    /// "pcm_mulaw" (8 kHz, 20 ms packets, as a camera's G.711) or "libopus" (48 kHz).
    /// </summary>
    public static string BarcodeClipWithAudio(int seconds, string audioCodec)
    {
        if (seconds <= 0)
            throw new ArgumentOutOfRangeException(nameof(seconds));
        string rate = audioCodec == "pcm_mulaw" ? "8000" : "48000";
        List<string> args =
        [
            "-f", "lavfi", "-i", Barcode.LavfiSource(320, 240, 25),
            "-f", "lavfi", "-i", $"sine=frequency=1000:sample_rate={rate}",
            "-t", seconds.ToString(CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-g", "25", "-bf", "0", .. X264,
            "-c:a", audioCodec, "-ac", "1",
        ];
        if (audioCodec == "pcm_mulaw") args.AddRange(["-af", "asetnsamples=n=160"]); // 20 ms packets
        args.AddRange(["-f", "matroska"]);
        return Cached(string.Create(CultureInfo.InvariantCulture, $"barcode_{seconds}s_320x240_25fps_libx264_{audioCodec}.mkv"), args);
    }

    private static readonly string[] X264 = ["-preset", "veryfast", "-crf", "18", "-x264-params", "scenecut=0", "-pix_fmt", "yuv420p"];

    /// <summary>The clip <paramref name="name"/>, made once (per process, and on disk across runs) by ffmpeg with <paramref name="args"/> and an output path.</summary>
    private static string Cached(string name, List<string> args)
    {
        var lazy = Cache.GetOrAdd(name, n => new Lazy<string>(() => Create(n, args), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Cache.TryRemove(name, out _); // allow a retry after a failure
            throw;
        }
    }

    private static string Create(string name, List<string> args)
    {
        string path = Path.Combine(Folder, name);
        if (File.Exists(path) && new FileInfo(path).Length > 0)
            return path;

        string ffmpeg = ExternalTool.Require("ffmpeg", "ffmpeg");
        Directory.CreateDirectory(Folder);
        // Unique temporary name in the same folder, then an atomic rename: concurrent test
        // processes never see a half-written file.
        string tmp = Path.Combine(Folder, $".{Guid.NewGuid():N}{Path.GetExtension(name)}");
        try
        {
            ExternalTool.RunChecked(ffmpeg, ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. args, tmp], TimeSpan.FromMinutes(5));
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp))
                File.Delete(tmp);
        }
        return path;
    }
}
