using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Reliability;

/// <summary>Streams that change or break under the decoder: it goes on, and stores only clean frames.</summary>
public class DamagedStreamTests
{
    private static string Scratch(string name) => Path.Combine(Directory.CreateTempSubdirectory("mpegcoder-damaged").FullName, name);

    [Fact]
    public void A_resolution_change_mid_stream_keeps_the_output_size_and_goes_on()
    {
        // Two MPEG-TS clips one after the other, 320x240 then 640x480: what a camera does when its
        // resolution is changed while streaming.
        string path = Scratch("resize.ts");
        using (var output = File.Create(path))
        {
            foreach (var clip in new[] { Clips.BarcodeClip(2, 320, 240, container: "ts"), Clips.BarcodeClip(2, 640, 480, container: "ts") })
                using (var input = File.OpenRead(clip)) input.CopyTo(output);
        }
        using var client = Frames.ReadWholeFile(path, cacheSize: 100);
        Assert.Equal(100L, client.Statistics.FramesDecoded);
        Assert.Equal(320 * 240 * 3, client.Session!.FrameBytes);
        var indices = Frames.RingIndices(client);
        Assert.Equal(Enumerable.Range(0, 50).Concat(Enumerable.Range(0, 50)), indices);
    }

    [Fact]
    public void Packets_of_other_streams_are_skipped_and_every_video_frame_arrives()
    {
        string path = Scratch("with-audio.mp4");
        ExternalTool.RunChecked("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", Clips.BarcodeClip(2),
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-shortest", "-map", "0:v", "-map", "1:a",
            "-c:v", "copy", "-c:a", "aac", path], TimeSpan.FromMinutes(1));
        using var client = Frames.ReadWholeFile(path, cacheSize: 50);
        Assert.Equal(Enumerable.Range(0, 50), Frames.RingIndices(client));
    }

    [Fact]
    public void Damaged_packets_never_yield_a_stored_garbage_frame()
    {
        // Overwrite the last bytes of every 7th MPEG-TS packet (the 0x47 sync bytes and the headers stay,
        // so the demuxer goes on): the decoder meets broken slices, as after packet loss, and conceals them.
        string path = Scratch("damaged.ts");
        byte[] bytes = File.ReadAllBytes(Clips.BarcodeClip(4, container: "ts"));
        var random = new Random(1234);
        for (int p = 20; p < bytes.Length / 188; p += 7)
            random.NextBytes(bytes.AsSpan(p * 188 + 170, 18));
        File.WriteAllBytes(path, bytes);

        using var client = Frames.ReadWholeFile(path, cacheSize: 100);
        var stats = client.Statistics;
        var indices = Frames.RingIndices(client); // asserts no frame is torn
        Assert.True(stats.FramesCorrupt > 0, $"the damage was noticed ({stats})");
        Assert.True(indices.Count >= 10, $"frames survive ({indices.Count} stored)");
        Assert.Equal(indices.Order(), indices);
        // After damage nothing is stored until the next keyframe (every 25th frame): each run of
        // consecutive frames starts at a keyframe, so no concealed, smeared picture got through.
        for (int i = 0; i < indices.Count; i++)
            if (i == 0 || indices[i] != indices[i - 1] + 1)
                Assert.True(indices[i] % 25 == 0, $"frame {indices[i]} was stored after a gap without a keyframe");
        Assert.True(indices.Count < 100, "the damage cost frames");
        Assert.Equal(indices.Distinct(), indices);
        Assert.Equal(stats.FramesStored, indices.Count);
    }
}
