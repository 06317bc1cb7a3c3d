using System.Globalization;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Recording;

/// <summary>A recorded file's packets as ffprobe reads them: when each of its video and audio packets starts.</summary>
internal static class RecordedPackets
{
    private const double VideoFrame = 0.04; // the test sources' 25 fps

    public sealed record Packet(bool Audio, double Pts);

    /// <summary>Every packet of the file's video and audio streams, in the file's order.</summary>
    public static List<Packet> Read(string path)
    {
        string ffprobe = ExternalTool.Require("ffprobe", "ffmpeg");
        // MPEG-TS lists each stream twice (in its program, and alone).
        var streams = ExternalTool.RunChecked(ffprobe, ["-v", "error", .. MediaInput.FormatOf(path), "-show_entries", "stream=index,codec_type", "-of", "csv=p=0", path], TimeSpan.FromSeconds(30))
            .StdOutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(',')).DistinctBy(f => f[0]).ToDictionary(f => f[0], f => f[1]);
        var probe = ExternalTool.RunChecked(ffprobe, ["-v", "error", .. MediaInput.FormatOf(path), "-show_entries", "packet=stream_index,pts_time", "-of", "csv=p=0", path],
            TimeSpan.FromSeconds(30));
        var packets = new List<Packet>();
        foreach (var line in probe.StdOutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split(',');
            packets.Add(new Packet(streams[f[0]] == "audio", double.Parse(f[1], CultureInfo.InvariantCulture)));
        }
        return packets;
    }

    /// <summary>The file's video and audio packets, and one audio frame's length (the usual step between audio packets; MP4 states none for Opus).</summary>
    public static (List<Packet> Video, List<Packet> Audio, double AudioFrame) Split(string path)
    {
        var packets = Read(path);
        var audio = packets.Where(p => p.Audio).ToList();
        double frame = audio.Count < 2 ? 0 : audio.Zip(audio.Skip(1), (a, b) => Math.Round(b.Pts - a.Pts, 3)).GroupBy(d => d).MaxBy(g => g.Count())!.Key;
        return (packets.Where(p => !p.Audio).ToList(), audio, frame);
    }

    /// <summary>
    /// Asserts a segment's audio starts at its first video frame or less than one audio frame after, and
    /// (unless it is the recording's <paramref name="last"/> file) ends within one audio frame after its
    /// last video frame: where the next segment's starts. 2 ms of slack: Matroska and FLV count milliseconds.
    /// </summary>
    public static void AssertInStep(string name, List<Packet> video, List<Packet> audio, double audioFrame, bool last)
    {
        double videoStart = video.Min(p => p.Pts), videoEnd = video.Max(p => p.Pts) + VideoFrame;
        double audioStart = audio.Min(p => p.Pts), audioEnd = audio.Max(p => p.Pts) + audioFrame;
        Assert.True(audioStart - videoStart >= -0.002 && audioStart - videoStart < audioFrame + 0.002,
            $"{name}: the audio starts at {audioStart:0.000} s, the video at {videoStart:0.000} s (an audio frame lasts {audioFrame:0.000} s)");
        if (!last)
            Assert.True(audioEnd - videoEnd >= -0.002 && audioEnd - videoEnd < audioFrame + 0.002,
                $"{name}: the audio ends at {audioEnd:0.000} s, the video at {videoEnd:0.000} s (an audio frame lasts {audioFrame:0.000} s)");
    }
}
